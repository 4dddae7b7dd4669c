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
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
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
