package io.sensorcast.model.lab;

import io.sensorcast.model.OnlineTrainer;

/** Forecast error of a trained model on held-out windows, in normalised units. */
final class ForecastError {
    private ForecastError() {
    }

    /** MSE over all horizon steps of the forecasts made from each window's input steps (NaN if non-finite). */
    static double meanSquared(OnlineTrainer trainer, float[][] windows) {
        int inputSteps = trainer.config().inputSteps();
        int horizon = trainer.config().horizon();
        float[][] inputs = new float[windows.length][];
        for (int i = 0; i < windows.length; i++) {
            inputs[i] = java.util.Arrays.copyOf(windows[i], inputSteps);
        }
        float[][] forecasts = trainer.predict(inputs);
        double sum = 0;
        for (int i = 0; i < windows.length; i++) {
            for (int k = 0; k < horizon; k++) {
                double e = forecasts[i][k] - windows[i][inputSteps + k];
                sum += e * e;
            }
        }
        return sum / ((double) windows.length * horizon);
    }
}
