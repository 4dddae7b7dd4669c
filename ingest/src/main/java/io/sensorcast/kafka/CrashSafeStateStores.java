package io.sensorcast.kafka;

import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;

/**
 * Transactional state stores (KIP-892, {@code enable.transactional.statestores}) under exactly-once, so that a
 * service killed mid-stream ({@code kill -9}, OOM, a lost host) restarts from its local state instead of rebuilding
 * it.
 *
 * <p>Without them, a store under exactly-once may hold writes of a transaction that was never committed, so Kafka
 * Streams wipes every store that was open at the crash and restores it from the whole changelog. With them, writes
 * wait in a per-store buffer and reach RocksDB only when their transaction commits, with the changelog offset they
 * correspond to; a restart replays just the changelog's tail after that offset. At-least-once does not wipe state,
 * so the setting is left alone there.
 */
public final class CrashSafeStateStores {
    private CrashSafeStateStores() {
    }

    /** Turns transactional state stores on in {@code streamsProperties} when {@code processingGuarantee} is exactly-once. */
    public static void apply(Properties streamsProperties, String processingGuarantee) {
        if (StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee)) {
            streamsProperties.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        }
    }
}
