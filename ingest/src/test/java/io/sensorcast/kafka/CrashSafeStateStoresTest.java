package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import io.sensorcast.ingest.IngestConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class CrashSafeStateStoresTest {
    private static final String KEY = StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG;

    @Test
    void shouldMakeStateStoresTransactionalUnderExactlyOnce() {
        assertEquals(true, IngestConfig.defaults().streamsProperties("b:9092").get(KEY));
    }

    @Test
    void shouldLeaveStateStoresAloneUnderAtLeastOnce() {
        assertNull(IngestConfig.defaults().withProcessingGuarantee("at_least_once").streamsProperties("b:9092").get(KEY));
    }

    @Test
    void shouldLetTheUsersOverrideWin() {
        assertEquals("false", IngestConfig.defaults().withStreamsOverrides(Map.of(KEY, "false"))
                .streamsProperties("b:9092").get(KEY));
    }
}
