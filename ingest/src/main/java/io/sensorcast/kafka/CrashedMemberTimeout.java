package io.sensorcast.kafka;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How long the group waits for a stream thread that stopped heartbeating before it gives that thread's partitions
 * to the others (or to the same service restarted): the consumer's {@code session.timeout.ms}.
 *
 * <p>A service that shuts down leaves its group at once ({@link StaticMembership#leaveGroupAndClose}); one killed
 * ({@code kill -9}, OOM, a lost host) and restarted takes its partitions back at once ({@link StaticMembership}); one
 * killed and not restarted holds its partitions until its session expires. The client default of 45 s is a 45 s stop
 * of every sensor on those partitions. 15 s (Kafka Streams used 10 s before 3.0) is five missed heartbeats at the 3 s
 * interval: a live thread only misses that many when the whole JVM stops for that long.
 */
public final class CrashedMemberTimeout {
    /** The main consumer's {@code session.timeout.ms}. */
    public static final int SESSION_TIMEOUT_MS = 15_000;

    private CrashedMemberTimeout() {
    }

    /** Sets the main consumer's session timeout in {@code streamsProperties}. */
    public static void apply(Properties streamsProperties) {
        streamsProperties.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
    }
}
