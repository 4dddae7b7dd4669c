package io.sensorcast.model.checkpoint;

/** A refused checkpoint: a stable {@link CheckpointRejectReason} and a one-line human detail. */
public record Rejected(CheckpointRejectReason reason, String detail) implements DecodeResult, RestoreResult {

    /** The stable reason code, e.g. {@code hmac_mismatch}. */
    public String code() {
        return reason.code();
    }

    @Override
    public String toString() {
        return "Rejected[" + reason.code() + ": " + detail + "]";
    }
}
