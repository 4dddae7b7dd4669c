package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.sensorcast.ingest.IngestConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class CrashedMemberTimeoutTest {
    private static final String SESSION_TIMEOUT = "main.consumer.session.timeout.ms";

    @Test
    void shouldGiveAKilledThreadsPartitionsAwayAfterFifteenSeconds() {
        var props = IngestConfig.defaults().streamsProperties("b:9092");

        assertEquals(15_000, new StreamsConfig(props).getMainConsumerConfigs("g", "c", 0).get("session.timeout.ms"));
    }

    @Test
    void shouldLetTheUsersOverrideWin() {
        assertEquals(45_000, IngestConfig.defaults().withStreamsOverrides(Map.of(SESSION_TIMEOUT, 45_000))
                .streamsProperties("b:9092").get(SESSION_TIMEOUT));
    }
}
