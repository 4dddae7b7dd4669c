package io.sensorcast.model.checkpoint;

/** Common type of {@link DecodeResult} and {@link RestoreResult}: either a success or a {@link Rejected}. */
public sealed interface CheckpointResult permits DecodeResult, RestoreResult {
}
