package io.sensorcast.model.checkpoint;

import java.util.Locale;

/**
 * Why a checkpoint envelope was refused. The {@link #code()} is stable: it is the {@code reason} tag of
 * {@code sensorcast_serve_checkpoints_rejected_total} and appears in logs; never rename one.
 *
 * <p>The codec checks in this order and stops at the first failure, so a reason also says how far the bytes got:
 * size, magic, format version, structure and header, payload digest, HMAC; then, in {@link CheckpointVerifier},
 * the payload: format (never Java serialisation), finite weights, shape.
 */
public enum CheckpointRejectReason {
    /** Bigger than the configured limit; nothing else was read. */
    TOO_LARGE,
    /** Does not start with the envelope magic {@code SCKP}. */
    BAD_MAGIC,
    /** An envelope or payload format version this code does not know. */
    UNKNOWN_FORMAT,
    /** Truncated, trailing bytes, bad lengths, unparseable or insane header, or an internally inconsistent payload. */
    MALFORMED,
    /** The payload's SHA-256 differs from the one in the envelope. */
    DIGEST_MISMATCH,
    /** A key is configured but the envelope carries no HMAC. */
    HMAC_MISSING,
    /** A key is configured and the envelope's HMAC-SHA256 does not match it. */
    HMAC_MISMATCH,
    /** The record key (model id) differs from the model id inside the envelope. */
    MODEL_ID_MISMATCH,
    /** The payload is not our raw format: a Java serialisation stream, a ModelSerializer zip, or anything else. */
    UNSAFE_PAYLOAD,
    /** A parameter or updater-state value is NaN or infinite. */
    NON_FINITE_WEIGHTS,
    /** Window, horizon, network inputs or outputs differ from what the caller expects. */
    INCOMPATIBLE_SHAPE;

    /** The stable code, e.g. {@code digest_mismatch}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
