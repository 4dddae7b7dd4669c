package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerCacheTest {
    private static final int H = 4;
    private KeyValueStore<String, byte[]> store;

    @BeforeEach
    void store() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("ledgers"), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @Test
    void shouldWriteASensorsLedgerToTheStoreOnlyEveryWriteEveryUpdates() {
        LedgerCache cache = new LedgerCache(store, H, 4, 3, 100);

        update(cache, "s", 1);
        update(cache, "s", 2);
        assertNull(store.get("s"));
        update(cache, "s", 3);

        assertEquals(3, SensorLedger.decode(store.get("s"), H, 4).pendingCount());
    }

    @Test
    void shouldWriteAnUnsavedLedgerWhenItIsEvicted() {
        LedgerCache cache = new LedgerCache(store, H, 4, 10, 1);

        update(cache, "a", 1);
        update(cache, "b", 1);   // evicts a

        assertNotNull(store.get("a"));
        assertNull(store.get("b"));
        assertEquals(1, cache.size());
    }

    @Test
    void shouldStartANewCacheFromTheStoresVersionNotFromMemory() {
        LedgerCache before = new LedgerCache(store, H, 4, 2, 100);
        update(before, "s", 1);
        update(before, "s", 2);   // written
        update(before, "s", 3);   // only in memory

        LedgerCache after = new LedgerCache(store, H, 4, 2, 100);

        assertEquals(2, after.get("s").pendingCount());
    }

    private static void update(LedgerCache cache, String sensor, long issuedAt) {
        cache.get(sensor).add(new SensorLedger.Pending(issuedAt, 60_000, "default", 1.0, new float[H], new float[H]));
        cache.updated(sensor);
    }
}
