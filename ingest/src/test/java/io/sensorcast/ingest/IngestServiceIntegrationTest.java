package io.sensorcast.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The service on a real broker: simulator readings plus hostile records in; sequences and dead letters out. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class IngestServiceIntegrationTest {
    private static final long T0 = 1_732_440_000_000L;
    private static final int SENSORS = 5;
    private static final int STEPS = 40;
    private static final int W = 12;

    @Test
    void shouldReflectEveryGoodReadingInSequencesAndEveryBadOneInDeadLettersWhenRunningOnABroker(KafkaCluster kafka) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Path stateDir = Files.createTempDirectory("ingest-it-");
        IngestConfig config = IngestConfig.defaults()
                .withApplicationId("ingest-it-" + suffix)
                .withTopics("readings-" + suffix, "sequences-" + suffix, "dlq-" + suffix)
                .withTopicPartitions(3)
                .withWindow(W)
                .withStateDir(stateDir);

        SensorSimulator sim = new SensorSimulator(SENSORS, 7, T0, Duration.ofMinutes(1));
        Map<String, Map<Long, Double>> good = new HashMap<>();
        List<byte[][]> records = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            for (Reading r : sim.tick()) {
                good.computeIfAbsent(r.sensor(), k -> new TreeMap<>()).put(r.ts(), r.value());
                records.add(new byte[][] {keyFor(r.sensor()), r.toJsonBytes()});
            }
        }
        for (int i = 0; i < SENSORS; i++) {   // a reading far enough ahead to close every step
            Reading flush = new Reading(SensorSimulator.sensorId(i), T0 + (STEPS + 3) * 60_000L, 0);
            records.add(new byte[][] {keyFor(flush.sensor()), flush.toJsonBytes()});
        }
        Map<String, String> badReasons = new HashMap<>();   // value → expected reason
        String[] expected = {"malformed_json", "wrong_type", "missing_field", "timestamp_out_of_range",
                "value_out_of_range", "wrong_type", "malformed_json", "missing_field"};
        List<byte[]> sampleLines = lines("/bad-readings-sample.txt");
        for (int i = 0; i < sampleLines.size(); i++) {
            byte[][] kv = splitLine(sampleLines.get(i));
            records.add(kv);
            badReasons.put(new String(kv[1], StandardCharsets.ISO_8859_1), expected[i]);
        }
        byte[][] binary = splitLine(lines("/bad-readings-sample-binary.bin").get(0));
        records.add(binary);
        badReasons.put(new String(binary[1], StandardCharsets.ISO_8859_1), "invalid_utf8");
        String late = new Reading(SensorSimulator.sensorId(0), T0 + 30_000, 1.0).toJson();   // step 0 closed long ago
        badReasons.put(late, "late");

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (IngestService service = IngestService.start(config, kafka.bootstrapServers(), registry)) {
            assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "state " + service.state());
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                for (byte[][] kv : records) {
                    // unkeyed records all to partition 0: across partitions a sensor's readings have no order at all
                    producer.send(new ProducerRecord<>(config.readingsTopic(), kv[0] == null ? 0 : null, kv[0], kv[1]));
                }
                producer.flush();
                // sent after the flush readings were processed, so sensor 0's step 0 is certainly closed
                await().atMost(Duration.ofSeconds(60)).until(() -> registry.get("sensorcast.ingest.readings").counter().count() >= records.size());
                producer.send(new ProducerRecord<>(config.readingsTopic(), SensorSimulator.sensorId(0).getBytes(StandardCharsets.UTF_8),
                        late.getBytes(StandardCharsets.UTF_8)));
                producer.flush();
            }

            int expectedSequences = SENSORS * (STEPS - W + 1);   // every step observed, one sequence per step from the W-th
            List<ConsumerRecord<byte[], byte[]>> sequences = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> seqConsumer = consumer(kafka, config.sequencesTopic());
                 KafkaConsumer<byte[], byte[]> dlqConsumer = consumer(kafka, config.deadLetterTopic())) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    seqConsumer.poll(Duration.ofMillis(200)).forEach(sequences::add);
                    dlqConsumer.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
                    assertEquals(expectedSequences, sequences.size(), "sequences");
                    assertEquals(badReasons.size(), deadLetters.size(), "dead letters");
                });
                // nothing else comes out
                assertTrue(seqConsumer.poll(Duration.ofMillis(500)).isEmpty());
                assertTrue(dlqConsumer.poll(Duration.ofMillis(500)).isEmpty());
            }

            Map<String, Map<Long, Double>> seen = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : sequences) {
                SensorSequence s = SensorSequenceJson.fromBytes(r.value());
                assertEquals(s.sensor(), new String(r.key(), StandardCharsets.UTF_8));
                for (int i = 0; i < s.length(); i++) {
                    assertEquals(1, s.observed()[i]);
                    seen.computeIfAbsent(s.sensor(), k -> new TreeMap<>())
                            .put(s.end() - (long) (s.length() - 1 - i) * s.stepMs(), s.denormalise(s.values()[i]));
                }
            }
            assertEquals(good.keySet(), seen.keySet());
            for (String sensor : good.keySet()) {
                assertEquals(good.get(sensor).keySet(), seen.get(sensor).keySet(), sensor);
                for (Map.Entry<Long, Double> e : good.get(sensor).entrySet()) {
                    assertEquals(e.getValue(), seen.get(sensor).get(e.getKey()), 1e-3, sensor + " at " + e.getKey());
                }
            }
            Map<String, String> dlqReasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
                dlqReasons.put(new String(r.value(), StandardCharsets.ISO_8859_1),
                        new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8));
                assertEquals(config.readingsTopic(), new String(r.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value(), StandardCharsets.UTF_8));
            }
            assertEquals(badReasons, dlqReasons);
            assertTrue(service.isRunning());
        }
    }

    /** Odd sensors are sent with a null key (sensor only in the value): they take the re-partition path. */
    private static byte[] keyFor(String sensor) {
        int i = Integer.parseInt(sensor.substring(4, 8));
        return i % 2 == 0 ? sensor.getBytes(StandardCharsets.UTF_8) : null;
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaCluster kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaCluster kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    private static byte[][] splitLine(byte[] line) {
        int bar = 0;
        while (line[bar] != '|') {
            bar++;
        }
        byte[] key = Arrays.copyOfRange(line, 0, bar);
        return new byte[][] {key.length == 0 ? null : key, Arrays.copyOfRange(line, bar + 1, line.length)};
    }

    private static List<byte[]> lines(String resource) throws IOException {
        try (InputStream in = IngestServiceIntegrationTest.class.getResourceAsStream(resource)) {
            byte[] all = in.readAllBytes();
            List<byte[]> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= all.length; i++) {
                if (i == all.length || all[i] == '\n') {
                    if (i > start) {
                        out.add(Arrays.copyOfRange(all, start, i));
                    }
                    start = i + 1;
                }
            }
            return out;
        }
    }
}
