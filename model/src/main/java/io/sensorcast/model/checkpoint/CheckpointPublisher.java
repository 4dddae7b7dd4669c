package io.sensorcast.model.checkpoint;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a trainer's snapshot is healthy enough to publish, gives it the next version, and writes it to
 * {@code model-checkpoints} inside the caller's Kafka transaction.
 *
 * <p>A snapshot is withheld ({@link WithheldReason}) when the step has not advanced since the last published
 * checkpoint, a weight is not finite, the gating quality figure is not finite, an explosion happened in the last K
 * steps, or the gating figure is worse than the last published one by more than the tolerance (e.g. loss 0.50
 * published, tolerance 10%: 0.54 publishes, 0.56 is withheld as {@code quality_regressed}). The first checkpoint
 * after a start without history has no baseline and is judged on health alone.
 *
 * <p>Versions are {@code last + 1}, where {@code last} is the highest version this model has on the topic
 * ({@link #resumeFrom}) or published since. A version is consumed only when its transaction commits: call
 * {@link #committed} after {@code commitTransaction()}; after an abort the same version is offered again, and no
 * reader ever saw it.
 *
 * <pre>{@code
 * producer.beginTransaction();
 * ... send what the batch produced ...
 * PublishDecision d = publisher.decide(new CheckpointCandidate(net, step, lastExplosion, quality, offsets));
 * if (d instanceof PublishDecision.Publish p) publisher.send(producer, p);
 * producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
 * producer.commitTransaction();
 * if (d instanceof PublishDecision.Publish p) publisher.committed(p);
 * }</pre>
 * {@link #publishInTransaction} does exactly that for callers with nothing else in the transaction.
 * Not thread-safe: one trainer thread owns it.
 */
public final class CheckpointPublisher {
    private static final Logger log = LoggerFactory.getLogger(CheckpointPublisher.class);

    private final CheckpointPublisherConfig config;
    private final CheckpointListener listener;
    private final Clock clock;
    private long lastVersion;
    private long lastPublishedStep = -1;
    private OptionalDouble lastQuality = OptionalDouble.empty();

    public CheckpointPublisher(CheckpointPublisherConfig config, CheckpointListener listener, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Continues after {@code latest}, the newest verified checkpoint of this model: its version, step and quality
     * become the baseline. Tells the listener.
     */
    public void resumeFrom(CheckpointEnvelope latest) {
        if (!latest.modelId().equals(config.modelId())) {
            throw new IllegalArgumentException("checkpoint of model " + latest.modelId() + ", not " + config.modelId());
        }
        lastVersion = Math.max(lastVersion, latest.version());
        lastPublishedStep = latest.trainingStep();
        Double q = latest.quality().get(config.qualityKey());
        lastQuality = q == null ? OptionalDouble.empty() : OptionalDouble.of(q);
        listener.resumed(latest);
    }

    /** Makes sure new versions exceed {@code version} (e.g. a newer envelope that could not be restored). */
    public void reserveVersionsUpTo(long version) {
        lastVersion = Math.max(lastVersion, version);
    }

    /** The highest version committed or resumed from; 0 when none. */
    public long lastVersion() {
        return lastVersion;
    }

    /** Judges {@code candidate}; a withheld one is reported to the listener here, a published one on commit. */
    public PublishDecision decide(CheckpointCandidate candidate) {
        PublishDecision decision = judge(candidate);
        if (decision instanceof PublishDecision.Withheld w) {
            log.info("checkpoint withheld model=[{}] step=[{}] reason=[{}] detail=[{}]", config.modelId(),
                    candidate.trainingStep(), w.reason().code(), w.detail());
            listener.withheld(w.reason(), w.detail());
        }
        return decision;
    }

    private PublishDecision judge(CheckpointCandidate c) {
        long step = c.trainingStep();
        if (step <= lastPublishedStep) {
            return withheld(WithheldReason.NO_PROGRESS, "step " + step + ", last published at step " + lastPublishedStep);
        }
        String nonFinite = ModelPayload.firstNonFinite(c.network());
        if (nonFinite != null) {
            return withheld(WithheldReason.NON_FINITE_WEIGHTS, nonFinite);
        }
        Double q = c.quality().get(config.qualityKey());
        if (q != null && !Double.isFinite(q)) {
            return withheld(WithheldReason.NON_FINITE_QUALITY, config.qualityKey() + " is " + q);
        }
        if (c.lastExplosionStep().isPresent() && step - c.lastExplosionStep().getAsLong() < config.explosionCooldownSteps()) {
            return withheld(WithheldReason.RECENT_EXPLOSION, "explosion at step " + c.lastExplosionStep().getAsLong()
                    + ", now " + step + ", cooldown " + config.explosionCooldownSteps() + " steps");
        }
        if (q != null && lastQuality.isPresent()) {
            double last = lastQuality.getAsDouble();
            double limit = last + Math.abs(last) * config.qualityTolerance();
            if (q > limit) {
                return withheld(WithheldReason.QUALITY_REGRESSED, config.qualityKey() + " " + q + " > " + limit
                        + " (last published " + last + ", tolerance " + config.qualityTolerance() + ")");
            }
        }
        Map<String, Double> quality = new LinkedHashMap<>();
        c.quality().forEach((k, v) -> {
            if (Double.isFinite(v)) {
                quality.put(k, v);
            }
        });
        CheckpointEnvelope envelope = CheckpointEnvelope.create(config.modelId(), lastVersion + 1, step, clock.millis(),
                config.window(), config.horizon(), config.modelConfig(), quality, c.sourceOffsets(),
                ModelPayload.write(c.network()), config.hmacKey());
        byte[] bytes = envelope.encode();
        if (bytes.length > config.maxEnvelopeBytes()) {
            return withheld(WithheldReason.TOO_LARGE, bytes.length + " bytes, limit " + config.maxEnvelopeBytes());
        }
        return new PublishDecision.Publish(envelope, bytes);
    }

    /** Sends the checkpoint record (key = model id) in the producer's open transaction. */
    public void send(Producer<String, byte[]> producer, PublishDecision.Publish publish) {
        producer.send(new ProducerRecord<>(config.topic(), config.modelId(), publish.bytes()));
    }

    /** Records that the transaction carrying {@code publish} committed: its version and quality are the new baseline. */
    public void committed(PublishDecision.Publish publish) {
        CheckpointEnvelope e = publish.envelope();
        lastVersion = Math.max(lastVersion, e.version());
        lastPublishedStep = e.trainingStep();
        Double q = e.quality().get(config.qualityKey());
        lastQuality = q == null ? lastQuality : OptionalDouble.of(q);
        log.info("checkpoint published model=[{}] version=[{}] step=[{}] bytes=[{}]", e.modelId(), e.version(),
                e.trainingStep(), publish.bytes().length);
        listener.published(e);
    }

    /**
     * One transaction: the checkpoint (when healthy) and the consumed offsets, committed together. On a Kafka
     * error the transaction is aborted (when still possible) and the error rethrown; nothing was published.
     */
    public PublishDecision publishInTransaction(Producer<String, byte[]> producer, CheckpointCandidate candidate,
                                                Map<TopicPartition, OffsetAndMetadata> offsets,
                                                ConsumerGroupMetadata groupMetadata) {
        PublishDecision decision = decide(candidate);
        producer.beginTransaction();
        try {
            if (decision instanceof PublishDecision.Publish p) {
                send(producer, p);
            }
            producer.sendOffsetsToTransaction(offsets, groupMetadata);
            producer.commitTransaction();
        } catch (KafkaException e) {
            abortQuietly(producer, e);
            throw e;
        }
        if (decision instanceof PublishDecision.Publish p) {
            committed(p);
        }
        return decision;
    }

    private static void abortQuietly(Producer<String, byte[]> producer, KafkaException cause) {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            cause.addSuppressed(e);
        }
    }

    private static PublishDecision.Withheld withheld(WithheldReason reason, String detail) {
        return new PublishDecision.Withheld(reason, detail);
    }
}
