package io.sensorcast.model.lab;

import io.sensorcast.model.ClippingPolicy;
import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.OnlineTrainer;
import io.sensorcast.model.SpectralNorm;
import io.sensorcast.model.TrainerMetrics;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Sgd;

import java.time.Clock;
import java.util.function.IntConsumer;

/**
 * Experiment 4: a tanh RNN initialised at spectral radius {@code radius} > 1 ({@link RecurrentInit}) trains on
 * {@link EchoSeries} as in {@link ClippingExperiment} with global-norm clipping at 5 (PyTorch units); the trainer
 * probes σ₁ every step. The rate follows the trainer's own schedule upwards: quiet at {@link #QUIET_LEARNING_RATE}
 * for the first fifth, so the detector and the rule have history, then log-linear to {@code learningRate} over two
 * thirds of the run. Reports when the condition of {@link SpectralNormRule#ALERT_RULE_IN_STEPS} first holds (and when
 * it would fire after its {@code for:}) and when the detector raised its first explosion (the condition of
 * {@code SensorcastGradientExplosion}, which has no {@code for:}).
 */
public final class LeadingIndicator {
    /** Initial spectral radius of the run. */
    public static final double RADIUS = 1.1;
    /** SGD rate of the quiet first fifth of the run. */
    public static final double QUIET_LEARNING_RATE = 0.005;
    /** SGD rate the run ramps up to. */
    public static final double RAMP_LEARNING_RATE = 0.04;

    private final int steps;
    private final long seed;
    private final double radius;
    private final double learningRate;

    /**
     * @param alertStep          first step at which the spectral-norm rule's condition holds (the alert turns pending), or −1
     * @param firingStep         first step at which it has held for the rule's {@code for:} (the alert fires), or −1
     * @param firstExplosionStep first step with a detector event (the explosion alert's condition), or −1
     */
    public record Result(double radius, double initialSpectralNorm, int alertStep, int firingStep, int firstExplosionStep, TrainingRun run) {
    }

    public LeadingIndicator(int steps, long seed, double radius, double learningRate) {
        this.steps = steps;
        this.seed = seed;
        this.radius = radius;
        this.learningRate = learningRate;
    }

    public Result run(IntConsumer progress) {
        ModelConfig d = ModelConfig.defaults();
        ModelConfig config = d.withCell(ModelConfig.Cell.RNN_TANH)
                .withTbptt(d.inputSteps(), d.inputSteps())
                // the trainer's own schedule, run upwards: quiet at a low rate while the detector and the alert rule
                // gather history, then a log-linear ramp to a rate at which this network cannot stay stable
                .withLearningRate(QUIET_LEARNING_RATE).withOnlineLearningRate(learningRate)
                .withWarmupSteps(steps / 5).withAnnealSteps(steps * 2 / 3)
                .withBatchSize(16)
                .withRollback(Integer.MAX_VALUE, Integer.MAX_VALUE)
                .withSpectralNormEvery(1)
                .withClipping(ClippingPolicy.GLOBAL_NORM, ModelConfig.pytorchEquivalentThreshold(5.0, d.inputSteps()))
                .withSeed(seed);
        MultiLayerNetwork net = ForecastNetworkFactory.build(config, new Sgd(QUIET_LEARNING_RATE));
        RecurrentInit.setRecurrentWeights(net, 0, RecurrentInit.scaledOrthogonal(config.hidden(), radius, seed));
        double initial = SpectralNorm.recurrentLayers(net).get(0);
        OnlineTrainer trainer = new OnlineTrainer("lab-indicator", config, net, 0, TrainerMetrics.noop(config.clipThreshold()), Clock.systemUTC());
        EchoSeries series = new EchoSeries(ClippingExperiment.LAG, 0.95, seed);
        TrainingRun run = new TrainingRun();
        for (int i = 0; i < steps; i++) {
            run.record(trainer.train(series.windows(config.batchSize(), config.window())), trainer);
            progress.accept(i + 1);
        }
        int alert = SpectralNormRule.ALERT_RULE_IN_STEPS.firstCondition(run.spectralNorms());
        int firing = SpectralNormRule.ALERT_RULE_IN_STEPS.firstFiring(run.spectralNorms());
        int explosion = run.explosionSteps().isEmpty() ? -1 : Math.toIntExact(run.explosionSteps().get(0));
        return new Result(radius, initial, alert, firing, explosion, run);
    }
}
