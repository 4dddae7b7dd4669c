package io.sensorcast.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmark end to end on its own embedded broker, at a size that takes seconds. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IngestBenchmarkTest {

    @Test
    void shouldMeasureEveryRateAndEmitEverySequenceWhenRunOnASmallLoad() {
        IngestBenchmark.Params params = IngestBenchmark.Params.defaults()
                .withSensors(20)
                .withSteps(20)
                .withPartitions(2)
                .withWarmupFraction(0.1)
                .withIngest(IngestBenchmark.Params.tunedIngest().withWindow(8));

        IngestBenchmark.Result r = IngestBenchmark.run(params);

        assertTrue(r.readingsPerSecond() > 0, r.toString());
        assertTrue(r.passthroughPerSecond() > 0, r.toString());
        assertTrue(r.streamsCopyPerSecond() > 0, r.toString());
        assertTrue(r.streamsConsumePerSecond() > 0, r.toString());
        assertEquals(r.readingsPerSecond() / r.passthroughPerSecond(), r.ratio(), 0.01, r.toString());
        // 20 steps per sensor: the last reading (step 19) closes steps 0..16 (end + 2 min grace ≤ 19 min);
        // with W = 8 that is 17 - 8 + 1 = 10 sequences per sensor
        assertEquals(200L, r.params().get("sequences"), r.toString());
        assertEquals(0L, r.params().get("deadLetters"), r.toString());
        assertEquals(400L, r.params().get("readings"), r.toString());
    }
}
