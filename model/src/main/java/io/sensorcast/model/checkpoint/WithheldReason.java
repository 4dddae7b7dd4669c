package io.sensorcast.model.checkpoint;

import java.util.Locale;

/**
 * Why {@link CheckpointPublisher} did not publish a snapshot. The {@link #code()} is the stable {@code reason} tag of
 * {@code sensorcast_trainer_checkpoints_withheld_total}. Checked in the declaration order; the first that applies wins.
 */
public enum WithheldReason {
    /** The trainer has not advanced since the last published checkpoint (e.g. every update was skipped). */
    NO_PROGRESS,
    /** A parameter or updater-state value is NaN or infinite. */
    NON_FINITE_WEIGHTS,
    /** The gating quality figure (e.g. the prequential loss) is NaN or infinite. */
    NON_FINITE_QUALITY,
    /** An explosion was detected within the last K steps. */
    RECENT_EXPLOSION,
    /** The gating quality figure is worse than the last published one by more than the tolerance. */
    QUALITY_REGRESSED,
    /** The encoded envelope would exceed the size limit of the topic and of its readers. */
    TOO_LARGE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
