package io.sensorcast.model.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.TopicSpec;
import io.sensorcast.kafka.Topics;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sequences in, checkpoints and gradient events out, through a crash and a restart, on a real broker. */
@Tag("integration")
@Timeout(180)
@ExtendWith(RealKafkaBroker.class)
class TrainerLoopIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern EVENT_STEP = Pattern.compile("\"step\":(\\d+)");

    @Test
    void shouldResumeAtTheCheckpointedStepAndOffsetsWhenRestartedAfterACrash(KafkaCluster kafka) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String sequences = "sequences-" + id;
        String checkpoints = "checkpoints-" + id;
        String events = "events-" + id;
        String modelId = "model-" + id;
        createTopics(kafka, sequences, checkpoints, events);
        // batches of exactly 2 (max wait far away), a checkpoint offer every 3 steps; explosion at step 2 and K = 2:
        // the offer at step 3 is withheld (3 - 2 < 2), steps 6 and 9 publish versions 1 and 2
        TrainerLoopConfig config = TrainerLoopConfig.defaults(kafka.bootstrapServers(),
                        CheckpointPublisherConfig.defaults(modelId, TestNetworks.WINDOW, TestNetworks.HORIZON, "{\"test\":true}")
                                .withHmacKey(Optional.of("it-key".getBytes(StandardCharsets.UTF_8)))
                                .withGate(2, QualityFigures.LOSS, 1e6))
                .withTopics(sequences, events, checkpoints)
                .withBatching(2, Duration.ofHours(1))
                .withCatchUpBatches(1_000) // every sequence trained, however the polls split the backlog
                .withCheckpointEvery(3, Duration.ofHours(1));
        produceSequences(kafka, sequences, 0, 20);

        RecordingTrainer first = new RecordingTrainer(1, 2);
        List<String> firstWithheld = new CopyOnWriteArrayList<>();
        TrainerLoop run1 = new TrainerLoop(config, first, withheldInto(firstWithheld), Clock.systemUTC());
        run1.start();
        await().atMost(WAIT).until(() -> first.completedSteps() == 10 && run1.publishedVersion() == 2);
        run1.halt(); // step 10 was trained but not committed: it must be redone, not lost, not doubled

        assertEquals(Optional.empty(), run1.failure());
        assertEquals(List.of("recent_explosion"), firstWithheld);
        assertEquals(ids(0, 20), first.trained);
        assertEquals(18L, committedOffset(kafka, config.groupId(), sequences));
        CheckpointEnvelope v2 = scan(kafka, config).latest(modelId).orElseThrow();
        assertEquals(2, v2.version());
        assertEquals(9, v2.trainingStep());
        assertEquals(Map.of(sequences + "-0", 18L), v2.sourceOffsets());

        produceSequences(kafka, sequences, 20, 24);
        RecordingTrainer second = new RecordingTrainer(2, -1);
        TrainerLoop run2 = new TrainerLoop(config, second, CheckpointListener.NONE, Clock.systemUTC());
        run2.start();
        await().atMost(WAIT).until(() -> run2.publishedVersion() == 3);
        run2.close();

        assertEquals(Optional.empty(), run2.failure());
        assertEquals(9, second.resumedStep());
        assertEquals(2, run2.restoredVersion());
        MultiLayerNetworkAssert.assertSameParams(restore(v2), second.resumedNetwork());
        assertEquals(ids(18, 24), second.trained, "resumes at the committed offset 18, exactly once");
        assertEquals(24L, committedOffset(kafka, config.groupId(), sequences));
        List<CheckpointEnvelope> all = scan(kafka, config).verified().get(modelId);
        assertEquals(List.of(1L, 2L, 3L), all.stream().map(CheckpointEnvelope::version).toList());
        assertEquals(List.of(6L, 9L, 12L), all.stream().map(CheckpointEnvelope::trainingStep).toList());
        // run 1's event for step 10 was aborted; run 2's is the only one
        assertEquals(IntStream.rangeClosed(1, 12).boxed().toList(), eventSteps(kafka, events));
    }

    @Test
    void shouldSampleTheBacklogAndCatchUpWhenBehind(KafkaCluster kafka) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String sequences = "sequences-" + id;
        String checkpoints = "checkpoints-" + id;
        String events = "events-" + id;
        createTopics(kafka, sequences, checkpoints, events);
        // polls of 20 while 400 wait: behind until the last poll, so each poll but the last trains one batch of 2
        TrainerLoopConfig config = TrainerLoopConfig.defaults(kafka.bootstrapServers(),
                        CheckpointPublisherConfig.defaults("model-" + id, TestNetworks.WINDOW, TestNetworks.HORIZON, "{}"))
                .withTopics(sequences, events, checkpoints)
                .withClientOverrides(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20))
                .withBatching(2, Duration.ofHours(1))
                .withCatchUpBatches(1)
                .withCheckpointEvery(5, Duration.ofHours(1));
        produceSequences(kafka, sequences, 0, 400);
        RecordingTrainer trainer = new RecordingTrainer(4, -1);

        TrainerLoop loop = new TrainerLoop(config, trainer, CheckpointListener.NONE, Clock.systemUTC());
        loop.start();
        await().atMost(WAIT).until(() -> loop.sampledOut() + trainer.trained.size() == 400);
        loop.close();

        assertEquals(Optional.empty(), loop.failure());
        assertTrue(trainer.trained.size() < 100, "a sample, not the backlog: trained " + trainer.trained.size());
        assertTrue(trainer.trained.contains("s@399000"), "the newest sequence is trained on");
        assertTrue(trainer.trained.stream().anyMatch(s -> Long.parseLong(s.substring(2)) < 200_000),
                "older sequences are sampled too");
        assertEquals(400L, committedOffset(kafka, config.groupId(), sequences), "everything consumed is committed");
    }

    @Test
    void shouldCommitACheckpointAfterTWhenFewerThanNStepsWereTrained(KafkaCluster kafka) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String sequences = "sequences-" + id;
        String checkpoints = "checkpoints-" + id;
        String events = "events-" + id;
        createTopics(kafka, sequences, checkpoints, events);
        MutableClock clock = new MutableClock(1_732_440_000_000L);
        TrainerLoopConfig config = TrainerLoopConfig.defaults(kafka.bootstrapServers(),
                        CheckpointPublisherConfig.defaults("model-" + id, TestNetworks.WINDOW, TestNetworks.HORIZON, "{}"))
                .withTopics(sequences, events, checkpoints)
                .withBatching(2, Duration.ofHours(1))
                .withCatchUpBatches(1_000)
                .withCheckpointEvery(1_000, Duration.ofMinutes(5));
        produceSequences(kafka, sequences, 0, 4);
        RecordingTrainer trainer = new RecordingTrainer(3, -1);

        try (TrainerLoop loop = new TrainerLoop(config, trainer, CheckpointListener.NONE, clock)) {
            loop.start();
            await().atMost(WAIT).until(() -> trainer.completedSteps() == 2);
            assertEquals(0, loop.publishedVersion(), "N = 1000 steps and T = 5 min not reached yet");
            clock.advance(Duration.ofMinutes(5));
            await().atMost(WAIT).until(() -> loop.publishedVersion() == 1);
        }

        CheckpointEnvelope v1 = scan(kafka, config).latest("model-" + id).orElseThrow();
        assertEquals(2, v1.trainingStep());
        assertEquals(clock.millis(), v1.createdAtMs());
        assertEquals(4L, committedOffset(kafka, config.groupId(), sequences));
    }

    @Test
    void shouldSkipATamperedRecordAndResumeFromTheNewestVerifiedCheckpoint(KafkaCluster kafka) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String checkpoints = "checkpoints-" + id;
        createTopics(kafka, "unused-" + id, checkpoints, "unused-events-" + id);
        Optional<byte[]> key = Optional.of("k".getBytes(StandardCharsets.UTF_8));
        CheckpointEnvelope good = TestNetworks.envelope(TestNetworks.trained(5, 2), 1, key);
        byte[] forged = TestNetworks.envelope(TestNetworks.trained(6, 2), 2, Optional.of("wrong".getBytes(StandardCharsets.UTF_8))).encode();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(checkpoints, "default", good.encode())).get();
            producer.send(new ProducerRecord<>(checkpoints, "default", forged)).get();
        }

        CheckpointScan scan = new LatestCheckpointReader(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                checkpoints, key, CheckpointCodec.DEFAULT_MAX_BYTES, WAIT).scan();

        assertEquals(1, scan.latest("default").orElseThrow().version());
        assertEquals(1, scan.rejected().size());
        assertEquals(CheckpointRejectReason.HMAC_MISMATCH, scan.rejected().get(0).rejection().reason());
        assertTrue(scan.restoreLatest("default", TestNetworks.SHAPE, r -> { }).isPresent());
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static CheckpointListener withheldInto(List<String> reasons) {
        return new CheckpointListener() {
            @Override
            public void withheld(WithheldReason reason, String detail) {
                reasons.add(reason.code());
            }
        };
    }

    private static org.deeplearning4j.nn.multilayer.MultiLayerNetwork restore(CheckpointEnvelope e) {
        return ((Restored) CheckpointVerifier.restore(e, TestNetworks.SHAPE)).network();
    }

    private static CheckpointScan scan(KafkaCluster kafka, TrainerLoopConfig config) {
        return new LatestCheckpointReader(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                config.checkpoints().topic(), config.checkpoints().hmacKey(), CheckpointCodec.DEFAULT_MAX_BYTES, WAIT).scan();
    }

    private static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "s@" + (1_000L * i)).toList();
    }

    private static void createTopics(KafkaCluster kafka, String sequences, String checkpoints, String events) {
        TopicSpec checkpointSpec = Topics.all(1).stream().filter(t -> t.name().equals(Topics.CHECKPOINTS)).findFirst().orElseThrow();
        TopicAdministrator.ensureTopics(kafka.bootstrapServers(), List.of(
                new TopicSpec(sequences, 1, Map.of()),
                new TopicSpec(checkpoints, 1, checkpointSpec.configs()),
                new TopicSpec(events, 1, Map.of())), WAIT);
    }

    private static void produceSequences(KafkaCluster kafka, String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (int i = from; i < to; i++) {
                float[] values = new float[TestNetworks.WINDOW];
                for (int t = 0; t < values.length; t++) {
                    values[t] = (float) Math.sin(0.3 * (i + t));
                }
                byte[] observed = new byte[values.length];
                java.util.Arrays.fill(observed, (byte) 1);
                SensorSequence s = new SensorSequence("s", 1_000L * i, 1_000L, values, observed, 0.0, 1.0, 0L);
                producer.send(new ProducerRecord<>(topic, "s", SensorSequenceJson.toBytes(s))).get();
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaCluster kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static long committedOffset(KafkaCluster kafka, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec())).partitionsToOffsetAndMetadata(group).get();
            return offsets.get(new TopicPartition(topic, 0)).offset();
        }
    }

    private static List<Integer> eventSteps(KafkaCluster kafka, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Integer> steps = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            long end = consumer.endOffsets(Set.of(tp)).get(tp);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Matcher m = EVENT_STEP.matcher(new String(r.value(), StandardCharsets.UTF_8));
                    assertTrue(m.find());
                    steps.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return steps;
    }
}
