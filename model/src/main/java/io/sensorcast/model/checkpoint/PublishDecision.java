package io.sensorcast.model.checkpoint;

/** What {@link CheckpointPublisher#decide} concluded: {@link Publish} or {@link Withheld}. */
public sealed interface PublishDecision {

    /** Publish {@code envelope} (already encoded into {@code bytes}) as the next version. */
    record Publish(CheckpointEnvelope envelope, byte[] bytes) implements PublishDecision {
    }

    /** Do not publish, with a stable reason and a one-line detail. */
    record Withheld(WithheldReason reason, String detail) implements PublishDecision {
    }
}
