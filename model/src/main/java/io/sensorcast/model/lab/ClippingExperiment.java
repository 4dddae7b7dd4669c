package io.sensorcast.model.lab;

import io.sensorcast.model.ClippingPolicy;
import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.OnlineTrainer;
import io.sensorcast.model.TrainerMetrics;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Sgd;

import java.time.Clock;
import java.util.function.IntConsumer;

/**
 * Experiment 2: the forecaster trained by {@link OnlineTrainer} on {@link EchoSeries} (lag 60), without clipping and
 * with global-norm clipping, same seeds for every run.
 *
 * <p>Plain SGD, as in Pascanu et al. 2013: Adam divides each step by a running gradient scale, which already damps
 * a single spike, so the effect of clipping alone is clearest without it. The trainer's rollback is switched off so
 * an unclipped run shows what the gradient does rather than how the recovery copes; non-finite steps are still
 * skipped (the trainer always does that). Full BPTT over the window's input steps, so gradients really travel
 * 50+ steps.
 */
public final class ClippingExperiment {
    /** Lag of the echo: the dependency the forecaster must carry. */
    public static final int LAG = 60;

    private final ModelConfig base;
    private final int steps;
    private final long seed;

    /** One run's setting: cell, and the global-norm threshold in PyTorch units (null = no clipping). */
    public record Setting(ModelConfig.Cell cell, Double torchThreshold) {
        public String clipLabel() {
            return torchThreshold == null ? "none" : String.valueOf(torchThreshold);
        }
    }

    /** The outcome of one run; {@code threshold} is the trainer's (DL4J-unit) threshold or NaN. */
    public record Result(Setting setting, double threshold, TrainingRun run, double finalLoss) {
    }

    public ClippingExperiment(int steps, long seed) {
        this.steps = steps;
        this.seed = seed;
        ModelConfig d = ModelConfig.defaults();
        int inputSteps = d.inputSteps();
        this.base = d.withTbptt(inputSteps, inputSteps)
                .withLearningRate(LEARNING_RATE).withOnlineLearningRate(LEARNING_RATE)
                .withBatchSize(16)
                .withRollback(Integer.MAX_VALUE, Integer.MAX_VALUE)
                .withSpectralNormEvery(0)
                .withSeed(seed);
    }

    /** SGD rate: high enough that unclipped recurrent gradients hurt within a few hundred steps. */
    public static final double LEARNING_RATE = 0.02;

    /** The trainer configuration of one setting. */
    public ModelConfig config(Setting s) {
        ModelConfig c = base.withCell(s.cell());
        return s.torchThreshold() == null ? c.withClipping(ClippingPolicy.NONE, ModelConfig.DEFAULT_CLIP_THRESHOLD)
                : c.withClipping(ClippingPolicy.GLOBAL_NORM, ModelConfig.pytorchEquivalentThreshold(s.torchThreshold(), c.tbpttForward()));
    }

    /** Trains one setting; {@code progress} receives the count of steps done. */
    public Result run(Setting s, IntConsumer progress) {
        ModelConfig c = config(s);
        MultiLayerNetwork net = ForecastNetworkFactory.build(c, new Sgd(LEARNING_RATE));
        OnlineTrainer trainer = new OnlineTrainer("lab-clipping", c, net, 0, TrainerMetrics.noop(c.clipThreshold()), Clock.systemUTC());
        EchoSeries series = new EchoSeries(LAG, 0.95, seed);
        TrainingRun run = new TrainingRun();
        for (int i = 0; i < steps; i++) {
            run.record(trainer.train(series.windows(c.batchSize(), c.window())), trainer);
            progress.accept(i + 1);
        }
        float[][] heldOut = new EchoSeries(LAG, 0.95, seed + 1).windows(64, c.window());
        double threshold = s.torchThreshold() == null ? Double.NaN : c.clipThreshold();
        return new Result(s, threshold, run, ForecastError.meanSquared(trainer, heldOut));
    }
}
