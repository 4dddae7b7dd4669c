package io.sensorcast.serve;


/**
 * Half-widths of the symmetric prediction interval, in normalised units (multiply by the sequence's std).
 *
 * <p><b>Method.</b> Per sensor and per horizon step k (1-based), the last {@code residualWindow} forecast errors
 * {@code e = (actual − forecast) / std} are kept in the sensor's ledger. With at least {@code minResiduals} of them,
 * the half-width is their empirical {@code level}-quantile of {@code |e|} (split conformal prediction on the sensor's
 * own recent errors: distribution-free, adapts to each sensor's noise and to each horizon, and to the model actually
 * serving, since errors are those of the forecasts that were sent). Before that, a random-walk scale from the
 * window itself: {@code z · σΔ · √k}, where {@code σΔ} is the root-mean-square of the window's first differences and
 * {@code z = Φ⁻¹((1+level)/2)} (1.2816 for 80%). Example: a window rising by 0.5 per step has σΔ = 0.5, so the 80%
 * half-width at k = 4 is 1.2816 · 0.5 · 2 = 1.2816 normalised units.
 *
 * <p>Why not the trainer's residual scale from the envelope's quality figures: it is one number per model, pooled over
 * all sensors and horizons, and absent before the first checkpoint; the per-sensor quantile needs no assumption
 * about the error distribution and is available for persistence forecasts too.
 */
final class PredictionInterval {
    private final double level;
    private final double z;
    private final int minResiduals;

    PredictionInterval(double level, int minResiduals) {
        this.level = level;
        this.z = inverseNormal((1 + level) / 2);
        this.minResiduals = minResiduals;
    }

    double z() {
        return z;
    }

    /** Half-widths for steps 1..horizon from the ledger's residuals, falling back to the window's random-walk scale. */
    float[] halfWidths(SensorLedger ledger, float[] window, int horizon) {
        float[] out = new float[horizon];
        double sigma = Double.NaN;
        for (int k = 0; k < horizon; k++) {
            if (ledger.residualCount(k) >= minResiduals) {
                out[k] = ledger.absQuantile(k, level);
            } else {
                if (Double.isNaN(sigma)) {
                    sigma = rmsFirstDifference(window);
                }
                out[k] = (float) (z * sigma * Math.sqrt(k + 1));
            }
        }
        return out;
    }

    static double rmsFirstDifference(float[] v) {
        if (v.length < 2) {
            return 0;
        }
        double sum = 0;
        for (int i = 1; i < v.length; i++) {
            double d = (double) v[i] - v[i - 1];
            sum += d * d;
        }
        return Math.sqrt(sum / (v.length - 1));
    }

    /** Φ⁻¹(p), Acklam's rational approximation (relative error below 1.2e-9), for 0 &lt; p &lt; 1. */
    static double inverseNormal(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -inverseNormal(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
