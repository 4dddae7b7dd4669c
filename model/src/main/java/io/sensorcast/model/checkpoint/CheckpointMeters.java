package io.sensorcast.model.checkpoint;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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
}
