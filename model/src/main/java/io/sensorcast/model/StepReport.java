package io.sensorcast.model;

/**
 * The outcome of one training step of {@link OnlineTrainer}.
 *
 * @param step          the trainer step this report is for (the count of steps before it)
 * @param loss          training loss: mean over the TBPTT segments of DL4J's segment score ÷ segment length
 *                      (PyTorch {@code mse_loss} units, normalised), before each segment's update; NaN if non-finite
 * @param preClipNorm   the largest pre-clip global norm among the segments (minibatch-mean units)
 * @param postClipNorm  the largest post-clip norm among the segments (0 for a skipped step)
 * @param clipped       whether any segment was clipped
 * @param applied       whether the update stands (false when skipped or rolled back)
 * @param learningRate  the rate used for this step
 * @param layerNorms    pre-clip per-layer norms of the segment with the largest global norm
 * @param prequential   the score of the batch before training on it, or null for {@link OnlineTrainer#train}
 * @param event         the gradient event of this step, or null
 */
public record StepReport(long step, double loss, double preClipNorm, double postClipNorm, boolean clipped, boolean applied,
                         double learningRate, double[] layerNorms, Prequential prequential, GradientEvent event) {
}
