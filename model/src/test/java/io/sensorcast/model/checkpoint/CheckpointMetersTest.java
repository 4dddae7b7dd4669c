package io.sensorcast.model.checkpoint;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CheckpointMetersTest {
    @Test
    void shouldCountConsumedAndKeptSequencesAndWeighTheTrainedFraction() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CheckpointMeters meters = new CheckpointMeters(registry, "m");

        meters.polled(20, 20);
        meters.polled(20, 2);

        assertEquals(40, registry.get("sensorcast.trainer.sequences.consumed").tag("model", "m").counter().count());
        assertEquals(22, registry.get("sensorcast.trainer.sequences.sampled").tag("model", "m").counter().count());
        assertEquals(0.9 * 1.0 + 0.1 * 0.1, registry.get("sensorcast.trainer.trained.fraction").tag("model", "m").gauge().value(), 1e-12);
    }

    @Test
    void shouldIgnoreEmptyPolls() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new CheckpointMeters(registry, "m").polled(0, 0);
        assertEquals(1.0, registry.get("sensorcast.trainer.trained.fraction").tag("model", "m").gauge().value());
    }
}
