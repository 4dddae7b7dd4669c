package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.envelope;
import static io.sensorcast.serve.ServeDriver.network;
import static io.sensorcast.serve.ServeDriver.rising;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.sensorcast.kafka.DeferredWriteStore;
import org.junit.jupiter.api.Test;

/** Sequences are forecast in batches across sensors; a buffered sequence lives in a changelogged store until sent. */
class ServeTopologyBatchingTest {
    private static final ServeConfig BATCH_OF_3 = ServeDriver.CONFIG.withBatching(3, Duration.ofMillis(50));

    @Test
    void shouldHoldPartialBatchInChangeloggedStoreWhenBatchIsNotFullAndMaxWaitHasNotElapsed() {
        try (ServeDriver d = new ServeDriver(BATCH_OF_3)) {
            d.pipe(sequence("s1", T0, rising(), 0, 1));
            d.pipe(sequence("s2", T0, rising(), 0, 1));
            d.driver.advanceWallClockTime(Duration.ofMillis(49));

            assertTrue(d.forecasts.isEmpty());
            DeferredWriteStore<?> pending = (DeferredWriteStore<?>) d.driver.getStateStore(ServeTopology.PENDING_STORE);
            assertEquals(2, pending.approximateNumEntries(), "both buffered sequences are in the store (and its changelog)");
        }
    }

    @Test
    void shouldForecastPartialBatchInArrivalOrderWhenMaxWaitElapses() {
        try (ServeDriver d = new ServeDriver(BATCH_OF_3)) {
            d.pipe(sequence("s1", T0, rising(), 0, 1));
            d.pipe(sequence("s2", T0, rising(), 0, 1));
            d.driver.advanceWallClockTime(Duration.ofMillis(50));

            assertEquals(List.of("s1", "s2"), d.readAll().stream().map(Forecast::sensor).toList());
            DeferredWriteStore<?> pending = (DeferredWriteStore<?>) d.driver.getStateStore(ServeTopology.PENDING_STORE);
            assertEquals(0, pending.approximateNumEntries());
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldForecastWholeBatchWithOneModelVersionWhenBatchSizeIsReached() {
        try (ServeDriver d = new ServeDriver(BATCH_OF_3)) {
            d.pipe(sequence("s1", T0, rising(), 0, 1));
            d.pipe(sequence("s2", T0, rising(), 0, 1));
            d.pipeCheckpoint("default", envelope("default", 1, network(1)), T0);   // arrives while s1, s2 wait
            d.pipe(sequence("s3", T0, rising(), 0, 1));

            // the batch is forecast when s3 fills it, with the model live at that moment, for all three
            assertEquals(List.of("s1:lstm/1", "s2:lstm/1", "s3:lstm/1"),
                    d.readAll().stream().map(f -> f.sensor() + ":" + f.method() + "/" + f.modelVersion()).toList());
            assertTrue(d.forecasts.isEmpty());
        }
    }
}
