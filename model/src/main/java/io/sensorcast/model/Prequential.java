package io.sensorcast.model;

/**
 * The test half of test-then-train: each window's forecast from its last input step (step W−horizon−1, made with the
 * model as it was before training on the window) against the window's last {@code horizon} values, averaged over the
 * batch and the horizon; with persistence (the last input value repeated) scored on the same points.
 *
 * <p>Caveat: with windows that overlap by more than {@code horizon} steps (a hop of 1), the model has already
 * trained on some of these target values as targets of earlier origins; use a hop ≥ horizon for a leak-free score.
 *
 * @param mae                MAE in sensor units (normalised error × the window's std)
 * @param persistenceMae     persistence's MAE in sensor units
 * @param mse                MSE in normalised units
 * @param persistenceMse     persistence's MSE in normalised units
 * @param windows            windows scored
 */
public record Prequential(double mae, double persistenceMae, double mse, double persistenceMse, int windows) {
}
