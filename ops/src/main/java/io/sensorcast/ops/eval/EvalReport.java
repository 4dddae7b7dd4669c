package io.sensorcast.ops.eval;

import java.util.List;

import io.sensorcast.model.ModelConfig;

/**
 * Everything an eval run measured: the DESIGN.md {@code report.json} figures (test span) plus the validation span's
 * figures (the only ones used to choose settings), the training history and the data behind the charts.
 *
 * @param results        test-span scores: lstm-frozen, lstm-online, persistence, seasonal-naive
 * @param validation     the same methods on the validation span
 * @param stepReports    every training step, frozen passes first, then online
 * @param onlineFrom     index in {@code stepReports} of the first online step
 * @param validationMse  the frozen model's validation MSE after each pass
 * @param bestPass       the pass whose weights became the frozen model (1-based)
 * @param stretch        a stretch of the test span for the forecast chart
 */
public record EvalReport(String series, int rows, SeriesSplit split, int horizon, int window, long stepMs, int season,
                         TrainStatistics statistics, ModelConfig model, int passes, int bestPass, List<Double> validationMse,
                         List<MethodScore> results, List<MethodScore> validation, List<TrainingStep> stepReports,
                         int onlineFrom, Stretch stretch, long sequences, long deadLetters, long testOrigins,
                         double seconds) {

    /** One training step: loss, pre-clip norm, and whether the explosion detector fired. */
    public record TrainingStep(double loss, double preClipNorm, boolean explosion) {
    }

    /**
     * Actual values over steps {@code firstStep…} and, for origins every {@code horizon} steps, the online and frozen
     * forecasts with their intervals, concatenated (all in the series' units).
     */
    public record Stretch(long firstStep, double[] actual, double[] online, double[] onlineLo, double[] onlineHi,
                          double[] frozen, double[] persistence) {
    }

    public MethodScore result(String method) {
        return results.stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }
}
