package io.sensorcast.model.checkpoint;

import java.time.Duration;

/**
 * "Every N steps or T": due when {@code N} steps or {@code T} of clock time have passed since the last reset,
 * whichever comes first. E.g. N = 100, T = 60 s, reset at step 0 and t = 0: due at step 100, or at t = 60 s
 * if only 40 steps were taken by then.
 */
public final class CheckpointCadence {
    private final long everySteps;
    private final long everyMs;
    private long stepAtReset;
    private long timeAtResetMs;

    public CheckpointCadence(long everySteps, Duration every, long step, long nowMs) {
        if (everySteps < 1 || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("checkpoint cadence needs N >= 1 steps and T > 0");
        }
        this.everySteps = everySteps;
        this.everyMs = every.toMillis();
        reset(step, nowMs);
    }

    public boolean due(long step, long nowMs) {
        return step - stepAtReset >= everySteps || nowMs - timeAtResetMs >= everyMs;
    }

    public void reset(long step, long nowMs) {
        stepAtReset = step;
        timeAtResetMs = nowMs;
    }
}
