package io.sensorcast.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every topic of the design contract (DESIGN.md, "Topics and records"), declared once.
 *
 * <p>Keyed by sensor id, the data topics scale out by partitions; the model topics are keyed by model id and need
 * no more than one. Checkpoints are compacted (the latest envelope per model is what counts) and allow larger
 * messages, since a DL4J payload with updater state is a few hundred KB and grows with the network.
 */
public final class Topics {
    public static final String READINGS = "sensor-readings";
    public static final String DEAD_LETTERS = "sensor-readings.dlq";
    public static final String SEQUENCES = "sensor-sequences";
    public static final String CHECKPOINTS = "model-checkpoints";
    public static final String GRADIENT_EVENTS = "gradient-events";
    public static final String FORECASTS = "forecasts";

    /** Partitions of the sensor-keyed topics unless configured otherwise. */
    public static final int DEFAULT_PARTITIONS = 6;
    /** Largest checkpoint envelope the topic accepts. */
    public static final int CHECKPOINT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private Topics() {
    }

    /** All topics, with {@code partitions} for the sensor-keyed ones. */
    public static List<TopicSpec> all(int partitions) {
        return List.of(
                new TopicSpec(READINGS, partitions, retention(Duration.ofDays(7))),
                new TopicSpec(DEAD_LETTERS, 1, retention(Duration.ofDays(14))),
                new TopicSpec(SEQUENCES, partitions, retention(Duration.ofDays(3))),
                new TopicSpec(CHECKPOINTS, 1, Map.of(
                        "cleanup.policy", "compact",
                        "max.message.bytes", String.valueOf(CHECKPOINT_MAX_MESSAGE_BYTES),
                        // keep superseded checkpoints a while so an operator can roll back by hand
                        "min.compaction.lag.ms", String.valueOf(Duration.ofHours(1).toMillis()),
                        "segment.ms", String.valueOf(Duration.ofHours(6).toMillis()))),
                new TopicSpec(GRADIENT_EVENTS, 1, retention(Duration.ofDays(30))),
                new TopicSpec(FORECASTS, partitions, retention(Duration.ofDays(3))));
    }

    public static List<TopicSpec> all() {
        return all(DEFAULT_PARTITIONS);
    }

    private static Map<String, String> retention(Duration retention) {
        return Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(retention.toMillis()));
    }
}
