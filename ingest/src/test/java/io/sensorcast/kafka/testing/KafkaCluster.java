package io.sensorcast.kafka.testing;

/** What a real-broker test gets: the address of a running Kafka cluster, whichever kind it is. */
public interface KafkaCluster {
    String bootstrapServers();

    /** "testcontainers" or "embedded", for test logs. */
    String kind();
}
