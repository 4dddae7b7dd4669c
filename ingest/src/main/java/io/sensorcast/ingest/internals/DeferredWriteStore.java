package io.sensorcast.ingest.internals;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A persistent, changelogged key-value store whose writes wait, as live objects, until Kafka Streams commits: then
 * each key written since the last commit is encoded once and put into the RocksDB store below (and so into its
 * changelog), inside the commit (under exactly-once, in the same transaction as the input offsets).
 *
 * <p>Why: ingest changes a sensor's state at every reading. Kafka Streams' record cache would take a freshly encoded
 * copy of it at every reading (profiled: ~30% of the stream thread), to keep only the last one per commit; this
 * store encodes only that last one. It is what the record cache does for its stores, and it hooks in where the
 * cache does: Kafka Streams flushes every store's cache ({@link #flushCache()}) when it prepares a commit, including
 * the commits before a task is suspended, handed over or closed cleanly. A task closed dirty (a crash, an aborted
 * transaction) is re-initialised ({@link #init}), which drops what was waiting, as its transaction was dropped.
 *
 * <p>The caller must hand in the same object for a key until the commit writes it, and read {@link #pending} before
 * {@link #get}: a pending object is newer than the stored bytes. Extends Kafka Streams' internal
 * {@code WrappedStateStore} (the base of its own store layers, which provides the cache flush hook); pinned to the
 * Kafka Streams version in the build and covered by the topology and crash tests.
 */
public final class DeferredWriteStore<V> extends WrappedStateStore<KeyValueStore<String, byte[]>, String, byte[]> {
    private final Function<V, byte[]> encoder;
    private final Map<String, V> pending = new HashMap<>();

    private DeferredWriteStore(KeyValueStore<String, byte[]> stored, Function<V, byte[]> encoder) {
        super(stored);
        this.encoder = encoder;
    }

    /** A persistent store named {@code name} with a changelog configured by {@code changelogConfig}. */
    public static <V> StoreBuilder<DeferredWriteStore<V>> builder(String name, Function<V, byte[]> encoder,
                                                                   Map<String, String> changelogConfig) {
        return new Builder<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled().withLoggingEnabled(changelogConfig), encoder);
    }

    /** The object written for {@code key} since the last commit, or null. */
    public V pending(String key) {
        return pending.get(key);
    }

    /** The stored bytes as of the last commit; read {@link #pending} first. */
    public byte[] get(String key) {
        return wrapped().get(key);
    }

    /** Stores {@code value}, encoded at the next commit (as it is then). */
    public void putLater(String key, V value) {
        pending.put(key, value);
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
            for (Map.Entry<String, V> e : pending.entrySet()) {
                stored.put(e.getKey(), encoder.apply(e.getValue()));
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
