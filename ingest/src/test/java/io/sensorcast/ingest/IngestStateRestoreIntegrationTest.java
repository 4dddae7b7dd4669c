package io.sensorcast.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-sensor state is fault tolerant: an instance that lost its local state directory (a new machine) restores
 * it from the changelog and carries on exactly where the old one stopped — windows, open steps and the timestamps
 * seen for duplicate detection included.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class IngestStateRestoreIntegrationTest {
    private static final long T0 = 1_732_440_000_000L;
    private static final long MIN = 60_000L;

    @Test
    void shouldContinueWindowsAndDuplicateDetectionFromTheChangelogAfterLosingLocalState(KafkaCluster kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        IngestConfig base = IngestConfig.defaults().withApplicationId("ingest-restore-" + suffix)
                .withTopics("readings-" + suffix, "sequences-" + suffix, "dlq-" + suffix)
                .withTopicPartitions(2).withWindow(4).withGrace(Duration.ZERO);
        List<SensorSequence> sequences = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            // first instance: steps 0..5 (step k has value 10k); step 5 stays open, its reading's ts is remembered
            try (TemporaryDirectory state = TemporaryDirectory.create("ingest-restore-a-");
                 IngestService first = IngestService.start(base.withStateDir(state.path()), kafka.bootstrapServers(), new SimpleMeterRegistry())) {
                assertTrue(first.awaitRunning(Duration.ofSeconds(60)), "state " + first.state());
                for (int k = 0; k <= 5; k++) {
                    send(producer, base, k * MIN + 1_000, 10.0 * k);
                }
                consumer.assign(consumer.partitionsFor(base.sequencesTopic()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> sequences.add(SensorSequenceJson.fromBytes(r.value())));
                    return sequences.size() >= 2;   // windows ending at steps 3 and 4
                });
            }   // the local state directory is deleted here

            // second instance on an empty state directory: a duplicate of step 5's reading, then steps 6 and 7
            try (TemporaryDirectory state = TemporaryDirectory.create("ingest-restore-b-");
                 IngestService second = IngestService.start(base.withStateDir(state.path()), kafka.bootstrapServers(), new SimpleMeterRegistry())) {
                assertTrue(second.awaitRunning(Duration.ofSeconds(60)), "state " + second.state());
                send(producer, base, 5 * MIN + 1_000, 999.0);
                send(producer, base, 6 * MIN + 1_000, 60.0);
                send(producer, base, 7 * MIN + 1_000, 70.0);
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> sequences.add(SensorSequenceJson.fromBytes(r.value())));
                    return sequences.size() >= 4;
                });
            }
        }

        assertEquals(List.of(T0 + 3 * MIN, T0 + 4 * MIN, T0 + 5 * MIN, T0 + 6 * MIN), sequences.stream().map(SensorSequence::end).toList());
        // the window did not restart and step 5 kept its first reading: the duplicate was recognised after the restore
        assertArrayEquals(new double[] {20, 30, 40, 50}, IngestDriver.raw(sequences.get(2)), 1e-3);
        assertArrayEquals(new double[] {30, 40, 50, 60}, IngestDriver.raw(sequences.get(3)), 1e-3);
    }

    private static void send(KafkaProducer<String, byte[]> producer, IngestConfig config, long offsetMs, double value) throws Exception {
        producer.send(new ProducerRecord<>(config.readingsTopic(), "s", new Reading("s", T0 + offsetMs, value).toJsonBytes())).get();
    }

    private static KafkaProducer<String, byte[]> producer(KafkaCluster kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaCluster kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
