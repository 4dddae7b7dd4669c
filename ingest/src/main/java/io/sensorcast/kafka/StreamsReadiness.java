package io.sensorcast.kafka;

import java.time.Duration;

import org.apache.kafka.streams.KafkaStreams;

/** Waiting for a Kafka Streams client to process, and how readiness probes the cluster, shared by every Sensorcast service. */
public final class StreamsReadiness {
    /** How often a service asks whether the cluster answers ({@link ClusterReachability}), for its readiness. */
    public static final Duration PROBE_EVERY = Duration.ofSeconds(2);

    private StreamsReadiness() {
    }

    /** Waits until {@code streams} is RUNNING; false if it did not get there in time, stopped, or failed. */
    public static boolean awaitRunning(KafkaStreams streams, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                    || s == KafkaStreams.State.PENDING_SHUTDOWN || s == KafkaStreams.State.PENDING_ERROR) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
