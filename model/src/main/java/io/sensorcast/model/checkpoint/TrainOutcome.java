package io.sensorcast.model.checkpoint;

import java.util.List;

/**
 * What one batch did.
 *
 * @param explosion      an explosion was detected in this batch (blocks checkpoints for K steps)
 * @param gradientEvents {@code gradient-events} values (JSON, DESIGN.md), sent in the loop's transaction
 */
public record TrainOutcome(boolean explosion, List<String> gradientEvents) {
    public static final TrainOutcome QUIET = new TrainOutcome(false, List.of());

    public TrainOutcome {
        gradientEvents = List.copyOf(gradientEvents);
    }
}
