package io.sensorcast.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class StallWatchTest {
    private final AtomicLong clock = new AtomicLong();
    private final StallWatch watch = new StallWatch("serve on Kafka to forecast 32 sequences", Duration.ofSeconds(60), clock::get);

    @Test
    void shouldFailWithWhatItAwaitedAndHowFarItGotWhenNothingArrivesForTheLimit() {
        watch.progress(5, 32, () -> "");
        clock.addAndGet(Duration.ofSeconds(60).toNanos() + 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> watch.progress(5, 32, () -> " (serve is RUNNING)"));
        assertEquals("timed out waiting for serve on Kafka to forecast 32 sequences: 5 of 32 after 60 s without progress"
                + " (serve is RUNNING)", e.getMessage());
    }

    @Test
    void shouldKeepWaitingWhileRecordsKeepArrivingHoweverLongItTakes() {
        for (int done = 0; done < 32; done++) {
            clock.addAndGet(Duration.ofSeconds(59).toNanos()); // 31 minutes in all, never a minute without a record
            watch.progress(done, 32, () -> "");
        }
    }

    @Test
    void shouldNotFailBeforeTheLimitWithoutProgress() {
        watch.progress(5, 32, () -> "");
        clock.addAndGet(Duration.ofSeconds(60).toNanos());
        watch.progress(5, 32, () -> "");
    }
}
