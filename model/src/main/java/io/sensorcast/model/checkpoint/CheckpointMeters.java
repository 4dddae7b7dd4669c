package io.sensorcast.model.checkpoint;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The trainer's checkpoint meters, tagged with the model id:
 * <ul>
 *   <li>{@code sensorcast.trainer.checkpoints.published} (counter) → {@code sensorcast_trainer_checkpoints_published_total}</li>
 *   <li>{@code sensorcast.trainer.checkpoints.withheld} (counter, tag {@code reason} = {@link WithheldReason#code()},
 *       every reason registered at 0) → {@code sensorcast_trainer_checkpoints_withheld_total}</li>
 *   <li>{@code sensorcast.trainer.checkpoint.version} (gauge) → {@code sensorcast_trainer_checkpoint_version}</li>
 *   <li>{@code sensorcast.trainer.last.checkpoint.timestamp.seconds} (gauge, epoch seconds of the newest checkpoint's
 *       creation) → {@code sensorcast_trainer_last_checkpoint_timestamp_seconds}; set on resume too, so a restarted
 *       trainer does not look stale before its first new checkpoint</li>
 * </ul>
 */
public final class CheckpointMeters implements CheckpointListener {
    private final Counter published;
    private final Map<WithheldReason, Counter> withheld = new EnumMap<>(WithheldReason.class);
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong lastCreatedAtMs = new AtomicLong();
    private final Counter consumed;
    private final Counter trained;
    /** Exponentially weighted (α = 0.1 per poll) share of polled sequences trained on; 1 while keeping up. */
    private final AtomicReference<Double> trainedFraction = new AtomicReference<>(1.0);

    public CheckpointMeters(MeterRegistry registry, String modelId) {
        Tags model = Tags.of("model", modelId);
        published = Counter.builder("sensorcast.trainer.checkpoints.published")
                .description("Checkpoints committed to model-checkpoints")
                .tags(model).register(registry);
        for (WithheldReason reason : WithheldReason.values()) {
            withheld.put(reason, Counter.builder("sensorcast.trainer.checkpoints.withheld")
                    .description("Checkpoints not published because the model was not healthy, by reason")
                    .tags(model).tag("reason", reason.code()).register(registry));
        }
        Gauge.builder("sensorcast.trainer.checkpoint.version", version, AtomicLong::doubleValue)
                .description("Version of the newest checkpoint of this model (published or resumed from)")
                .tags(model).register(registry);
        consumed = Counter.builder("sensorcast.trainer.sequences.consumed")
                .description("Sequences the trainer consumed (trained on or, while behind, sampled out)")
                .tags(model).register(registry);
        trained = Counter.builder("sensorcast.trainer.sequences.sampled")
                .description("Sequences the trainer kept for training (all while keeping up, a sample while behind)")
                .tags(model).register(registry);
        Gauge.builder("sensorcast.trainer.trained.fraction", trainedFraction, AtomicReference::get)
                .description("Share of consumed sequences kept for training, exponentially weighted over polls")
                .tags(model).register(registry);
        Gauge.builder("sensorcast.trainer.last.checkpoint.timestamp.seconds", lastCreatedAtMs, ms -> ms.get() / 1000.0)
                .description("Creation time of the newest checkpoint of this model, epoch seconds")
                .tags(model).register(registry);
    }

    @Override
    public void resumed(CheckpointEnvelope latest) {
        version.set(latest.version());
        lastCreatedAtMs.set(latest.createdAtMs());
    }

    @Override
    public void published(CheckpointEnvelope envelope) {
        published.increment();
        version.set(envelope.version());
        lastCreatedAtMs.set(envelope.createdAtMs());
    }

    @Override
    public void withheld(WithheldReason reason, String detail) {
        withheld.get(reason).increment();
    }

    @Override
    public void polled(int polled, int kept) {
        if (polled > 0) {
            consumed.increment(polled);
            trained.increment(kept);
            trainedFraction.updateAndGet(f -> 0.9 * f + 0.1 * kept / polled);
        }
    }
}
