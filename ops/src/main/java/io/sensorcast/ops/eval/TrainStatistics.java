package io.sensorcast.ops.eval;

import java.util.List;

import io.sensorcast.ingest.Reading;

/**
 * What eval is allowed to know before the validation span starts: the mean and population standard deviation of the
 * train rows (the z-score the published ETTh1 tables use for their normalised MSE/MAE) and the in-sample MAE of the
 * one-step naive forecast over the train rows (Hyndman's MASE scale). Computed from the first {@code trainRows}
 * rows only, so no later value can leak into the reported figures.
 *
 * <p>Example: train rows 1, 2, 4 give mean 7/3, std √(14/9) ≈ 1.247 and naive scale (1 + 2) / 2 = 1.5.
 */
public record TrainStatistics(double mean, double std, double naiveScale) {

    public static TrainStatistics of(List<Reading> rows, int trainRows) {
        if (trainRows < 2 || trainRows > rows.size()) {
            throw new IllegalArgumentException("need at least 2 train rows (and no more than the series has), got " + trainRows);
        }
        double mean = 0;
        for (int i = 0; i < trainRows; i++) {
            mean += rows.get(i).value();
        }
        mean /= trainRows;
        double ss = 0;
        double naive = 0;
        for (int i = 0; i < trainRows; i++) {
            double d = rows.get(i).value() - mean;
            ss += d * d;
            if (i > 0) {
                naive += Math.abs(rows.get(i).value() - rows.get(i - 1).value());
            }
        }
        double std = Math.sqrt(ss / trainRows);
        return new TrainStatistics(mean, std > 0 ? std : 1.0, naive / (trainRows - 1));
    }

    /** The z-score of a value in the series' units. */
    public double normalise(double raw) {
        return (raw - mean) / std;
    }
}
