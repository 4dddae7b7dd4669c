package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Serve's stores survive a crash as ingest's do ({@link io.sensorcast.kafka.CrashSafeStateStores}). */
class ServeConfigCrashSafetyTest {
    @Test
    void shouldMakeStateStoresTransactionalUnderExactlyOnce() {
        assertEquals(true, ServeConfig.defaults().streamsProperties("b:9092").get(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG));
    }
}
