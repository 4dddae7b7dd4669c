package io.sensorcast.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A changelogged key-value store whose writes wait, as live objects, until Kafka Streams commits: then each key
 * written or deleted since the last commit is encoded once and put into (or deleted from) the store below, and so
 * its changelog, inside the commit (under exactly-once, in the same transaction as the input offsets).
 *
 * <p>Why: ingest changes a sensor's state at every reading, and serve buffers each sequence until its batch is
 * forecast, usually within the same commit. Kafka Streams' record cache would take a freshly encoded copy at every
 * change (profiled: ~30% of ingest's stream thread), to keep only the last one per commit; this store encodes only
 * that last one, and a value put and deleted again before the commit is never written at all. It is what the record
 * cache does for its stores, and it hooks in where the cache does: Kafka Streams flushes every store's cache
 * ({@link #flushCache()}) when it prepares a commit, including the commits before a task is suspended, handed over
 * or closed cleanly. A task closed dirty (a crash, an aborted transaction) is re-initialised ({@link #init}), which
 * drops what was waiting, as its transaction was dropped.
 *
 * <p>The caller must hand in the same object for a key until the commit writes it, and read {@link #pending} before
 * {@link #get}: a pending object is newer than the stored bytes. Extends Kafka Streams' internal
 * {@code WrappedStateStore} (the base of its own store layers, which provides the cache flush hook); pinned to the
 * Kafka Streams version in the build and covered by the topology and crash tests.
 */
public final class DeferredWriteStore<V> extends WrappedStateStore<KeyValueStore<String, byte[]>, String, byte[]> {
    /** Marks a key deleted since the last commit. */
    private static final Object DELETED = new Object();

    private final Function<V, byte[]> encoder;
    private final Map<String, Object> pending = new HashMap<>();

    private DeferredWriteStore(KeyValueStore<String, byte[]> stored, Function<V, byte[]> encoder) {
        super(stored);
        this.encoder = encoder;
    }

    /** A persistent (RocksDB) store named {@code name} with a changelog configured by {@code changelogConfig}. */
    public static <V> StoreBuilder<DeferredWriteStore<V>> builder(String name, Function<V, byte[]> encoder,
                                                                   Map<String, String> changelogConfig) {
        return builder(Stores.persistentKeyValueStore(name), encoder, changelogConfig);
    }

    /** A store of {@code supplier}'s kind with a changelog configured by {@code changelogConfig}. */
    public static <V> StoreBuilder<DeferredWriteStore<V>> builder(KeyValueBytesStoreSupplier supplier, Function<V, byte[]> encoder,
                                                                   Map<String, String> changelogConfig) {
        return new Builder<>(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled().withLoggingEnabled(changelogConfig), encoder);
    }

    /** The object written for {@code key} since the last commit, or null (also when it was deleted since). */
    @SuppressWarnings("unchecked")
    public V pending(String key) {
        Object v = pending.get(key);
        return v == DELETED ? null : (V) v;
    }

    /** The stored bytes as of the last commit; read {@link #pending} first. */
    public byte[] get(String key) {
        return wrapped().get(key);
    }

    /** Stores {@code value}, encoded at the next commit (as it is then). */
    public void putLater(String key, V value) {
        pending.put(key, value);
    }

    /** Deletes {@code key} at the next commit; a key put since the last commit and not stored before is just forgotten. */
    public void deleteLater(String key) {
        Object waiting = pending.get(key);
        if (waiting != null && waiting != DELETED && wrapped().get(key) == null) {
            pending.remove(key);
        } else {
            pending.put(key, DELETED);
        }
    }

    /** Every stored entry as of the last commit (what a task finds at its start, before it writes). */
    public KeyValueIterator<String, byte[]> all() {
        return wrapped().all();
    }

    /** How many entries are stored as of the last commit (an estimate for a persistent store). */
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pending.clear();
        super.init(context, root);
    }

    @Override
    public void flushCache() {
        if (!pending.isEmpty()) {
            KeyValueStore<String, byte[]> stored = wrapped();
            for (Map.Entry<String, Object> e : pending.entrySet()) {
                if (e.getValue() == DELETED) {
                    stored.delete(e.getKey());
                } else {
                    @SuppressWarnings("unchecked")
                    V value = (V) e.getValue();
                    stored.put(e.getKey(), encoder.apply(value));
                }
            }
            pending.clear();
        }
        super.flushCache();
    }

    @Override
    public void clearCache() {
        pending.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        pending.clear();
        super.close();
    }

    private static final class Builder<V> implements StoreBuilder<DeferredWriteStore<V>> {
        private final StoreBuilder<KeyValueStore<String, byte[]>> stored;
        private final Function<V, byte[]> encoder;

        Builder(StoreBuilder<KeyValueStore<String, byte[]>> stored, Function<V, byte[]> encoder) {
            this.stored = stored;
            this.encoder = encoder;
        }

        /** Holding writes until the commit is this store's own caching; Kafka Streams' record cache stays off. */
        @Override
        public StoreBuilder<DeferredWriteStore<V>> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<DeferredWriteStore<V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<DeferredWriteStore<V>> withLoggingEnabled(Map<String, String> config) {
            stored.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<DeferredWriteStore<V>> withLoggingDisabled() {
            stored.withLoggingDisabled();
            return this;
        }

        @Override
        public DeferredWriteStore<V> build() {
            return new DeferredWriteStore<>(stored.build(), encoder);
        }

        @Override
        public Map<String, String> logConfig() {
            return stored.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return stored.loggingEnabled();
        }

        @Override
        public String name() {
            return stored.name();
        }
    }
}
