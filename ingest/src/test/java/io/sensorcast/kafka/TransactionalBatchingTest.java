package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import io.sensorcast.ingest.IngestConfig;
import org.junit.jupiter.api.Test;

class TransactionalBatchingTest {
    private static final String BATCH = "producer.batch.size";

    @Test
    void shouldBatchUpToTheCommitUnderExactlyOnce() {
        assertEquals(TransactionalBatching.BATCH_BYTES, IngestConfig.defaults().streamsProperties("b:9092").get(BATCH));
    }

    @Test
    void shouldKeepTheClientDefaultUnderAtLeastOnce() {
        assertNull(IngestConfig.defaults().withProcessingGuarantee("at_least_once").streamsProperties("b:9092").get(BATCH));
    }

    @Test
    void shouldLetTheUsersOverrideWin() {
        assertEquals(4096, IngestConfig.defaults().withStreamsOverrides(Map.of(BATCH, 4096))
                .streamsProperties("b:9092").get(BATCH));
    }
}
