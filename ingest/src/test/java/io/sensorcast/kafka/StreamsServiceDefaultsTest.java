package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sensorcast.ingest.IngestConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsServiceDefaultsTest {

    @Test
    void shouldGiveThePartitionAssignorTheApplicationsGlobalProcessingHandlerSetting() {
        var props = IngestConfig.defaults().streamsProperties("b:9092");

        // the assignor reads its StreamsConfig from the main consumer's settings
        var consumer = new StreamsConfig(props).getMainConsumerConfigs("g", "c", 0);

        assertEquals(true, consumer.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
    }
}
