package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@Timeout(120)
@ExtendWith(RealKafkaBroker.class)
class TopicAdministratorIntegrationTest {

    /**
     * A producer's first request to a partition whose leader is not serving yet is refused, and the Kafka 4.4 client
     * can lose the records behind it (KAFKA-15591). Without the wait, 29 of 30 fresh topics still refused this
     * probe right after creation.
     */
    @Test
    void shouldReturnOnlyWhenEveryPartitionOfACreatedTopicIsServedByItsLeader(KafkaCluster kafka) throws Exception {
        List<TopicSpec> topics = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            topics.add(new TopicSpec("leader-probe-" + i, 6, Map.of()));
        }
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        topics.forEach(t -> {
            for (int p = 0; p < t.partitions(); p++) {
                partitions.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        });
        // no retries: a partition without a serving leader fails the probe instead of being waited for; connected
        // before the topics exist, so that its own start-up does not give the broker the time it needs
        try (Admin probe = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.RETRIES_CONFIG, 0))) {
            probe.describeCluster().nodes().get();
            TopicAdministrator.ensureTopics(kafka.bootstrapServers(), topics, Duration.ofSeconds(30));

            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = probe.listOffsets(partitions).all().get();
            assertEquals(60, offsets.size());
            offsets.values().forEach(o -> assertEquals(0L, o.offset()));
        }
    }
}
