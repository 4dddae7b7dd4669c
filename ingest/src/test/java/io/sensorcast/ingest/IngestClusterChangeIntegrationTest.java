package io.sensorcast.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.kafka.EmbeddedKafkaBroker;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A state directory built against one cluster and started against another (a re-created broker, a directory copied
 * between environments) must not carry the first cluster's sensor state into the second. Kafka Streams alone keeps
 * such local state whenever its changelog position lies within the new cluster's changelog, and replays only the
 * new changelog's tail on top of it.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class IngestClusterChangeIntegrationTest {
    private static final long T0 = 1_732_440_000_000L;
    private static final long MIN = 60_000L;

    @Test
    void shouldRebuildSensorStateFromTheNewClusterWhenTheStateDirectoryWasBuiltAgainstAnother(KafkaCluster kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        // one partition, so both sensors' state shares one changelog partition and its offsets
        IngestConfig base = IngestConfig.defaults().withApplicationId("ingest-cluster-change-" + suffix)
                .withTopics("readings-" + suffix, "sequences-" + suffix, "dlq-" + suffix)
                .withTopicPartitions(1).withWindow(4).withGrace(Duration.ZERO);
        try (TemporaryDirectory state = TemporaryDirectory.create("ingest-cluster-change-");
             TemporaryDirectory otherData = TemporaryDirectory.create("ingest-cluster-change-broker-")) {
            IngestConfig config = base.withStateDir(state.path());

            // cluster A: sensor s, steps 0..5 worth 10·k, one commit each, so its changelog position gets well ahead
            try (EmbeddedKafkaBroker other = EmbeddedKafkaBroker.start(0, otherData.path());
                 KafkaProducer<String, byte[]> producer = producer(other.bootstrapServers());
                 IngestService onA = IngestService.start(config, other.bootstrapServers(), new SimpleMeterRegistry())) {
                assertTrue(onA.awaitRunning(Duration.ofSeconds(60)), "state " + onA.state());
                for (int k = 0; k <= 5; k++) {
                    send(producer, config, "s", k, 10.0 * k).get();
                    Thread.sleep(300);
                }
                awaitSequences(other.bootstrapServers(), config, 2);
            }

            // cluster B, from another state directory: s's steps 0..5 worth 1000 + k in one burst (few changelog
            // records, early offsets), then sensor t's 40 steps, so B's changelog ends far past A's position
            try (TemporaryDirectory elsewhere = TemporaryDirectory.create("ingest-cluster-change-b-");
                 KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
                 IngestService onB = IngestService.start(base.withStateDir(elsewhere.path()), kafka.bootstrapServers(), new SimpleMeterRegistry())) {
                assertTrue(onB.awaitRunning(Duration.ofSeconds(60)), "state " + onB.state());
                for (int k = 0; k <= 5; k++) {
                    send(producer, config, "s", k, 1000.0 + k);
                }
                producer.flush();
                awaitSequences(kafka.bootstrapServers(), config, 2);
                for (int k = 0; k < 40; k++) {
                    send(producer, config, "t", k, k).get();
                    Thread.sleep(20);
                }
                awaitSequences(kafka.bootstrapServers(), config, 2 + 36);
            }

            // the directory built on A, started on B: s's next window must continue B's values, not A's
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
                 IngestService again = IngestService.start(config, kafka.bootstrapServers(), new SimpleMeterRegistry())) {
                assertTrue(again.awaitRunning(Duration.ofSeconds(60)), "state " + again.state());
                send(producer, config, "s", 6, 1006.0).get();
                send(producer, config, "s", 7, 1007.0).get();
                List<SensorSequence> all = awaitSequences(kafka.bootstrapServers(), config, 2 + 36 + 2);
                SensorSequence last = all.stream().filter(q -> q.sensor().equals("s")).reduce((a, b) -> b).orElseThrow();
                assertArrayEquals(new double[] {1003, 1004, 1005, 1006}, IngestDriver.raw(last), 1e-3);
            }
        }
    }

    private static java.util.concurrent.Future<?> send(KafkaProducer<String, byte[]> producer, IngestConfig config, String sensor,
                                                       int step, double value) {
        return producer.send(new ProducerRecord<>(config.readingsTopic(), sensor,
                new Reading(sensor, T0 + step * MIN + 1_000, value).toJsonBytes()));
    }

    private static List<SensorSequence> awaitSequences(String bootstrap, IngestConfig config, int atLeast) {
        List<SensorSequence> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            consumer.assign(List.of(new TopicPartition(config.sequencesTopic(), 0)));
            consumer.seekToBeginning(consumer.assignment());
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(SensorSequenceJson.fromBytes(r.value())));
                return out.size() >= atLeast;
            });
        }
        return out;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
