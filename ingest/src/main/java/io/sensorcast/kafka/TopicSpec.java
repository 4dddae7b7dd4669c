package io.sensorcast.kafka;

import java.util.Map;

/** A topic as Sensorcast expects it to exist: its name, partition count and topic-level configs. */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition");
        }
        configs = Map.copyOf(configs);
    }
}
