package io.sensorcast.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.kafka.Topics;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import io.sensorcast.kafka.testing.TopicConfigs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The state stores' changelogs are created so the log cleaner can compact them early (see {@link Topics#storeChangelogConfigs()}). */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class IngestChangelogIntegrationTest {
    @Test
    void shouldCreateTheStateChangelogsCompactedWith64MiBSegments(KafkaCluster kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        IngestConfig config = IngestConfig.defaults().withApplicationId("ingest-changelog-" + suffix)
                .withTopics("readings-" + suffix, "sequences-" + suffix, "dlq-" + suffix).withTopicPartitions(1);
        try (TemporaryDirectory state = TemporaryDirectory.create("ingest-changelog-");
             IngestService ingest = IngestService.start(config.withStateDir(state.path()), kafka.bootstrapServers(), new SimpleMeterRegistry())) {
            assertTrue(ingest.awaitRunning(Duration.ofSeconds(60)), "state " + ingest.state());

            for (String store : List.of(IngestTopology.STATE_STORE, IngestTopology.OPEN_STEPS_STORE)) {
                Map<String, String> topic = TopicConfigs.of(kafka.bootstrapServers(), config.applicationId() + "-" + store + "-changelog");
                assertEquals("compact", topic.get("cleanup.policy"), store);
                assertEquals(String.valueOf(64 * 1024 * 1024), topic.get("segment.bytes"), store);
            }
        }
    }
}
