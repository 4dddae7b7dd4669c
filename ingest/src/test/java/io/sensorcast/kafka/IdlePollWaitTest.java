package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.sensorcast.ingest.IngestConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class IdlePollWaitTest {

    @Test
    void shouldLetAnIdleStreamThreadBlockInPollForTenMilliseconds() {
        var props = IngestConfig.defaults().streamsProperties("b:9092");

        assertEquals(10L, new StreamsConfig(props).getLong(StreamsConfig.POLL_MS_CONFIG));
    }

    @Test
    void shouldLetTheUsersOverrideWin() {
        var props = IngestConfig.defaults().withStreamsOverrides(Map.of(StreamsConfig.POLL_MS_CONFIG, 100)).streamsProperties("b:9092");

        assertEquals(100L, new StreamsConfig(props).getLong(StreamsConfig.POLL_MS_CONFIG));
    }
}
