package io.sensorcast.ops.eval;

/**
 * The two forecasts every model must beat, in the series' units, for the {@code horizon} steps after origin step
 * {@code t}:
 * <ul>
 * <li><b>persistence</b>: {@code ŷ[t+k] = y[t]};</li>
 * <li><b>seasonal naive</b> with period m: {@code ŷ[t+k] = y[t+k−m·⌈k/m⌉]}, the value one season before (or the
 * latest whole number of seasons before, for leads beyond one season). Where that step is missing (a long gap),
 * the forecast falls back to persistence so every method is scored on the same points.</li>
 * </ul>
 * Example: hourly y = 1,2,3,4,5,6 with m = 3 and origin t = 5 (y = 6): persistence gives 6, 6, 6; seasonal naive gives
 * y[3], y[4], y[5] = 4, 5, 6 for leads 1–3 and y[3] = 4 again for lead 4.
 */
public final class Baselines {
    private Baselines() {
    }

    public static double[] persistence(StepSeries series, long origin, int horizon) {
        Double last = series.value(origin);
        if (last == null) {
            throw new IllegalArgumentException("no value at origin step " + origin);
        }
        double[] out = new double[horizon];
        java.util.Arrays.fill(out, last);
        return out;
    }

    public static double[] seasonalNaive(StepSeries series, long origin, int horizon, int season) {
        if (season < 1) {
            throw new IllegalArgumentException("season must be >= 1 step, got " + season);
        }
        double[] out = persistence(series, origin, horizon);
        for (int k = 1; k <= horizon; k++) {
            long back = (long) season * ((k + season - 1) / season);
            Double v = series.value(origin + k - back);
            if (v != null) {
                out[k - 1] = v;
            }
        }
        return out;
    }
}
