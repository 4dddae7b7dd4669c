package io.sensorcast.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CheckpointCadenceTest {

    @Test
    void shouldBeDueAfterNStepsWhenLessThanTHasPassed() {
        CheckpointCadence cadence = new CheckpointCadence(100, Duration.ofSeconds(60), 500, 0);

        assertFalse(cadence.due(599, 59_999));
        assertTrue(cadence.due(600, 1_000));
    }

    @Test
    void shouldBeDueAfterTWhenFewerThanNStepsWereTaken() {
        CheckpointCadence cadence = new CheckpointCadence(100, Duration.ofSeconds(60), 0, 10_000);

        assertFalse(cadence.due(40, 69_999));
        assertTrue(cadence.due(40, 70_000));
    }

    @Test
    void shouldCountFromTheLastResetWhenReset() {
        CheckpointCadence cadence = new CheckpointCadence(100, Duration.ofSeconds(60), 0, 0);
        cadence.reset(100, 50_000);

        assertFalse(cadence.due(199, 109_999));
        assertTrue(cadence.due(200, 50_000));
    }
}
