package io.sensorcast.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Kafka client security passes through: against a broker whose only client listener is SASL_PLAINTEXT with
 * SCRAM-SHA-256, a client without credentials or with a wrong password is refused, and the ingest service given the
 * credentials in its client settings ({@link IngestConfig#withStreamsOverrides}: what {@code kafka.*} settings and
 * {@code SENSORCAST_KAFKA_*} become) creates its topics, processes and dead-letters through it; the password is in
 * neither its logs nor its metrics.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaClientSecurityIntegrationTest {
    private static final String USER = "sensorcast";
    private static final String PASSWORD = "scram-secret-7f3a";

    @TempDir
    static Path dir;
    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void startBrokerWithScramListener() {
        broker = EmbeddedKafkaBroker.startWithScramUser(dir.resolve("kafka"), USER, PASSWORD);
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRefuseAClientWithoutCredentials() {
        Map<String, Object> plain = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(plain)) {
            // a plaintext client gets no answer from a SASL listener: the connection is dropped until the timeout
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));
            assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause());
        }
    }

    @Test
    void shouldRefuseAClientWithAWrongPassword() {
        Map<String, Object> wrong = new HashMap<>(scram("not-the-password"));
        wrong.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        try (Admin admin = Admin.create(wrong)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(20, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void shouldRunIngestThroughTheScramListenerWhenTheCredentialsArePassedThroughWithoutLeakingThePassword() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngestConfig config = IngestConfig.defaults().withApplicationId("ingest-scram").withTopicPartitions(1)
                .withStateDir(dir.resolve("state")).withStreamsOverrides(scram(PASSWORD));
        try (IngestService ingest = IngestService.start(config, broker.bootstrapServers(), registry)) {
            assertTrue(ingest.awaitRunning(Duration.ofSeconds(90)), "ingest RUNNING through SASL/SCRAM: " + ingest.state());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(scram(PASSWORD), new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(config.readingsTopic(), "s1".getBytes(StandardCharsets.UTF_8),
                        "not json".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> consumerConfig = new HashMap<>(scram(PASSWORD));
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "scram-check");
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(config.deadLetterTopic()));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                ConsumerRecord<byte[], byte[]> dead = null;
                while (dead == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        dead = r;
                    }
                }
                assertTrue(dead != null, "the malformed reading reached the dead-letter topic through SASL/SCRAM");
                assertEquals("malformed_json", new String(dead.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8));
            }
            assertTrue(ingest.isReady(), "ready: " + ingest.readinessState());
            String scrape = registry.scrape();
            assertTrue(scrape.contains("sensorcast_ingest_dead_letters_total"), "the scrape has the service's metrics");
            assertFalse(scrape.contains(PASSWORD), "password in the metrics");
        } finally {
            root.detachAppender(logs);
        }
        assertFalse(logs.list.isEmpty(), "logs were captured");
        logs.list.forEach(e -> assertFalse(e.getFormattedMessage().contains(PASSWORD), "password logged: " + e.getFormattedMessage()));
    }

    private Map<String, Object> scram(String password) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256",
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + USER + "\" password=\"" + password + "\";");
    }
}
