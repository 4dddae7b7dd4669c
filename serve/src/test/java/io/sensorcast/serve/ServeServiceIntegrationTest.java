package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.envelope;
import static io.sensorcast.serve.ServeDriver.network;
import static io.sensorcast.serve.ServeDriver.rising;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.ClusterBoundState;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import io.sensorcast.kafka.testing.TopicConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The service on a real broker, exactly-once: a checkpoint and sequences in, LSTM forecasts with its version out. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class ServeServiceIntegrationTest {
    private static final int SENSORS = 3;
    private static final int STEPS = 5;

    @Test
    void shouldForecastEverySequenceOnceWithLstmAndCheckpointVersionWhenRunningOnABroker(KafkaCluster kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ServeConfig config = ServeDriver.CONFIG
                .withApplicationId("serve-it-" + suffix)
                .withTopics("sequences-" + suffix, "checkpoints-" + suffix, "forecasts-" + suffix)
                .withTopicPartitions(2)
                .withBatching(4, Duration.ofMillis(20))
                .withStateDir(Files.createTempDirectory("serve-it-"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ServeService serve = ServeService.start(config, kafka.bootstrapServers(), registry);
             KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
             KafkaConsumer<String, String> consumer = consumer(kafka.bootstrapServers(), suffix)) {
            assertTrue(serve.awaitRunning(Duration.ofSeconds(60)), "serve reached RUNNING");
            byte[] checkpoint = envelope("default", 3, network(1));
            producer.send(new ProducerRecord<>(config.checkpointsTopic(), "default", checkpoint)).get();
            long acked = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> serve.models().version("default").orElse(0L) == 3L);
            // informational: includes the first DL4J network build in this JVM (~0.5 s, NOTES.md)
            System.out.printf("checkpoint acked -> live in %d ms%n", (System.nanoTime() - acked) / 1_000_000);

            for (int step = 0; step < STEPS; step++) {
                for (int s = 0; s < SENSORS; s++) {
                    String sensor = "sensor-" + s;
                    producer.send(new ProducerRecord<>(config.sequencesTopic(), null, T0 + step * STEP, sensor,
                            SensorSequenceJson.toBytes(sequence(sensor, T0 + step * STEP, rising(), 20.0 + s, 1.5))));
                }
            }
            producer.flush();

            consumer.subscribe(List.of(config.forecastsTopic()));
            List<Forecast> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    received.add(Forecast.fromJson(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
                assertTrue(received.size() >= SENSORS * STEPS, received.size() + " forecasts so far");
            });
            // a little longer: a duplicate would show up now
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(
                        Forecast.fromJson(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                return true;
            });

            assertEquals(SENSORS * STEPS, received.size(), "one forecast per sequence");
            Set<String> keys = new HashSet<>();
            for (Forecast f : received) {
                assertEquals("lstm", f.method());
                assertEquals(3L, f.modelVersion());
                assertEquals(ServeDriver.H, f.points().size());
                keys.add(f.sensor() + "@" + f.issuedAt());
            }
            assertEquals(SENSORS * STEPS, keys.size(), "no (sensor, issuedAt) twice");
            assertEquals(SENSORS * STEPS, registry.get("sensorcast.serve.forecasts").tag("method", "lstm").counter().count());
            assertEquals(3.0, registry.get("sensorcast.serve.model.version").tag("model", "default").gauge().value());
        }
    }

    @Test
    void shouldRecordTheClusterItsLocalStateBelongsToBeforeStarting(KafkaCluster kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        java.nio.file.Path stateDir = Files.createTempDirectory("serve-cluster-");
        ServeConfig config = ServeDriver.CONFIG.withApplicationId("serve-cluster-" + suffix)
                .withTopics("sequences-" + suffix, "checkpoints-" + suffix, "forecasts-" + suffix)
                .withTopicPartitions(1).withStateDir(stateDir);
        try (ServeService serve = ServeService.start(config, kafka.bootstrapServers(), new SimpleMeterRegistry());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertTrue(serve.awaitRunning(Duration.ofSeconds(60)), "serve reached RUNNING");

            assertEquals(admin.describeCluster().clusterId().get(), Files.readString(
                    stateDir.resolve(config.applicationId()).resolve(ClusterBoundState.MARKER)).strip());
        }
    }

    @Test
    void shouldCreateItsStoreChangelogsCompactedWith64MiBSegments(KafkaCluster kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ServeConfig config = ServeDriver.CONFIG.withApplicationId("serve-changelog-" + suffix)
                .withTopics("sequences-" + suffix, "checkpoints-" + suffix, "forecasts-" + suffix)
                .withTopicPartitions(1).withStateDir(Files.createTempDirectory("serve-changelog-"));
        try (ServeService serve = ServeService.start(config, kafka.bootstrapServers(), new SimpleMeterRegistry())) {
            assertTrue(serve.awaitRunning(Duration.ofSeconds(60)), "serve reached RUNNING");

            for (String store : List.of(ServeTopology.PENDING_STORE, ServeTopology.LEDGER_STORE)) {
                Map<String, String> topic = TopicConfigs.of(kafka.bootstrapServers(), config.applicationId() + "-" + store + "-changelog");
                assertEquals("compact", topic.get("cleanup.policy"), store);
                assertEquals(String.valueOf(64 * 1024 * 1024), topic.get("segment.bytes"), store);
            }
        }
    }

    @Test
    void shouldForecastBufferedSequencesExactlyOnceWhenRestartedBeforeTheirBatchWasDue(KafkaCluster kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ServeConfig first = ServeDriver.CONFIG
                .withApplicationId("serve-it-restart-" + suffix)
                .withTopics("sequences-" + suffix, "checkpoints-" + suffix, "forecasts-" + suffix)
                .withTopicPartitions(2)
                .withBatching(1000, Duration.ofMinutes(10))   // nothing is due before the restart
                .withStateDir(Files.createTempDirectory("serve-it-restart-"));
        ServeConfig second = first.withBatching(1000, Duration.ofMillis(20));
        int sequences = 4;
        try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
             KafkaConsumer<String, String> consumer = consumer(kafka.bootstrapServers(), suffix)) {
            SimpleMeterRegistry firstRegistry = new SimpleMeterRegistry();
            try (ServeService serve = ServeService.start(first, kafka.bootstrapServers(), firstRegistry)) {
                assertTrue(serve.awaitRunning(Duration.ofSeconds(60)), "first run reached RUNNING");
                producer.send(new ProducerRecord<>(first.checkpointsTopic(), "default", envelope("default", 5, network(1)))).get();
                for (int i = 0; i < sequences; i++) {
                    producer.send(new ProducerRecord<>(first.sequencesTopic(), null, T0 + i * STEP, "s" + i,
                            SensorSequenceJson.toBytes(sequence("s" + i, T0 + i * STEP, rising(), 0, 1)))).get();
                }
                // every sequence consumed and buffered (its offset will be committed with the buffer on close)
                await().atMost(Duration.ofSeconds(30)).until(() -> consumedSequences(serve) >= sequences);
                assertEquals(0.0, firstRegistry.get("sensorcast.serve.forecasts").tag("method", "lstm").counter().count());
            }
            SimpleMeterRegistry secondRegistry = new SimpleMeterRegistry();
            try (ServeService serve = ServeService.start(second, kafka.bootstrapServers(), secondRegistry)) {
                consumer.subscribe(List.of(second.forecastsTopic()));
                List<Forecast> received = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        received.add(Forecast.fromJson(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    }
                    assertTrue(received.size() >= sequences, received.size() + " forecasts so far");
                });
                await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(
                            Forecast.fromJson(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                    return true;
                });
                assertEquals(sequences, received.size(), "each buffered sequence forecast once, after the restart");
                // the global store was restored without the processor: init() re-verified and installed version 5
                assertTrue(received.stream().allMatch(f -> "lstm".equals(f.method()) && f.modelVersion() == 5L),
                        received.toString());
            }
        }
    }

    /** Records the stream thread has consumed from the sequences topic, from the client's own metrics. */
    private static double consumedSequences(ServeService serve) {
        return serve.streams().metrics().values().stream()
                .filter(m -> m.metricName().name().equals("records-consumed-total")
                        && m.metricName().group().equals("consumer-fetch-manager-metrics")
                        && m.metricName().tags().containsKey("topic")
                        && m.metricName().tags().get("topic").startsWith("sequences-"))
                .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
                .sum();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String suffix) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "serve-it-reader-" + suffix);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
