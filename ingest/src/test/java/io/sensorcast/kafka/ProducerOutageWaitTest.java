package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.sensorcast.ingest.IngestConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ProducerOutageWaitTest {
    private static final String MAX_BLOCK = "producer.max.block.ms";

    @Test
    void shouldLetAStreamThreadsSendWaitFiveMinutesForTheBroker() {
        var props = IngestConfig.defaults().streamsProperties("b:9092");

        assertEquals(300_000, new StreamsConfig(props).getProducerConfigs("c").get("max.block.ms"));
    }

    @Test
    void shouldLetTheUsersOverrideWin() {
        assertEquals(60_000, IngestConfig.defaults().withStreamsOverrides(Map.of(MAX_BLOCK, 60_000))
                .streamsProperties("b:9092").get(MAX_BLOCK));
    }
}
