package io.sensorcast.model.checkpoint;

/**
 * Hooks for whoever counts the trainer loop's checkpoints and sequences (see {@link CheckpointMeters} for the Micrometer version). Called on the
 * trainer's thread; implementations must be quick and must not throw.
 */
public interface CheckpointListener {
    /** No-op listener. */
    CheckpointListener NONE = new CheckpointListener() {
    };

    /** The trainer resumed from {@code latest} (the newest verified checkpoint of its model on the topic). */
    default void resumed(CheckpointEnvelope latest) {
    }

    /** {@code envelope} was committed to the checkpoint topic. */
    default void published(CheckpointEnvelope envelope) {
    }

    /** A snapshot was not published. */
    default void withheld(WithheldReason reason, String detail) {
    }

    /**
     * A poll brought {@code polled} sequences, of which {@code kept} will be trained on (fewer while the trainer is
     * behind, {@link BacklogSampler}).
     */
    default void polled(int polled, int kept) {
    }
}
