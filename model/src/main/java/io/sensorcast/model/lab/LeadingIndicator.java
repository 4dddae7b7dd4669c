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
 * {@link EchoSeries} as in {@link ClippingExperiment} but with the trainer's default global-norm clipping; the trainer
 * probes σ₁ every step. Reports when {@link SpectralNormRule#ALERT_RULE_IN_STEPS} would first fire and when the
 * detector raised its first explosion ({@code SensorcastGradientExplosion} fires on the first one).
 */
public final class LeadingIndicator {
    /** Initial spectral radius of the run. */
    public static final double RADIUS = Double.parseDouble(System.getProperty("lab.radius", "1.1"));

    private final int steps;
    private final long seed;
    private final double radius;
    private final double learningRate;

    /**
     * @param alertStep          first step the spectral-norm rule fires, or −1
     * @param firstExplosionStep first step with a detector event, or −1
     */
    public record Result(double radius, double initialSpectralNorm, int alertStep, int firstExplosionStep, TrainingRun run) {
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
                .withLearningRate(learningRate).withOnlineLearningRate(learningRate)
                .withBatchSize(16)
                .withRollback(Integer.MAX_VALUE, Integer.MAX_VALUE)
                .withSpectralNormEvery(1)
                .withClipping(ClippingPolicy.GLOBAL_NORM, ModelConfig.pytorchEquivalentThreshold(5.0, d.inputSteps()))
                .withSeed(seed);
        MultiLayerNetwork net = ForecastNetworkFactory.build(config, new Sgd(learningRate));
        RecurrentInit.setRecurrentWeights(net, 0, RecurrentInit.scaledOrthogonal(config.hidden(), radius, seed));
        double initial = SpectralNorm.recurrentLayers(net).get(0);
        OnlineTrainer trainer = new OnlineTrainer("lab-indicator", config, net, 0, TrainerMetrics.noop(config.clipThreshold()), Clock.systemUTC());
        EchoSeries series = new EchoSeries(ClippingExperiment.LAG, 0.95, seed);
        TrainingRun run = new TrainingRun();
        for (int i = 0; i < steps; i++) {
            run.record(trainer.train(series.windows(config.batchSize(), config.window())), trainer);
            progress.accept(i + 1);
        }
        int alert = SpectralNormRule.ALERT_RULE_IN_STEPS.firstFiring(run.spectralNorms());
        int explosion = run.explosionSteps().isEmpty() ? -1 : Math.toIntExact(run.explosionSteps().get(0));
        return new Result(radius, initial, alert, explosion, run);
    }
}
