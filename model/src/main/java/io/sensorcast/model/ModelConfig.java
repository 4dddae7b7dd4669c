package io.sensorcast.model;

import java.util.Locale;

/**
 * Every model and trainer setting, declared once with its default (DESIGN.md "Model defaults"). Immutable: each
 * {@code withX} returns a copy. Libraries receive this object; {@code ops} layers file/env/flag overrides on top.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>setting</th><th>default</th><th>why</th></tr>
 * <tr><td>window</td><td>96</td><td>W steps per {@code sensor-sequences} record</td></tr>
 * <tr><td>horizon</td><td>24</td><td>the first W−horizon steps are inputs, at every input step the next horizon values are targets</td></tr>
 * <tr><td>cell</td><td>lstm</td><td>{@code rnn-tanh} and {@code rnn-relu-identity} (IRNN, Le et al. 2015) for comparison and the gradient lab</td></tr>
 * <tr><td>layers / hidden</td><td>1 / 64</td><td></td></tr>
 * <tr><td>forgetGateBias</td><td>1.0</td><td>Gers et al. 2000, Jozefowicz et al. 2015</td></tr>
 * <tr><td>learningRate</td><td>1e-3</td><td>Adam, used while the model is young (first {@code warmupSteps} steps)</td></tr>
 * <tr><td>onlineLearningRate</td><td>1e-4</td><td>Adam rate once warmed up; the issue measured 1e-3 online raising a trained model's
 *     MSE from 0.029 to 0.042 (worse than persistence) while 1e-4 kept 0.033. The rate anneals log-linearly from
 *     {@code learningRate} to this over {@code annealSteps} after {@code warmupSteps}.</td></tr>
 * <tr><td>tbpttForward / tbpttBackward</td><td>24 / 24</td><td>3 segments (= 3 updater steps) per 72-step input</td></tr>
 * <tr><td>clipping</td><td>global-norm, {@value #DEFAULT_CLIP_THRESHOLD}</td><td>see {@link #DEFAULT_CLIP_THRESHOLD}</td></tr>
 * <tr><td>explosionFactor</td><td>10</td><td>spike = pre-clip norm (or loss) above 10× its rolling median</td></tr>
 * <tr><td>medianWindow / minHistory</td><td>64 / 16</td><td>rolling-median length; no spike verdict before 16 samples</td></tr>
 * <tr><td>rollbackAfter / rollbackWindow</td><td>3 / 50</td><td>3 explosions within 50 steps ⇒ roll back, halve the rate</td></tr>
 * <tr><td>lrRecoverySteps</td><td>200</td><td>healthy steps for a halved rate to grow back (geometrically) to its schedule</td></tr>
 * <tr><td>goodSnapshotEvery</td><td>20</td><td>steps between "last good weights" copies (taken only when no explosion in the window)</td></tr>
 * <tr><td>batchSize</td><td>32</td><td>windows across sensors per step</td></tr>
 * <tr><td>spectralNormEvery</td><td>50</td><td>steps between largest-singular-value probes of each recurrent matrix (also probed at the first step)</td></tr>
 * <tr><td>seed</td><td>42</td><td></td></tr>
 * </table>
 *
 * @param relativeToLastValue the network predicts the change from the last observed value ({@link LastValueReference})
 * @param reReferenceInputs   also subtract the window's last input value from the inputs (off: it rules out stateful
 *                            {@code rnnTimeStep} serving; see {@link LastValueReference})
 * @param excludeOutputLayerFromClipping leave the output layer's gradient unclipped (its norm still counts in the
 *                            reported pre-clip norm)
 */
public record ModelConfig(
        int window,
        int horizon,
        Cell cell,
        int layers,
        int hidden,
        double forgetGateBias,
        double learningRate,
        double onlineLearningRate,
        int warmupSteps,
        int annealSteps,
        int tbpttForward,
        int tbpttBackward,
        ClippingPolicy clippingPolicy,
        double clipThreshold,
        boolean excludeOutputLayerFromClipping,
        double explosionFactor,
        int medianWindow,
        int minHistory,
        int rollbackAfter,
        int rollbackWindow,
        int lrRecoverySteps,
        int goodSnapshotEvery,
        int batchSize,
        int spectralNormEvery,
        boolean relativeToLastValue,
        boolean reReferenceInputs,
        long seed) {

    /**
     * Default global-norm threshold, in DL4J's units: 120 = 5.0 × 24.
     *
     * <p>The norm is taken over the gradient of DL4J's score averaged over the minibatch (the summed gradient DL4J
     * hands to listeners divided by B). DL4J's {@code LossMSE} averages over the {@code horizon} outputs but the
     * output layer <em>sums</em> over the time steps of a TBPTT segment, so its gradient is {@code tbpttForward} times
     * that of PyTorch's {@code mse_loss} (which also averages over time). PyTorch's customary
     * {@code clip_grad_norm_(…, 5.0)} (the peer benchmark) is therefore {@code 5.0 × tbpttForward = 120} here.
     * Use {@link #pytorchEquivalentThreshold(double, int)} when changing the TBPTT length.
     */
    public static final double DEFAULT_CLIP_THRESHOLD = 120.0;

    /** The recurrent cell. */
    public enum Cell {
        LSTM("lstm"), RNN_TANH("rnn-tanh"), RNN_RELU_IDENTITY("rnn-relu-identity");

        private final String code;

        Cell(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Cell fromCode(String code) {
            String c = code.trim().toLowerCase(Locale.ROOT);
            for (Cell cell : values()) {
                if (cell.code.equals(c)) {
                    return cell;
                }
            }
            throw new IllegalArgumentException("unknown cell '" + code + "' (expected lstm, rnn-tanh or rnn-relu-identity)");
        }
    }

    public ModelConfig {
        require(window > 1, "window must be > 1, got " + window);
        require(horizon >= 1 && horizon < window, "horizon must be in [1, window), got " + horizon);
        require(cell != null, "cell is required");
        require(layers >= 1, "layers must be >= 1, got " + layers);
        require(hidden >= 1, "hidden must be >= 1, got " + hidden);
        require(learningRate > 0 && onlineLearningRate > 0, "learning rates must be > 0");
        require(warmupSteps >= 0 && annealSteps >= 0, "warmupSteps and annealSteps must be >= 0");
        require(tbpttForward >= 1 && tbpttBackward >= 1 && tbpttBackward <= tbpttForward,
                "need 1 <= tbpttBackward <= tbpttForward, got " + tbpttForward + "/" + tbpttBackward);
        require(clippingPolicy != null, "clippingPolicy is required");
        require(clipThreshold > 0 && Double.isFinite(clipThreshold), "clipThreshold must be finite and > 0");
        require(explosionFactor > 1, "explosionFactor must be > 1, got " + explosionFactor);
        require(medianWindow >= 3 && minHistory >= 1 && minHistory <= medianWindow, "need 1 <= minHistory <= medianWindow, medianWindow >= 3");
        require(rollbackAfter >= 1 && rollbackWindow >= rollbackAfter, "need 1 <= rollbackAfter <= rollbackWindow");
        require(lrRecoverySteps >= 1, "lrRecoverySteps must be >= 1");
        require(goodSnapshotEvery >= 1, "goodSnapshotEvery must be >= 1");
        require(batchSize >= 1, "batchSize must be >= 1");
        require(spectralNormEvery >= 0, "spectralNormEvery must be >= 0 (0 = off)");
    }

    /** The defaults of DESIGN.md. */
    public static ModelConfig defaults() {
        return new ModelConfig(96, 24, Cell.LSTM, 1, 64, 1.0, 1e-3, 1e-4, 500, 500, 24, 24,
                ClippingPolicy.GLOBAL_NORM, DEFAULT_CLIP_THRESHOLD, false, 10.0, 64, 16, 3, 50, 200, 20, 32, 50,
                true, false, 42L);
    }

    /**
     * The threshold in DL4J's units equivalent to PyTorch's {@code clip_grad_norm_(params, torchThreshold)} with
     * {@code mse_loss}, at TBPTT segment length {@code tbptt} (see {@link #DEFAULT_CLIP_THRESHOLD}).
     */
    public static double pytorchEquivalentThreshold(double torchThreshold, int tbptt) {
        return torchThreshold * tbptt;
    }

    /** Input steps per window: W − horizon. */
    public int inputSteps() {
        return window - horizon;
    }

    /**
     * The Adam rate the schedule gives at {@code step} (before any back-off after a rollback): {@code learningRate}
     * for the first {@code warmupSteps}, then log-linear towards {@code onlineLearningRate} over
     * {@code annealSteps}, then {@code onlineLearningRate}.
     */
    public double scheduledLearningRate(long step) {
        if (step < warmupSteps) {
            return learningRate;
        }
        if (annealSteps == 0 || step >= (long) warmupSteps + annealSteps) {
            return onlineLearningRate;
        }
        double f = (double) (step - warmupSteps) / annealSteps;
        return Math.exp(Math.log(learningRate) * (1 - f) + Math.log(onlineLearningRate) * f);
    }

    public ModelConfig withWindow(int v) { return new ModelConfig(v, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withHorizon(int v) { return new ModelConfig(window, v, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    /** Window and horizon together (setting them one at a time can pass through an invalid pair). */
    public ModelConfig withShape(int window, int horizon) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withCell(Cell v) { return new ModelConfig(window, horizon, v, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withLayers(int v) { return new ModelConfig(window, horizon, cell, v, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withHidden(int v) { return new ModelConfig(window, horizon, cell, layers, v, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withForgetGateBias(double v) { return new ModelConfig(window, horizon, cell, layers, hidden, v, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withLearningRate(double v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, v, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withOnlineLearningRate(double v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, v, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withWarmupSteps(int v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, v, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withAnnealSteps(int v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, v, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withTbptt(int forward, int backward) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, forward, backward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withClipping(ClippingPolicy policy, double threshold) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, policy, threshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withExcludeOutputLayerFromClipping(boolean v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, v, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withExplosionFactor(double v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, v, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withMedianWindow(int window, int minHistory) { return new ModelConfig(this.window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, window, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withRollback(int after, int withinSteps) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, after, withinSteps, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withLrRecoverySteps(int v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, v, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withGoodSnapshotEvery(int v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, v, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withBatchSize(int v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, v, spectralNormEvery, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withSpectralNormEvery(int v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, v, relativeToLastValue, reReferenceInputs, seed); }
    public ModelConfig withRelativeToLastValue(boolean v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, v, reReferenceInputs, seed); }
    public ModelConfig withReReferenceInputs(boolean v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, v, seed); }
    public ModelConfig withSeed(long v) { return new ModelConfig(window, horizon, cell, layers, hidden, forgetGateBias, learningRate, onlineLearningRate, warmupSteps, annealSteps, tbpttForward, tbpttBackward, clippingPolicy, clipThreshold, excludeOutputLayerFromClipping, explosionFactor, medianWindow, minHistory, rollbackAfter, rollbackWindow, lrRecoverySteps, goodSnapshotEvery, batchSize, spectralNormEvery, relativeToLastValue, reReferenceInputs, v); }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
