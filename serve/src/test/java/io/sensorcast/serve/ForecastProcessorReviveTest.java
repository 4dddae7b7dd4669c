package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.rising;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.kafka.DeferredWriteStore;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams revives a corrupted task (a commit that timed out while the broker was away, for one) by restoring
 * its stores to the last commit and calling {@code init} again on the same processor instance. The forecaster must
 * then hold exactly what the restored store holds: one forecast per sequence, never two.
 */
class ForecastProcessorReviveTest {
    /** Batches of 4, so single sequences stay buffered until the test flushes them. */
    private static final ServeConfig CONFIG = ServeDriver.CONFIG.withBatching(4, Duration.ofMinutes(1));

    private final MockProcessorContext<String, Forecast> context = new MockProcessorContext<>();
    {
        context.setCurrentSystemTimeMs(ServeDriver.ARRIVED);
    }
    private final DeferredWriteStore<BufferedSequence.Value> pending = pendingStore();
    private final KeyValueStore<String, byte[]> ledger = store(ServeTopology.LEDGER_STORE);
    private final ForecastProcessor processor = new ForecastProcessor(CONFIG, new ModelRegistry(),
            new ServeMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), ServeTopology.PENDING_STORE, ServeTopology.LEDGER_STORE);

    @Test
    void shouldForecastABufferedSequenceOnceWhenTheTaskIsReinitialisedAfterItsCommit() {
        processor.init(context);
        pipe(sequence("pump-7.temp", T0, rising(), 10.0, 2.0));
        pending.flushCache();      // the commit writes the buffered sequence to the store

        processor.init(context);   // revived: the restored store still holds the committed, buffered sequence
        processor.flush();

        assertEquals(List.of(T0), issuedAt());
    }

    @Test
    void shouldForecastOnlyTheReReadSequenceWhenTheTaskIsReinitialisedAfterAnAbortedTransaction() {
        processor.init(context);
        SensorSequence s = sequence("pump-7.temp", T0 + STEP, rising(), 10.0, 2.0);
        pipe(s);
        pending.init(context.getStateStoreContext(), pending);          // re-initialised: the aborted write is gone

        processor.init(context);
        pipe(s);                                                        // the input is read again from the committed offset
        processor.flush();

        assertEquals(List.of(T0 + STEP), issuedAt());
    }

    private void pipe(SensorSequence s) {
        processor.process(new Record<>(s.sensor(), s, s.end()));
    }

    private List<Long> issuedAt() {
        return context.forwarded().stream().map(f -> f.record().value().issuedAt()).toList();
    }

    private DeferredWriteStore<BufferedSequence.Value> pendingStore() {
        DeferredWriteStore<BufferedSequence.Value> store = DeferredWriteStore.<BufferedSequence.Value>builder(
                Stores.inMemoryKeyValueStore(ServeTopology.PENDING_STORE), v -> BufferedSequence.encode(v.timestamp(), v.sequence()),
                java.util.Map.of()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private KeyValueStore<String, byte[]> store(String name) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
