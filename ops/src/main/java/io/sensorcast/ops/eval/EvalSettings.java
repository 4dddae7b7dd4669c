package io.sensorcast.ops.eval;

import java.nio.file.Path;
import java.time.Duration;

import io.sensorcast.model.ModelConfig;

/**
 * One eval run: the series, how to cut it, and the model and training settings.
 *
 * @param step        resampling step, or null for the median spacing of the timestamps
 * @param season      seasonal-naive period in steps, or null for one day of steps
 * @param split       {@link SeriesSplit} spec (row counts or fractions)
 * @param passes      most passes over the train span for the frozen model (fewer when validation stops improving)
 * @param patience    passes without a better validation MSE before training stops
 * @param maxGapSteps ingest's longest interpolated gap
 * @param replay      old windows replayed per fresh window in each online step ({@link io.sensorcast.model.ReplayBuffer})
 */
public record EvalSettings(Path csv, String timeColumn, String valueColumn, Duration step, Integer season, String split,
                           int passes, int patience, int maxGapSteps, double replay, ModelConfig model) {
    public EvalSettings {
        if (passes < 1) {
            throw new IllegalArgumentException("--passes must be >= 1, got " + passes);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("--patience must be >= 1, got " + patience);
        }
        if (step != null && step.toMillis() < 1) {
            throw new IllegalArgumentException("--step must be at least 1 ms, got " + step);
        }
        if (!(replay >= 0)) {
            throw new IllegalArgumentException("--replay must be >= 0, got " + replay);
        }
        if (season != null && season < 1) {
            throw new IllegalArgumentException("--season must be >= 1 step, got " + season);
        }
    }
}
