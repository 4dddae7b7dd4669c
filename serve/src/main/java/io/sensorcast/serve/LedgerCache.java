package io.sensorcast.serve;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The sensors' {@link SensorLedger}s of one task, kept decoded in memory and written to their changelogged store
 * every {@code writeEvery} updates of a sensor and when evicted.
 *
 * <p>Why: a ledger is ~9 KB and a sensor gets a forecast every step, so writing each update would put ~9 KB per
 * forecast through the store and its changelog (90 MB/s at 10,000 forecasts/s, on the same two cores). The price
 * is soft and bounded: after a crash or a rebalance a sensor's ledger is up to {@code writeEvery − 1} updates old,
 * so that many of its latest forecasts go unscored (or a few points are scored twice) and its interval misses as
 * many residuals. Forecasts themselves stay exactly-once. A task whose state is re-initialised needs a new cache:
 * the store then holds the committed versions and the memory copies may be ahead of them.
 */
final class LedgerCache {
    private final KeyValueStore<String, byte[]> store;
    private final int horizon;
    private final int residualWindow;
    private final int writeEvery;
    private final Map<String, Entry> entries;

    private static final class Entry {
        final SensorLedger ledger;
        int unsaved;

        Entry(SensorLedger ledger) {
            this.ledger = ledger;
        }
    }

    LedgerCache(KeyValueStore<String, byte[]> store, int horizon, int residualWindow, int writeEvery, int maxEntries) {
        this.store = store;
        this.horizon = horizon;
        this.residualWindow = residualWindow;
        this.writeEvery = writeEvery;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                if (size() <= maxEntries) {
                    return false;
                }
                if (eldest.getValue().unsaved > 0) {
                    store.put(eldest.getKey(), eldest.getValue().ledger.encode());
                }
                return true;
            }
        };
    }

    /** The sensor's ledger, from memory or else from the store (a new one if it has none). */
    SensorLedger get(String sensor) {
        Entry e = entries.get(sensor);
        if (e == null) {
            e = new Entry(SensorLedger.decode(store.get(sensor), horizon, residualWindow));
            entries.put(sensor, e);
        }
        return e.ledger;
    }

    /** Records that the sensor's ledger (from {@link #get}) changed; writes it every {@code writeEvery} changes. */
    void updated(String sensor) {
        Entry e = entries.get(sensor);
        if (e != null && ++e.unsaved >= writeEvery) {
            store.put(sensor, e.ledger.encode());
            e.unsaved = 0;
        }
    }

    int size() {
        return entries.size();
    }
}
