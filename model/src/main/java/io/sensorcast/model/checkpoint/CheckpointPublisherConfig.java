package io.sensorcast.model.checkpoint;

import java.util.Objects;
import java.util.Optional;

import io.sensorcast.kafka.Topics;

/**
 * How a trainer publishes checkpoints.
 *
 * @param modelId                 the model id: record key and envelope field
 * @param window                  sequence window W, written to the envelope header
 * @param horizon                 forecast horizon, written to the envelope header
 * @param modelConfig             the trainer's model configuration as text (opaque here)
 * @param hmacKey                 when present, envelopes are signed with HMAC-SHA256 (ops reads it from the environment)
 * @param explosionCooldownSteps  K: withhold while an explosion happened within the last K steps
 * @param qualityKey              the quality figure that gates publication (lower is better), e.g. {@code loss}
 * @param qualityTolerance        relative: withhold when {@code q > last·(1 + tolerance)} (for a negative last value,
 *                                {@code q > last + |last|·tolerance})
 * @param maxEnvelopeBytes        withhold envelopes larger than this (readers reject them anyway)
 * @param topic                   the checkpoint topic
 */
public record CheckpointPublisherConfig(String modelId, int window, int horizon, String modelConfig,
                                        Optional<byte[]> hmacKey, int explosionCooldownSteps, String qualityKey,
                                        double qualityTolerance, int maxEnvelopeBytes, String topic) {
    public static final int DEFAULT_EXPLOSION_COOLDOWN_STEPS = 50;
    public static final String DEFAULT_QUALITY_KEY = QualityFigures.LOSS;
    public static final double DEFAULT_QUALITY_TOLERANCE = 0.10;

    public CheckpointPublisherConfig {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(modelConfig, "modelConfig");
        Objects.requireNonNull(qualityKey, "qualityKey");
        Objects.requireNonNull(topic, "topic");
        hmacKey = Objects.requireNonNull(hmacKey, "hmacKey").map(byte[]::clone);
        if (explosionCooldownSteps < 0 || !(qualityTolerance >= 0) || maxEnvelopeBytes < 1) {
            throw new IllegalArgumentException("cooldown and tolerance must be >= 0, size limit positive");
        }
        new ModelShape(window, horizon, 1, 1); // validates window and horizon
    }

    /** Defaults: unsigned, K = 50 steps, gate on {@code loss} with 10% tolerance, the topic's size limit. */
    public static CheckpointPublisherConfig defaults(String modelId, int window, int horizon, String modelConfig) {
        return new CheckpointPublisherConfig(modelId, window, horizon, modelConfig, Optional.empty(),
                DEFAULT_EXPLOSION_COOLDOWN_STEPS, DEFAULT_QUALITY_KEY, DEFAULT_QUALITY_TOLERANCE,
                CheckpointCodec.DEFAULT_MAX_BYTES, Topics.CHECKPOINTS);
    }

    public CheckpointPublisherConfig withHmacKey(Optional<byte[]> key) {
        return new CheckpointPublisherConfig(modelId, window, horizon, modelConfig, key, explosionCooldownSteps,
                qualityKey, qualityTolerance, maxEnvelopeBytes, topic);
    }

    public CheckpointPublisherConfig withGate(int cooldownSteps, String key, double tolerance) {
        return new CheckpointPublisherConfig(modelId, window, horizon, modelConfig, hmacKey, cooldownSteps, key,
                tolerance, maxEnvelopeBytes, topic);
    }

    public CheckpointPublisherConfig withTopic(String checkpointTopic) {
        return new CheckpointPublisherConfig(modelId, window, horizon, modelConfig, hmacKey, explosionCooldownSteps,
                qualityKey, qualityTolerance, maxEnvelopeBytes, checkpointTopic);
    }

    public CheckpointPublisherConfig withMaxEnvelopeBytes(int bytes) {
        return new CheckpointPublisherConfig(modelId, window, horizon, modelConfig, hmacKey, explosionCooldownSteps,
                qualityKey, qualityTolerance, bytes, topic);
    }
}
