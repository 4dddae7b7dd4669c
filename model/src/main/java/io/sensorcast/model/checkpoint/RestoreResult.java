package io.sensorcast.model.checkpoint;

/** What {@link CheckpointVerifier} returns: {@link Restored} or {@link Rejected}; it never throws on bad input. */
public sealed interface RestoreResult extends CheckpointResult permits Restored, Rejected {
}
