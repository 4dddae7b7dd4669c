package io.sensorcast.model.checkpoint;

/** What {@link CheckpointCodec#decode} returns: {@link Verified} or {@link Rejected}; it never throws on bad input. */
public sealed interface DecodeResult extends CheckpointResult permits Verified, Rejected {
}
