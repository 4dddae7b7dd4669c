package io.sensorcast.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single owner of the trainer's meters (DESIGN.md "Metrics"), registered in the registry handed in. Dot names;
 * the Prometheus registry adds {@code _total} to counters and the base unit to the timestamp gauge.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>Micrometer</th><th>Prometheus</th></tr>
 * <tr><td>DistributionSummary {@code sensorcast.trainer.gradient.norm{stage=pre_clip|post_clip}}</td>
 *     <td>{@code sensorcast_trainer_gradient_norm_bucket/_count/_sum}, {@code _max}</td></tr>
 * <tr><td>Gauge {@code sensorcast.trainer.gradient.norm.last}</td><td>{@code sensorcast_trainer_gradient_norm_last}</td></tr>
 * <tr><td>Counter {@code sensorcast.trainer.gradient.clipped}</td><td>{@code sensorcast_trainer_gradient_clipped_total}</td></tr>
 * <tr><td>Counter {@code sensorcast.trainer.gradient.explosions{kind}}</td><td>{@code sensorcast_trainer_gradient_explosions_total}</td></tr>
 * <tr><td>Counter {@code sensorcast.trainer.rollbacks}</td><td>{@code sensorcast_trainer_rollbacks_total}</td></tr>
 * <tr><td>Counter {@code sensorcast.trainer.steps}</td><td>{@code sensorcast_trainer_steps_total}</td></tr>
 * <tr><td>Counter {@code sensorcast.trainer.loop.restarts}</td><td>{@code sensorcast_trainer_loop_restarts_total}</td></tr>
 * <tr><td>Gauges {@code sensorcast.trainer.loss}, {@code .prequential.mae}, {@code .learning.rate}</td><td>same with {@code _}</td></tr>
 * <tr><td>Gauge {@code sensorcast.trainer.recurrent.spectral.norm{layer}}</td><td>{@code sensorcast_trainer_recurrent_spectral_norm}</td></tr>
 * </table>
 *
 * <p>Checkpoint meters ({@code sensorcast.trainer.checkpoints.*}, {@code .checkpoint.version},
 * {@code .last.checkpoint.timestamp.seconds}) belong to {@link io.sensorcast.model.checkpoint.CheckpointMeters}.
 *
 * <p>Gradient norms are recorded once per training step (the largest pre-/post-clip norm among its TBPTT segments),
 * so {@code rate(..._bucket{stage="pre_clip",le="<threshold>"})/rate(..._count)} is the fraction of steps not clipped.
 * The SLO buckets are log-spaced and always contain the clip threshold. Tags are closed sets: stage, kind, layer
 * (layer index), reason, and {@code model} (the model id, one per trainer).
 */
public final class TrainerMetrics {
    private final MeterRegistry registry;
    private final Tags common;
    private final DistributionSummary preClip;
    private final DistributionSummary postClip;
    private final Counter clipped;
    private final Counter rollbacks;
    private final Counter steps;
    private final Counter loopRestarts;
    private final Map<GradientEvent.Kind, Counter> explosions = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicDouble> spectral = new ConcurrentHashMap<>();
    private final AtomicDouble lastNorm = new AtomicDouble(Double.NaN);
    private final AtomicDouble loss = new AtomicDouble(Double.NaN);
    private final AtomicDouble prequentialMae = new AtomicDouble(Double.NaN);
    private final AtomicDouble learningRate = new AtomicDouble(Double.NaN);

    /** A holder for gauges (Micrometer gauges keep a weak reference to their state object). */
    private static final class AtomicDouble {
        private volatile double value;

        AtomicDouble(double v) {
            value = v;
        }

        double get() {
            return value;
        }

        void set(double v) {
            value = v;
        }
    }

    /** Meters without a model tag (one trainer per process). */
    public TrainerMetrics(MeterRegistry registry, double clipThreshold) {
        this(registry, clipThreshold, Tags.empty());
    }

    /**
     * @param clipThreshold the clip threshold, placed among the norm histogram's buckets
     * @param commonTags    e.g. {@code Tags.of("model", modelId)} when several trainers share a registry
     */
    public TrainerMetrics(MeterRegistry registry, double clipThreshold, Tags commonTags) {
        this.registry = registry;
        this.common = commonTags;
        double[] buckets = normBuckets(clipThreshold);
        preClip = DistributionSummary.builder("sensorcast.trainer.gradient.norm")
                .description("Global L2 norm of the minibatch-mean gradient per training step (largest over its TBPTT segments)")
                .tags(common).tag("stage", "pre_clip")
                .serviceLevelObjectives(buckets)
                .register(registry);
        postClip = DistributionSummary.builder("sensorcast.trainer.gradient.norm")
                .description("Global L2 norm of the minibatch-mean gradient per training step (largest over its TBPTT segments)")
                .tags(common).tag("stage", "post_clip")
                .serviceLevelObjectives(buckets)
                .register(registry);
        Gauge.builder("sensorcast.trainer.gradient.norm.last", lastNorm, AtomicDouble::get)
                .description("Pre-clip global gradient norm of the latest training step").tags(common).register(registry);
        clipped = Counter.builder("sensorcast.trainer.gradient.clipped")
                .description("Training steps whose gradient the clipping policy changed").tags(common).register(registry);
        rollbacks = Counter.builder("sensorcast.trainer.rollbacks")
                .description("Roll-backs to the last good weights after repeated gradient explosions").tags(common).register(registry);
        steps = Counter.builder("sensorcast.trainer.steps")
                .description("Training steps (minibatches) processed, skipped ones included").tags(common).register(registry);
        loopRestarts = Counter.builder("sensorcast.trainer.loop.restarts")
                .description("Trainer loops started again from the last checkpoint after a transient Kafka error")
                .tags(common).register(registry);
        for (GradientEvent.Kind k : GradientEvent.Kind.values()) {
            explosions.put(k, Counter.builder("sensorcast.trainer.gradient.explosions")
                    .description("Gradient explosions detected, by kind").tags(common).tag("kind", k.code()).register(registry));
        }
        Gauge.builder("sensorcast.trainer.loss", loss, AtomicDouble::get)
                .description("Training loss of the latest step (mean squared error, normalised units)").tags(common).register(registry);
        Gauge.builder("sensorcast.trainer.prequential.mae", prequentialMae, AtomicDouble::get)
                .description("Prequential (test-then-train) mean absolute error of the latest scored batch, in sensor units, averaged over the horizon")
                .tags(common).register(registry);
        Gauge.builder("sensorcast.trainer.learning.rate", learningRate, AtomicDouble::get)
                .description("Learning rate in force").tags(common).register(registry);
    }

    /** For tests and tools that do not export metrics. */
    public static TrainerMetrics noop(double clipThreshold) {
        return new TrainerMetrics(new SimpleMeterRegistry(), clipThreshold);
    }

    /** Log-spaced 1-2-5 buckets from 1e-3 to 1e7, plus the threshold and 2× the threshold. */
    static double[] normBuckets(double threshold) {
        double[] base = {1, 2, 5};
        double[] out = new double[3 * 11 + 2];
        int n = 0;
        for (int e = -3; e <= 7; e++) {
            for (double b : base) {
                out[n++] = b * Math.pow(10, e);
            }
        }
        out[n++] = threshold;
        out[n++] = 2 * threshold;
        return Arrays.stream(out, 0, n).distinct().sorted().toArray();
    }

    /** A failed trainer loop is being started again (see {@link TrainerService}). */
    public void loopRestarted() {
        loopRestarts.increment();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** One training step's norms (minibatch-mean units); a non-finite pre-clip norm is not recorded in the summaries. */
    public void recordStep(double preClipNorm, double postClipNorm, boolean wasClipped, double trainingLoss, double lr) {
        steps.increment();
        lastNorm.set(preClipNorm);
        if (Double.isFinite(preClipNorm)) {
            preClip.record(preClipNorm);
        }
        if (Double.isFinite(postClipNorm)) {
            postClip.record(postClipNorm);
        }
        if (wasClipped) {
            clipped.increment();
        }
        loss.set(trainingLoss);
        learningRate.set(lr);
    }

    public void explosion(GradientEvent.Kind kind) {
        explosions.get(kind).increment();
    }

    public void rollback() {
        rollbacks.increment();
    }

    public void learningRate(double lr) {
        learningRate.set(lr);
    }

    public void prequentialMae(double mae) {
        prequentialMae.set(mae);
    }

    public void spectralNorm(int layer, double sigma) {
        spectral.computeIfAbsent(layer, l -> {
            AtomicDouble holder = new AtomicDouble(Double.NaN);
            Gauge.builder("sensorcast.trainer.recurrent.spectral.norm", holder, AtomicDouble::get)
                    .description("Largest singular value of the recurrent weight matrix of a layer (leading indicator of explosion)")
                    .tags(common).tag("layer", Integer.toString(l)).register(registry);
            return holder;
        }).set(sigma);
    }


}
