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

    /** Segment size of the state stores' changelogs (see {@link #storeChangelogConfigs()}). */
    public static final int CHANGELOG_SEGMENT_BYTES = 64 * 1024 * 1024;

    private Topics() {
    }

    /**
     * Configs for the state stores' changelogs, which Kafka Streams creates (compacted) when a store first starts;
     * it does not change them on an existing topic.
     *
     * <p>The log cleaner only compacts closed segments. With the broker's 1 GiB default a store that rewrites the same
     * keys quickly keeps up to 1 GiB of superseded values per partition, on disk and read again by every restore
     * after a crash: ingest writes each sensor's open steps once per commit they changed in, ~90 MB/min at 10,000
     * readings/s (soak defaults). 64 MiB segments let the cleaner keep each partition to a few segments.
     */
    public static Map<String, String> storeChangelogConfigs() {
        return Map.of("segment.bytes", String.valueOf(CHANGELOG_SEGMENT_BYTES));
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
