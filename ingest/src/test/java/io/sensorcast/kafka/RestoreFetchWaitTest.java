package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import io.sensorcast.ingest.IngestConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class RestoreFetchWaitTest {
    private static final String RESTORE_FETCH_WAIT = "restore.consumer.fetch.max.wait.ms";

    @Test
    void shouldLetTheBrokerHoldAnEmptyRestoreFetchForFiftyMilliseconds() {
        var props = IngestConfig.defaults().streamsProperties("b:9092");

        assertEquals(50, new StreamsConfig(props).getRestoreConsumerConfigs("c").get("fetch.max.wait.ms"));
    }

    @Test
    void shouldLeaveTheMainConsumerAtTheClientsDefaultFetchWait() {
        var props = IngestConfig.defaults().streamsProperties("b:9092");

        assertNull(new StreamsConfig(props).getMainConsumerConfigs("g", "c", 0).get("fetch.max.wait.ms"));
    }

    @Test
    void shouldLetTheUsersOverrideWin() {
        assertEquals(500, IngestConfig.defaults().withStreamsOverrides(Map.of(RESTORE_FETCH_WAIT, 500))
                .streamsProperties("b:9092").get(RESTORE_FETCH_WAIT));
    }
}
