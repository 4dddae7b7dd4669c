package io.sensorcast.kafka;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How long the broker may hold a restore consumer's fetch that finds nothing to return: its
 * {@code fetch.max.wait.ms}.
 *
 * <p>At every start a stream thread's tasks check their changelogs before they may process. Under exactly-once a
 * changelog ends in transaction markers, so a task that is already up to date (a clean restart, or a crash with
 * transactional stores) still sends fetches that return no record, and the broker holds each for the client
 * default of 500 ms. Measured with ingest on the embedded broker: start to RUNNING spent 0.5–0.6 s per group of
 * tasks in that wait (~1.1–1.5 s in all for its 6 tasks); with 50 ms it took 0.1–0.15 s per group. The restore
 * consumer polls only while tasks restore (and for standby tasks, none by default), so the shorter wait costs
 * nothing otherwise.
 */
public final class RestoreFetchWait {
    /** The restore consumer's {@code fetch.max.wait.ms}. */
    public static final int FETCH_MAX_WAIT_MS = 50;

    private RestoreFetchWait() {
    }

    /** Sets the restore consumer's fetch wait in {@code streamsProperties}. */
    public static void apply(Properties streamsProperties) {
        streamsProperties.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), FETCH_MAX_WAIT_MS);
    }
}
