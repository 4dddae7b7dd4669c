package io.sensorcast.kafka;

import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How long a stream thread's producer blocks for a broker that has gone away before it gives up: its
 * {@code max.block.ms}, raised from the client's 60 s to 5 minutes (Kafka Streams' own {@code task.timeout.ms}).
 *
 * <p>A send blocks while the producer has no metadata for the record's partition, and a broker that stops can leave
 * it without (seen in CI: {@code Topic … not present in metadata after 60000 ms} for a changelog written at the
 * commit). With 60 s an outage longer than a minute failed that send, which killed the stream thread; the
 * replacement ({@link StreamThreadRecovery}) once found the group's committed offsets unreadable for ~15 minutes
 * after it. With 5 minutes the thread waits for the broker and carries on where it stopped, like the threads that
 * were not sending at that moment; the replacement stays for outages longer than that. Nothing can be processed
 * without the broker either way, and {@code /health} reports the outage meanwhile.
 */
public final class ProducerOutageWait {
    /** The stream threads' producers' {@code max.block.ms}. */
    public static final int MAX_BLOCK_MS = 5 * 60 * 1000;

    private ProducerOutageWait() {
    }

    /** Sets the producers' {@code max.block.ms} in {@code streamsProperties}. */
    public static void apply(Properties streamsProperties) {
        streamsProperties.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_BLOCK_MS_CONFIG), MAX_BLOCK_MS);
    }
}
