package io.sensorcast.model;

import io.sensorcast.ingest.SensorSequence;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Keeps one forecaster learning online: test-then-train on batches of windows, with truncated BPTT, gradient clipping
 * that really changes the applied update, explosion detection and recovery, and the trainer's metrics.
 *
 * <p><b>One step</b> ({@link #testThenTrain(List)}): (1) score the batch with the current model
 * ({@link Prequential}); (2) snapshot parameters, updater state and iteration count; (3) {@code fit} the batch with
 * DL4J's TBPTT — for every segment {@link GradientClipper}'s listener measures and clips the gradient before the
 * updater uses it; (4) judge the step ({@link ExplosionDetector}): a non-finite gradient or loss undoes the step
 * (snapshot restored: the parameters do not change at all), a spike keeps the clipped update and emits an event,
 * repeated explosions restore the last good weights (copied every {@code goodSnapshotEvery} quiet steps) and halve
 * the learning rate, which then grows back geometrically over {@code lrRecoverySteps} healthy steps; (5) metrics,
 * events, and at the first step and every {@code spectralNormEvery} steps the recurrent matrices' σ₁.
 *
 * <p><b>Learning rate.</b> {@link ModelConfig#scheduledLearningRate(long)} (1e-3 while young, annealed to the
 * online rate 1e-4) times the back-off multiplier. It is set on the layers' updater configs, which DL4J's updaters
 * read at every step, so changing it allocates nothing.
 *
 * <p>Not thread-safe: one thread drives a trainer. The network returned by {@link #network()} is live; checkpoint it
 * between steps.
 */
public final class OnlineTrainer {
    private final String modelId;
    private final ModelConfig config;
    private final TrainerMetrics metrics;
    private final Clock clock;
    private final LastValueReference reference;
    private final GradientClipper clipper;
    private final ExplosionDetector detector;
    private final List<Consumer<GradientEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<GradientClipper.SegmentResult> segments = new ArrayList<>();
    private final GradientClipper.SegmentListener listener;

    private MultiLayerNetwork network;
    private Snapshot beforeStep;
    private Snapshot lastGood;
    private long step;
    private double lrMultiplier = 1.0;
    private double appliedLr = Double.NaN;
    private double pendingSpike = 1.0;
    private StepReport lastReport;
    private Map<Integer, Double> lastSpectral = Map.of();
    private double prequentialMaeEwma = Double.NaN;
    private double prequentialMseEwma = Double.NaN;

    /** A fresh network built from {@code config}. */
    public OnlineTrainer(String modelId, ModelConfig config, TrainerMetrics metrics, Clock clock) {
        this(modelId, config, ForecastNetworkFactory.build(config), 0, metrics, clock);
    }

    /** Continues training {@code network} (e.g. restored from a checkpoint) from trainer step {@code step}. */
    public OnlineTrainer(String modelId, ModelConfig config, MultiLayerNetwork network, long step, TrainerMetrics metrics, Clock clock) {
        this.modelId = modelId;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.reference = new LastValueReference(config);
        this.clipper = GradientClipper.of(config);
        this.detector = ExplosionDetector.of(config);
        this.listener = clipper.listener(segments::add);
        attach(network, step);
    }

    /** Snapshot of everything a step changes. */
    private static final class Snapshot {
        final INDArray params;
        final INDArray updaterState;
        int iteration;

        Snapshot(MultiLayerNetwork net) {
            params = net.params().dup();
            INDArray state = net.getUpdater().getStateViewArray();
            updaterState = state == null ? null : state.dup();
            iteration = net.getIterationCount();
        }

        void copyFrom(MultiLayerNetwork net) {
            params.assign(net.params());
            if (updaterState != null) {
                updaterState.assign(net.getUpdater().getStateViewArray());
            }
            iteration = net.getIterationCount();
        }

        void restoreInto(MultiLayerNetwork net) {
            net.params().assign(params);
            if (updaterState != null) {
                net.getUpdater().getStateViewArray().assign(updaterState);
            }
            net.setIterationCount(iteration);
        }
    }

    private void attach(MultiLayerNetwork net, long atStep) {
        if (network != null) {
            List<org.deeplearning4j.optimize.api.TrainingListener> kept = new ArrayList<>(network.getListeners());
            kept.remove(listener);
            network.setListeners(kept);
        }
        network = net;
        step = atStep;
        FusedLstmKernel.install(network);
        network.addListeners(listener);
        network.getUpdater();
        beforeStep = new Snapshot(network);
        lastGood = new Snapshot(network);
        appliedLr = Double.NaN;
        lastSpectral = Map.of();
        applyLearningRate();
    }

    /**
     * Replaces the network (e.g. after restoring the latest checkpoint on start-up) and the step count; the
     * detector's history and the learning-rate back-off are kept.
     */
    public void restore(MultiLayerNetwork restored, long atStep) {
        attach(restored, atStep);
    }

    public void addGradientEventListener(Consumer<GradientEvent> l) {
        eventListeners.add(l);
    }

    /** Scores the batch (before training on it), then trains one step on it. */
    public StepReport testThenTrain(List<SensorSequence> batch) {
        float[][] windows = windows(batch);
        double[] std = new double[batch.size()];
        for (int i = 0; i < std.length; i++) {
            std[i] = batch.get(i).std();
        }
        LastValueReference.TrainingArrays arrays = reference.trainingArrays(windows);
        Prequential p = score(windows, std, arrays.features());
        if (Double.isFinite(p.mae())) {
            prequentialMaeEwma = Double.isNaN(prequentialMaeEwma) ? p.mae() : 0.95 * prequentialMaeEwma + 0.05 * p.mae();
            prequentialMseEwma = Double.isNaN(prequentialMseEwma) ? p.mse() : 0.95 * prequentialMseEwma + 0.05 * p.mse();
            metrics.prequentialMae(p.mae());
        }
        return trainStep(arrays, p);
    }

    /** Trains one step on the batch without scoring it first. */
    public StepReport train(List<SensorSequence> batch) {
        return train(windows(batch));
    }

    /** Trains one step on normalised W-step windows without scoring them first. */
    public StepReport train(float[][] windows) {
        return trainStep(reference.trainingArrays(windows), null);
    }

    /** Scores a batch with the current model without training (sensor units via each window's std). */
    public Prequential score(List<SensorSequence> batch) {
        float[][] windows = windows(batch);
        double[] std = new double[batch.size()];
        for (int i = 0; i < std.length; i++) {
            std[i] = batch.get(i).std();
        }
        return score(windows, std, reference.trainingArrays(windows).features());
    }

    private Prequential score(float[][] windows, double[] std, INDArray features) {
        int steps = reference.inputSteps();
        int h = reference.horizon();
        INDArray out = network.output(features, false);
        float[] last = new float[windows.length];
        for (int i = 0; i < windows.length; i++) {
            last[i] = windows[i][steps - 1];
        }
        float[][] forecasts = reference.toAbsolute(last, out, steps - 1);
        double mae = 0;
        double pMae = 0;
        double mse = 0;
        double pMse = 0;
        for (int i = 0; i < windows.length; i++) {
            for (int k = 0; k < h; k++) {
                double truth = windows[i][steps + k];
                double e = forecasts[i][k] - truth;
                double pe = last[i] - truth;
                mae += Math.abs(e) * std[i];
                pMae += Math.abs(pe) * std[i];
                mse += e * e;
                pMse += pe * pe;
            }
        }
        double n = (double) windows.length * h;
        return new Prequential(mae / n, pMae / n, mse / n, pMse / n, windows.length);
    }

    private StepReport trainStep(LastValueReference.TrainingArrays arrays, Prequential prequential) {
        double lr = applyLearningRate();
        beforeStep.copyFrom(network);
        segments.clear();
        network.rnnClearPreviousState();
        network.fit(arrays.features(), arrays.labels());
        network.rnnClearPreviousState();

        double pre = 0;
        double post = 0;
        boolean clipped = false;
        boolean nonFinite = false;
        double lossSum = 0;
        double[] layerNorms = new double[0];
        for (GradientClipper.SegmentResult s : segments) {
            ClipResult c = s.clip();
            nonFinite |= c.nonFinite();
            clipped |= c.clipped();
            if (!(c.preClipNorm() <= pre)) { // NaN wins
                pre = c.preClipNorm();
                layerNorms = c.layerNorms();
            }
            post = Math.max(post, c.postClipNorm());
            lossSum += s.meanSquaredError();
        }
        double loss = segments.isEmpty() ? Double.NaN : lossSum / segments.size();
        if (!nonFinite && !Double.isFinite(network.params().sumNumber().doubleValue())) {
            nonFinite = true; // defensive: finite gradients should never give non-finite weights
        }
        if (nonFinite) {
            post = 0;
            clipped = false;
        }

        ExplosionDetector.Verdict verdict = detector.assess(step, pre, loss, nonFinite);
        boolean applied = !nonFinite;
        if (nonFinite) {
            beforeStep.restoreInto(network);
        }
        GradientEvent event = null;
        if (verdict.explosion()) {
            metrics.explosion(verdict.kind());
            if (verdict.action() == GradientEvent.Action.ROLLED_BACK) {
                lastGood.restoreInto(network);
                lrMultiplier *= 0.5;
                applied = false;
                metrics.rollback();
            }
            event = new GradientEvent(modelId, step, clock.millis(), verdict.kind(), pre, post, clipper.threshold(),
                    verdict.medianNorm(), loss, layerMap(layerNorms), verdict.action(),
                    config.scheduledLearningRate(step + 1) * lrMultiplier);
        } else {
            lrMultiplier = Math.min(1.0, lrMultiplier * Math.pow(2.0, 1.0 / config.lrRecoverySteps()));
        }
        metrics.recordStep(pre, post, clipped, loss, lr);
        step++;
        if (!nonFinite && step % config.goodSnapshotEvery() == 0 && detector.quietFor(step - 1, config.rollbackWindow())) {
            lastGood.copyFrom(network);
        }
        // Also at the first step of a new or restored network: dashboards and the leading-indicator alert get a value
        // (and a baseline) from the start instead of after spectralNormEvery steps.
        if (config.spectralNormEvery() > 0 && (step % config.spectralNormEvery() == 0 || lastSpectral.isEmpty())) {
            lastSpectral = SpectralNorm.recurrentLayers(network);
            lastSpectral.forEach(metrics::spectralNorm);
        }
        lastReport = new StepReport(step - 1, loss, pre, post, clipped, applied, lr, layerNorms, prequential, event);
        if (event != null) {
            for (Consumer<GradientEvent> l : eventListeners) {
                l.accept(event);
            }
        }
        return lastReport;
    }

    private static Map<String, Double> layerMap(double[] norms) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < norms.length; i++) {
            m.put(Integer.toString(i), norms[i]);
        }
        return m;
    }

    /**
     * Multiplies the learning rate of the next step only by {@code factor}: the injected "learning-rate spike" of the
     * demo ({@code --inject-explosion-at}), the gradient lab and the tests.
     */
    public void injectLearningRateSpike(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("factor must be finite and > 0, got " + factor);
        }
        pendingSpike = factor;
    }

    /** Sets the current rate on the network's updaters; returns it. */
    private double applyLearningRate() {
        double lr = config.scheduledLearningRate(step) * lrMultiplier * pendingSpike;
        pendingSpike = 1.0;
        // set before every step, not only on change: MultiLayerNetwork.clone() shares the layers' updater config
        // objects, so a clone trained elsewhere could have changed it (costs a few field writes)
        setLearningRate(network, lr);
        if (lr != appliedLr) {
            appliedLr = lr;
            metrics.learningRate(lr);
        }
        return lr;
    }

    /**
     * Sets the learning rate of every layer's updater config in place. DL4J's updaters hold these config objects
     * and read the rate at each step, so the next update uses it; unlike {@code MultiLayerNetwork.setLearningRate}
     * this does not rebuild the updater.
     */
    public static void setLearningRate(MultiLayerNetwork net, double lr) {
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base) {
                setLr(base.getIUpdater(), lr);
                setLr(base.getBiasUpdater(), lr);
            }
        }
    }

    private static void setLr(IUpdater u, double lr) {
        if (u != null && u.hasLearningRate()) {
            u.setLrAndSchedule(lr, null);
        }
    }

    /** Absolute normalised forecasts of the {@code horizon} steps after each window's last value. */
    public float[][] predict(float[][] windows) {
        return reference.forecast(network, windows);
    }

    /** Forecasts in each sensor's own units for the {@code horizon} steps after each sequence's last value. */
    public double[][] predict(List<SensorSequence> batch) {
        float[][] f = predict(windows(batch));
        double[][] out = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            SensorSequence s = batch.get(i);
            out[i] = new double[f[i].length];
            for (int k = 0; k < f[i].length; k++) {
                out[i][k] = s.denormalise(f[i][k]);
            }
        }
        return out;
    }

    private float[][] windows(List<SensorSequence> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        float[][] w = new float[batch.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = batch.get(i).values();
        }
        return w;
    }

    public String modelId() {
        return modelId;
    }

    public ModelConfig config() {
        return config;
    }

    /** Steps trained so far (skipped and rolled-back steps included); the checkpoint's training step. */
    public long step() {
        return step;
    }

    /** The rate the next step will use (schedule × back-off). */
    public double learningRate() {
        return config.scheduledLearningRate(step) * lrMultiplier;
    }

    /** The back-off multiplier: 1 normally, halved by each rollback, recovering towards 1. */
    public double learningRateMultiplier() {
        return lrMultiplier;
    }

    /** The latest step's report, or null before the first step. */
    public StepReport lastReport() {
        return lastReport;
    }

    /** σ₁ per recurrent layer from the latest probe (empty before the first). */
    public Map<Integer, Double> lastSpectralNorms() {
        return Collections.unmodifiableMap(lastSpectral);
    }

    /** The step of the latest explosion, or −1 (for the checkpoint gate: "no explosion in the last K steps"). */
    public long lastExplosionStep() {
        return detector.lastExplosionStep();
    }

    /** Exponentially weighted (α = 0.05) prequential MAE in sensor units; NaN before the first scored batch. */
    public double prequentialMae() {
        return prequentialMaeEwma;
    }

    /** Exponentially weighted (α = 0.05) prequential MSE in normalised units; NaN before the first scored batch. */
    public double prequentialMse() {
        return prequentialMseEwma;
    }

    /** The live network (for checkpointing between steps). */
    public MultiLayerNetwork network() {
        return network;
    }

    public LastValueReference reference() {
        return reference;
    }
}
