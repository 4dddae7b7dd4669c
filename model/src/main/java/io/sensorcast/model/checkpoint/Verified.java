package io.sensorcast.model.checkpoint;

/**
 * An envelope whose structure, digest and (when a key is configured) HMAC checked out. Its payload has not been
 * interpreted yet: {@link CheckpointVerifier#restore} does that.
 */
public record Verified(CheckpointEnvelope envelope) implements DecodeResult {
}
