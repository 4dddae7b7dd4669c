package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.sensorcast.kafka.testing.TopicConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@Timeout(120)
class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepCommittedRecordsAcrossARestartOnTheSameDataDir() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDir);
             KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>("restart-probe", "k", "before restart")).get();
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDir)) {
            assertEquals(List.of("before restart"), readAll(broker.bootstrapServers(), "restart-probe", 1));
        }
    }

    @Test
    void shouldCreateEveryDeclaredTopicWithItsConfigsOnlyOnce() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDir)) {
            List<String> created = TopicAdministrator.ensureTopics(broker.bootstrapServers(), Topics.all(3), Duration.ofSeconds(30));
            assertEquals(Topics.all(3).stream().map(TopicSpec::name).sorted().toList(), created.stream().sorted().toList());
            assertEquals(List.of(), TopicAdministrator.ensureTopics(broker.bootstrapServers(), Topics.all(3), Duration.ofSeconds(30)));

            Map<String, String> checkpoints = TopicConfigs.of(broker.bootstrapServers(), Topics.CHECKPOINTS);
            assertEquals("compact", checkpoints.get("cleanup.policy"));
            assertEquals(String.valueOf(Topics.CHECKPOINT_MAX_MESSAGE_BYTES), checkpoints.get("max.message.bytes"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertEquals(3, admin.describeTopics(Set.of(Topics.SEQUENCES)).allTopicNames().get()
                        .get(Topics.SEQUENCES).partitions().size());
            }
        }
    }

    @Test
    void shouldFailWithTheAddressWhenTheClusterCannotBeReached() {
        KafkaUnreachableException e = assertThrows(KafkaUnreachableException.class,
                () -> TopicAdministrator.ensureTopics("localhost:1", Topics.all(), Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("localhost:1"), e.getMessage());
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static List<String> readAll(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                records.forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }
}
