package io.sensorcast.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publication gate, version assignment and the transaction with the offsets. */
class CheckpointPublisherTest {
    private static final Optional<byte[]> KEY = Optional.of("k".getBytes(StandardCharsets.UTF_8));
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_732_440_000_000L), ZoneOffset.UTC);
    private static final int COOLDOWN = 10;
    private static final CheckpointPublisherConfig CONFIG = CheckpointPublisherConfig
            .defaults("default", TestNetworks.WINDOW, TestNetworks.HORIZON, "{}")
            .withHmacKey(KEY)
            .withGate(COOLDOWN, QualityFigures.LOSS, 0.10);
    private static MultiLayerNetwork net;

    private final RecordingListener listener = new RecordingListener();
    private final CheckpointPublisher publisher = new CheckpointPublisher(CONFIG, listener, CLOCK);

    @BeforeAll
    static void network() {
        net = TestNetworks.trained(3, 1);
    }

    @Test
    void shouldPublishVersionOneWhenTheModelHasNoCheckpointYet() {
        PublishDecision.Publish p = assertInstanceOf(PublishDecision.Publish.class, publisher.decide(candidate(100, 0.5)));

        assertEquals(1, p.envelope().version());
        assertEquals(100, p.envelope().trainingStep());
        assertEquals(CLOCK.millis(), p.envelope().createdAtMs());
        assertInstanceOf(Verified.class, CheckpointCodec.decode(p.bytes(), KEY));
        assertEquals(List.of(), listener.events, "published is reported on commit, not on decision");
    }

    @Test
    void shouldWithholdWithNonFiniteWeightsWhenAParameterIsNaN() {
        MultiLayerNetwork broken = net.clone();
        broken.params().putScalar(0, Float.POSITIVE_INFINITY);

        assertWithheld(WithheldReason.NON_FINITE_WEIGHTS, publisher.decide(
                new CheckpointCandidate(broken, 100, OptionalLong.empty(), Map.of("loss", 0.5), Map.of())));
    }

    @Test
    void shouldWithholdWithRecentExplosionWhenAnExplosionHappenedWithinTheLastKSteps() {
        // explosion at 91, now 100: 9 steps ago < K = 10
        assertWithheld(WithheldReason.RECENT_EXPLOSION, publisher.decide(candidate(100, OptionalLong.of(91), 0.5)));
    }

    @Test
    void shouldPublishWhenTheLastExplosionIsExactlyKStepsAgo() {
        assertInstanceOf(PublishDecision.Publish.class, publisher.decide(candidate(100, OptionalLong.of(90), 0.5)));
    }

    @Test
    void shouldWithholdWithQualityRegressedWhenLossIsWorseThanTheLastPublishedBeyondTheTolerance() {
        commit(publisher.decide(candidate(100, 0.50)));

        // limit 0.50 · 1.10 = 0.55
        assertWithheld(WithheldReason.QUALITY_REGRESSED, publisher.decide(candidate(200, 0.56)));
    }

    @Test
    void shouldPublishWhenLossIsWorseThanTheLastPublishedWithinTheTolerance() {
        commit(publisher.decide(candidate(100, 0.50)));

        PublishDecision.Publish p = assertInstanceOf(PublishDecision.Publish.class, publisher.decide(candidate(200, 0.54)));
        assertEquals(2, p.envelope().version());
    }

    @Test
    void shouldWithholdWithNonFiniteQualityWhenTheLossIsNaN() {
        assertWithheld(WithheldReason.NON_FINITE_QUALITY, publisher.decide(candidate(100, Double.NaN)));
    }

    @Test
    void shouldWithholdWithNoProgressWhenTheStepHasNotAdvancedSinceTheLastPublished() {
        commit(publisher.decide(candidate(100, 0.5)));

        assertWithheld(WithheldReason.NO_PROGRESS, publisher.decide(candidate(100, 0.4)));
    }

    @Test
    void shouldWithholdWithTooLargeWhenTheEnvelopeExceedsTheLimit() {
        CheckpointPublisher small = new CheckpointPublisher(CONFIG.withMaxEnvelopeBytes(1024), listener, CLOCK);

        assertWithheld(WithheldReason.TOO_LARGE, small.decide(candidate(100, 0.5)));
    }

    @Test
    void shouldContinueVersionsAndQualityBaselineWhenResumedFromACheckpoint() {
        CheckpointEnvelope latest = CheckpointEnvelope.create("default", 7, 700, 1, TestNetworks.WINDOW,
                TestNetworks.HORIZON, "{}", Map.of("loss", 0.30), Map.of(), ModelPayload.write(net), KEY);
        publisher.resumeFrom(latest);

        assertWithheld(WithheldReason.QUALITY_REGRESSED, publisher.decide(candidate(800, 0.34)));
        PublishDecision.Publish p = assertInstanceOf(PublishDecision.Publish.class, publisher.decide(candidate(800, 0.32)));
        assertEquals(8, p.envelope().version());
        assertEquals(List.of("resumed 7", "withheld quality_regressed"), listener.events);
    }

    @Test
    void shouldCommitTheCheckpointAndTheOffsetsInOneTransaction() {
        MockProducer<String, byte[]> producer = transactionalProducer();
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(new TopicPartition("sensor-sequences", 0), new OffsetAndMetadata(42));

        publisher.publishInTransaction(producer, candidate(100, 0.5), offsets, new ConsumerGroupMetadata("g"));

        assertTrue(producer.transactionCommitted());
        assertEquals(1, producer.history().size());
        assertEquals("default", producer.history().get(0).key());
        assertEquals(CONFIG.topic(), producer.history().get(0).topic());
        assertEquals(List.of(Map.of("g", offsets)), producer.consumerGroupOffsetsHistory());
        assertEquals(List.of("published 1"), listener.events);
        assertEquals(1, publisher.lastVersion());
    }

    @Test
    void shouldOfferTheSameVersionAgainWhenTheTransactionFailsToCommit() {
        MockProducer<String, byte[]> producer = transactionalProducer();
        producer.commitTransactionException = new KafkaException("broker went away");

        assertThrows(KafkaException.class, () -> publisher.publishInTransaction(producer, candidate(100, 0.5),
                Map.of(), new ConsumerGroupMetadata("g")));

        assertTrue(producer.transactionAborted());
        assertEquals(List.of(), producer.history());
        assertEquals(List.of(), listener.events);
        PublishDecision.Publish again = assertInstanceOf(PublishDecision.Publish.class, publisher.decide(candidate(100, 0.5)));
        assertEquals(1, again.envelope().version());
    }

    @Test
    void shouldCountPublishedAndWithheldByReasonWhenMetered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CheckpointPublisher metered = new CheckpointPublisher(CONFIG, new CheckpointMeters(registry, "default"), CLOCK);

        commit(metered, metered.decide(candidate(100, 0.5)));
        metered.decide(candidate(200, OptionalLong.of(199), 0.5));

        assertEquals(1.0, registry.get("sensorcast.trainer.checkpoints.published").tag("model", "default").counter().count());
        assertEquals(1.0, registry.get("sensorcast.trainer.checkpoints.withheld").tag("reason", "recent_explosion").counter().count());
        assertEquals(0.0, registry.get("sensorcast.trainer.checkpoints.withheld").tag("reason", "quality_regressed").counter().count());
        assertEquals(1.0, registry.get("sensorcast.trainer.checkpoint.version").gauge().value());
        assertEquals(1_732_440_000.0, registry.get("sensorcast.trainer.last.checkpoint.timestamp.seconds").gauge().value());
    }

    private void commit(PublishDecision decision) {
        commit(publisher, decision);
    }

    private static void commit(CheckpointPublisher p, PublishDecision decision) {
        p.committed(assertInstanceOf(PublishDecision.Publish.class, decision));
    }

    private static MockProducer<String, byte[]> transactionalProducer() {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static CheckpointCandidate candidate(long step, double loss) {
        return candidate(step, OptionalLong.empty(), loss);
    }

    private static CheckpointCandidate candidate(long step, OptionalLong lastExplosion, double loss) {
        return new CheckpointCandidate(net, step, lastExplosion, Map.of("loss", loss, "prequentialMae", 0.2), Map.of());
    }

    private static void assertWithheld(WithheldReason expected, PublishDecision decision) {
        PublishDecision.Withheld w = assertInstanceOf(PublishDecision.Withheld.class, decision);
        assertEquals(expected, w.reason(), w.detail());
    }

    private static final class RecordingListener implements CheckpointListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void resumed(CheckpointEnvelope latest) {
            events.add("resumed " + latest.version());
        }

        @Override
        public void published(CheckpointEnvelope envelope) {
            events.add("published " + envelope.version());
        }

        @Override
        public void withheld(WithheldReason reason, String detail) {
            events.add("withheld " + reason.code());
        }
    }
}
