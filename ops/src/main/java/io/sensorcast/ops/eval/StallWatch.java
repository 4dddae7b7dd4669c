package io.sensorcast.ops.eval;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Bounds a wait for records by progress rather than by total time: a long replay on a loaded machine may take many
 * minutes and still be healthy, but {@code limit} without a single new record means something is stuck.
 */
final class StallWatch {
    private final String waitingFor;
    private final Duration limit;
    private final LongSupplier nanoTime;
    private long done = -1;
    private long lastProgressNanos;

    /** @param waitingFor what is awaited, for the error, e.g. "ingest on Kafka to process 601 readings" */
    StallWatch(String waitingFor, Duration limit) {
        this(waitingFor, limit, System::nanoTime);
    }

    StallWatch(String waitingFor, Duration limit, LongSupplier nanoTime) {
        this.waitingFor = waitingFor;
        this.limit = limit;
        this.nanoTime = nanoTime;
        this.lastProgressNanos = nanoTime.getAsLong();
    }

    /**
     * Records that {@code done} of {@code expected} have arrived.
     *
     * @throws IllegalStateException when nothing new has arrived for the limit; its message ends with {@code detail}
     */
    void progress(long done, long expected, Supplier<String> detail) {
        long now = nanoTime.getAsLong();
        if (done > this.done) {
            this.done = done;
            lastProgressNanos = now;
        } else if (now - lastProgressNanos > limit.toNanos()) {
            throw new IllegalStateException("timed out waiting for " + waitingFor + ": " + done + " of " + expected
                    + " after " + limit.toSeconds() + " s without progress" + detail.get());
        }
    }

    /** Waits {@code interval} before looking again (for waits that cannot block on a poll). */
    static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
