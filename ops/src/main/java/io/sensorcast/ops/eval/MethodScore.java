package io.sensorcast.ops.eval;

/**
 * Errors of one forecasting method over the scored points (origin, lead): MSE and MAE in normalised units (train
 * statistics) and in the series' units, and MSE per lead.
 */
public final class MethodScore {
    private final String method;
    private final TrainStatistics stats;
    private final double[] sqByLead;
    private final long[] nByLead;
    private double sq;
    private double abs;
    private double sqRaw;
    private double absRaw;
    private long n;

    public MethodScore(String method, TrainStatistics stats, int horizon) {
        this.method = method;
        this.stats = stats;
        this.sqByLead = new double[horizon];
        this.nByLead = new long[horizon];
    }

    /** One forecast point: lead {@code k} (0-based), in the series' units. */
    public void add(int k, double forecast, double actual) {
        double eRaw = forecast - actual;
        double e = stats.normalise(forecast) - stats.normalise(actual);
        sq += e * e;
        abs += Math.abs(e);
        sqRaw += eRaw * eRaw;
        absRaw += Math.abs(eRaw);
        sqByLead[k] += e * e;
        nByLead[k]++;
        n++;
    }

    public String method() {
        return method;
    }

    public long points() {
        return n;
    }

    public double mse() {
        return sq / n;
    }

    public double mae() {
        return abs / n;
    }

    public double mseRaw() {
        return sqRaw / n;
    }

    public double maeRaw() {
        return absRaw / n;
    }

    /** MAE in the series' units over the train span's one-step naive MAE. */
    public double mase() {
        return maeRaw() / stats.naiveScale();
    }

    public double[] mseByLead() {
        double[] out = new double[sqByLead.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = nByLead[k] == 0 ? Double.NaN : sqByLead[k] / nByLead[k];
        }
        return out;
    }
}
