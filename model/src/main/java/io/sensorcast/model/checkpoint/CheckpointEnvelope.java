package io.sensorcast.model.checkpoint;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One record of {@code model-checkpoints} (key = model id): a trained model and what is known about it.
 *
 * <p>The binary form is described in {@link CheckpointCodec}; the payload in {@link ModelPayload}. Build one with
 * {@link #create}, which computes the SHA-256 and, given a key, the HMAC; turn it into bytes with {@link #encode()};
 * read bytes back only through {@link CheckpointCodec#decode} (or {@link CheckpointVerifier}), never by hand.
 *
 * @param formatVersion  envelope format version ({@link CheckpointCodec#FORMAT_VERSION})
 * @param modelId        the model this belongs to; also the record key
 * @param version        monotonic per model id, from 1
 * @param trainingStep   the trainer's step (updates applied) when the snapshot was taken
 * @param createdAtMs    wall-clock creation time, epoch milliseconds
 * @param window         sequence length W the model was trained on
 * @param horizon        forecast horizon in steps
 * @param modelConfig    the trainer's model configuration, opaque text (JSON by convention)
 * @param quality        quality figures at snapshot time, e.g. {@code loss}, {@code prequentialMae}; finite values only
 * @param sourceOffsets  {@code topic-partition → next offset} committed in the same transaction (informational)
 * @param payloadSha256  SHA-256 of {@code payload}, 32 bytes
 * @param hmac           HMAC-SHA256 over the envelope up to and including the digest, 32 bytes; empty if unsigned
 * @param payload        the model, in {@link ModelPayload}'s format (not copied: do not modify)
 */
public record CheckpointEnvelope(int formatVersion, String modelId, long version, long trainingStep, long createdAtMs,
                                 int window, int horizon, String modelConfig, Map<String, Double> quality,
                                 Map<String, Long> sourceOffsets, byte[] payloadSha256, Optional<byte[]> hmac,
                                 byte[] payload) {

    /** Model ids are record keys and meter tag values: short, printable. */
    public static final int MAX_MODEL_ID_LENGTH = 200;

    public CheckpointEnvelope {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(modelConfig, "modelConfig");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(hmac, "hmac");
        if (modelId.isEmpty() || modelId.length() > MAX_MODEL_ID_LENGTH) {
            throw new IllegalArgumentException("model id must have 1.." + MAX_MODEL_ID_LENGTH + " characters");
        }
        if (version < 1 || trainingStep < 0 || createdAtMs < 0) {
            throw new IllegalArgumentException("version must be >= 1, step and creation time >= 0");
        }
        if (window < 1 || horizon < 1 || horizon >= window) {
            throw new IllegalArgumentException("need 1 <= horizon < window, got window " + window + ", horizon " + horizon);
        }
        if (payloadSha256 == null || payloadSha256.length != CheckpointCodec.DIGEST_BYTES) {
            throw new IllegalArgumentException("payload SHA-256 must be " + CheckpointCodec.DIGEST_BYTES + " bytes");
        }
        if (hmac.isPresent() && hmac.get().length != CheckpointCodec.DIGEST_BYTES) {
            throw new IllegalArgumentException("HMAC-SHA256 must be " + CheckpointCodec.DIGEST_BYTES + " bytes");
        }
        for (Map.Entry<String, Double> q : quality.entrySet()) {
            if (q.getValue() == null || !Double.isFinite(q.getValue())) {
                throw new IllegalArgumentException("quality figure " + q.getKey() + " is not finite: " + q.getValue());
            }
        }
        for (Map.Entry<String, Long> o : sourceOffsets.entrySet()) {
            if (o.getValue() == null || o.getValue() < 0) {
                throw new IllegalArgumentException("source offset " + o.getKey() + " is negative");
            }
        }
        quality = Collections.unmodifiableMap(new TreeMap<>(quality));
        sourceOffsets = Collections.unmodifiableMap(new TreeMap<>(sourceOffsets));
        payloadSha256 = payloadSha256.clone();
        hmac = hmac.map(byte[]::clone);
    }

    /**
     * A new envelope in the current format: computes the payload's SHA-256 and, when {@code hmacKey} is present,
     * signs it with HMAC-SHA256.
     */
    public static CheckpointEnvelope create(String modelId, long version, long trainingStep, long createdAtMs,
                                            int window, int horizon, String modelConfig, Map<String, Double> quality,
                                            Map<String, Long> sourceOffsets, byte[] payload, Optional<byte[]> hmacKey) {
        CheckpointEnvelope unsigned = new CheckpointEnvelope(CheckpointCodec.FORMAT_VERSION, modelId, version,
                trainingStep, createdAtMs, window, horizon, modelConfig, quality, sourceOffsets,
                CheckpointCodec.sha256(payload), Optional.empty(), payload);
        return hmacKey.map(key -> unsigned.withHmac(CheckpointCodec.hmac(key, CheckpointCodec.signedPrefixForSigning(unsigned))))
                .orElse(unsigned);
    }

    /** The binary form (see {@link CheckpointCodec}). */
    public byte[] encode() {
        return CheckpointCodec.encode(this);
    }

    public boolean signed() {
        return hmac.isPresent();
    }

    CheckpointEnvelope withHmac(byte[] mac) {
        return new CheckpointEnvelope(formatVersion, modelId, version, trainingStep, createdAtMs, window, horizon,
                modelConfig, quality, sourceOffsets, payloadSha256, Optional.of(mac), payload);
    }

    @Override
    public byte[] payloadSha256() {
        return payloadSha256.clone();
    }

    @Override
    public Optional<byte[]> hmac() {
        return hmac.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointEnvelope e && formatVersion == e.formatVersion && modelId.equals(e.modelId)
                && version == e.version && trainingStep == e.trainingStep && createdAtMs == e.createdAtMs
                && window == e.window && horizon == e.horizon && modelConfig.equals(e.modelConfig)
                && quality.equals(e.quality) && sourceOffsets.equals(e.sourceOffsets)
                && Arrays.equals(payloadSha256, e.payloadSha256)
                && Arrays.equals(hmac.orElse(null), e.hmac.orElse(null)) && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelId, version, trainingStep, Arrays.hashCode(payloadSha256));
    }

    @Override
    public String toString() {
        return "CheckpointEnvelope[model=" + modelId + " version=" + version + " step=" + trainingStep
                + " createdAtMs=" + createdAtMs + " window=" + window + " horizon=" + horizon + " quality=" + quality
                + " signed=" + signed() + " payload=" + payload.length + " bytes]";
    }
}
