package io.sensorcast.model.lab;

import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.SpectralNorm;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The gradient lab (issue 9): four experiments on the project's own networks ({@link ForecastNetworkFactory}),
 * trainer ({@link io.sensorcast.model.OnlineTrainer}), clipping ({@link io.sensorcast.model.GradientClipper}) and
 * detector ({@link io.sensorcast.model.ExplosionDetector}). Each run is independent and seeded, so the runs are
 * spread over {@code threads} worker threads (one ND4J thread each) and the result does not depend on the order.
 */
public final class GradientLab {

    /**
     * @param sequenceLength T of the gradient-flow experiment
     * @param clippingSteps  training steps per clipping run
     * @param policySteps    training steps of the policy comparison
     * @param indicatorSteps training steps of the leading-indicator run
     */
    public record Settings(int sequenceLength, int clippingSteps, int policySteps, int indicatorSteps, long seed, int threads) {
        public Settings {
            if (sequenceLength < 51 || clippingSteps < 20 || policySteps < 1 || indicatorSteps < 40 || threads < 1) {
                throw new IllegalArgumentException("need T > 50, >= 20 clipping steps, >= 40 indicator steps, >= 1 thread");
            }
        }

        /** The sizes: T = 200. */
        public static Settings full(long seed, int threads) {
            return new Settings(200, 300, 150, 300, seed, threads);
        }

        /** Small enough for the test suite; still long enough to see every effect. */
        public static Settings quick(long seed, int threads) {
            return new Settings(80, 100, 40, 150, seed, threads);
        }
    }

    /** Global-norm thresholds of the clipping experiment, PyTorch units; null = no clipping. */
    public static final List<Double> CLIP_THRESHOLDS = java.util.Arrays.asList(null, 1.0, 5.0, 15.0);

    /** Everything the lab measured. */
    public record Report(Settings settings, List<FlowResult> flow, List<ClippingExperiment.Result> clipping,
                         List<PolicyComparison.Result> policies, LeadingIndicator.Result indicator, Duration elapsed) {
    }

    /** Progress: units done of the total (a unit is a backward pass or a training step). */
    public interface Progress {
        void update(long done, long total);
    }

    public static List<FlowCase> flowCases() {
        return List.of(
                new FlowCase(ModelConfig.Cell.RNN_TANH, 0.9, null),
                new FlowCase(ModelConfig.Cell.RNN_TANH, 1.0, null),
                new FlowCase(ModelConfig.Cell.RNN_TANH, 1.1, null),
                new FlowCase(ModelConfig.Cell.RNN_RELU_IDENTITY, null, null),
                new FlowCase(ModelConfig.Cell.LSTM, null, 0.0),
                new FlowCase(ModelConfig.Cell.LSTM, null, 1.0));
    }

    /** The network of one gradient-flow case, built by the factory (and rescaled for the tanh cases). */
    public static MultiLayerNetwork flowNetwork(FlowCase c, long seed) {
        ModelConfig config = ModelConfig.defaults().withCell(c.cell()).withSeed(seed);
        if (c.forgetBias() != null) {
            config = config.withForgetGateBias(c.forgetBias());
        }
        MultiLayerNetwork net = ForecastNetworkFactory.build(config);
        if (c.spectralRadius() != null) {
            RecurrentInit.setRecurrentWeights(net, 0, RecurrentInit.scaledOrthogonal(config.hidden(), c.spectralRadius(), seed));
        }
        return net;
    }

    /** Experiment 1 for one case: a seeded standard-normal input sequence of T + 1 steps, random targets. */
    public static FlowResult gradientFlow(FlowCase c, int sequenceLength, long seed, IntConsumer progress) {
        MultiLayerNetwork net = flowNetwork(c, seed);
        int steps = sequenceLength + 1;
        Random random = new Random(seed);
        int horizon = (int) net.getOutputLayer().getParam("b").length();
        float[] x = new float[steps];
        float[] y = new float[horizon * steps];
        for (int t = 0; t < steps; t++) {
            x[t] = (float) random.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextGaussian();
        }
        INDArray features = Nd4j.create(x, new long[]{1, 1, steps}, 'f');
        INDArray labels = Nd4j.create(y, new long[]{1, horizon, steps}, 'f');
        double sigma = SpectralNorm.recurrentLayers(net).get(0);
        return new FlowResult(c, sigma, GradientFlow.norms(net, features, labels, progress));
    }

    /** Runs all four experiments. */
    public static Report run(Settings s, Progress progress) {
        long started = System.nanoTime();
        List<FlowCase> cases = flowCases();
        ClippingExperiment clipping = new ClippingExperiment(s.clippingSteps(), s.seed());
        List<ClippingExperiment.Setting> clipSettings = new ArrayList<>();
        for (ModelConfig.Cell cell : List.of(ModelConfig.Cell.RNN_TANH, ModelConfig.Cell.LSTM)) {
            for (Double t : CLIP_THRESHOLDS) {
                clipSettings.add(new ClippingExperiment.Setting(cell, t));
            }
        }
        PolicyComparison policies = new PolicyComparison(s.policySteps(), s.seed());
        LeadingIndicator indicator = new LeadingIndicator(s.indicatorSteps(), s.seed(), LeadingIndicator.RADIUS, LeadingIndicator.RAMP_LEARNING_RATE);

        long total = (long) cases.size() * (s.sequenceLength() + 1) + (long) clipSettings.size() * s.clippingSteps()
                + s.policySteps() + s.indicatorSteps();
        AtomicLong done = new AtomicLong();
        IntConsumer tick = new IntConsumer() {
            @Override
            public void accept(int ignored) {
                progress.update(done.incrementAndGet(), total);
            }
        };

        // heaviest first (LSTM runs), so two threads finish together
        List<Job<?>> jobs = new ArrayList<>();
        List<Job<FlowResult>> flowJobs = new ArrayList<>();
        for (FlowCase c : cases) {
            Job<FlowResult> j = new Job<>(c.cell() == ModelConfig.Cell.LSTM ? 3 : 1, () -> gradientFlow(c, s.sequenceLength(), s.seed(), tick));
            flowJobs.add(j);
            jobs.add(j);
        }
        List<Job<ClippingExperiment.Result>> clipJobs = new ArrayList<>();
        for (ClippingExperiment.Setting cs : clipSettings) {
            Job<ClippingExperiment.Result> j = new Job<>(cs.cell() == ModelConfig.Cell.LSTM ? 3 : 1, () -> clipping.run(cs, tick));
            clipJobs.add(j);
            jobs.add(j);
        }
        Job<List<PolicyComparison.Result>> policyJob = new Job<>(3, () -> policies.run(tick));
        Job<LeadingIndicator.Result> indicatorJob = new Job<>(1, () -> indicator.run(tick));
        jobs.add(policyJob);
        jobs.add(indicatorJob);

        ExecutorService pool = Executors.newFixedThreadPool(s.threads(), r -> {
            Thread t = new Thread(r, "gradient-lab");
            t.setDaemon(true);
            return t;
        });
        try {
            jobs.stream().sorted(Comparator.comparingInt((Job<?> j) -> -j.weight)).forEach(j -> j.submit(pool));
            List<FlowResult> flow = new ArrayList<>();
            for (Job<FlowResult> j : flowJobs) {
                flow.add(j.get());
            }
            List<ClippingExperiment.Result> clip = new ArrayList<>();
            for (Job<ClippingExperiment.Result> j : clipJobs) {
                clip.add(j.get());
            }
            return new Report(s, flow, clip, policyJob.get(), indicatorJob.get(), Duration.ofNanos(System.nanoTime() - started));
        } finally {
            pool.shutdownNow();
        }
    }

    private static final class Job<T> {
        final int weight;
        final Callable<T> work;
        Future<T> future;

        Job(int weight, Callable<T> work) {
            this.weight = weight;
            this.work = work;
        }

        void submit(ExecutorService pool) {
            future = pool.submit(work);
        }

        T get() {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }
}
