package io.sensorcast.serve;

import java.util.Arrays;
import java.util.Optional;

import io.sensorcast.model.checkpoint.CheckpointEnvelope;
import io.sensorcast.model.checkpoint.CheckpointVerifier;
import io.sensorcast.model.checkpoint.ModelShape;
import io.sensorcast.model.checkpoint.Rejected;
import io.sensorcast.model.checkpoint.Restored;
import io.sensorcast.model.checkpoint.RestoreResult;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global-store processor of {@code model-checkpoints}: verifies every envelope ({@link CheckpointVerifier}) and
 * only then installs it in the {@link ModelRegistry}; a rejected one is counted, logged once, and the live model stays.
 *
 * <p>Only a verified envelope is written to the store, so the store holds each model's live bytes and a tampered
 * record never displaces them. On start-up Kafka Streams 4.x replays the checkpoint topic through {@link #process}
 * (a global store with a custom processor is reprocessed on restore), so the newest envelope that verifies goes live
 * before any sequence is forecast; {@link #init} also installs whatever the store already holds.
 */
final class CheckpointLoader implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLoader.class);

    private final String storeName;
    private final CheckpointVerifier verifier;
    private final ModelShape shape;
    private final ModelRegistry registry;
    private final ServeMetrics metrics;
    private KeyValueStore<String, byte[]> store;

    CheckpointLoader(String storeName, CheckpointVerifier verifier, ModelShape shape, ModelRegistry registry,
                     ServeMetrics metrics) {
        this.storeName = storeName;
        this.verifier = verifier;
        this.shape = shape;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                install(kv.key, kv.value);
            }
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warn("Ignored checkpoint without a key (model id); the live models stay");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            LOG.info("Checkpoint tombstone for model=[{}]: the live model stays until a new checkpoint arrives", record.key());
            return;
        }
        if (install(record.key(), record.value())) {
            // only a verified envelope replaces the stored one, so the store always holds the live model's bytes
            store.put(record.key(), record.value());
        }
    }

    /** Verifies and, when it passes, makes the envelope live; false when rejected. */
    private boolean install(String key, byte[] bytes) {
        RestoreResult result = verifier.verify(key, bytes, shape);
        if (result instanceof Rejected r) {
            metrics.rejected(r.reason());
            LOG.warn("Rejected checkpoint model=[{}] reason=[{}] detail=[{}]; still serving version [{}]", key, r.code(),
                    r.detail(), registry.version(key).map(String::valueOf).orElse("none (persistence)"));
            return false;
        }
        CheckpointEnvelope e = ((Restored) result).envelope();
        Optional<ModelRegistry.LiveModel> current = registry.get(e.modelId());
        if (current.isPresent() && current.get().version() == e.version()
                && Arrays.equals(current.get().payloadSha256(), e.payloadSha256())) {
            return true; // the same checkpoint again (a replay): nothing to swap
        }
        registry.swap(new ModelRegistry.LiveModel(e.modelId(), e.version(), e.trainingStep(), e.payloadSha256(),
                ((Restored) result).network()));
        metrics.swapped(e.modelId(), e.version());
        if (current.isPresent() && current.get().version() > e.version()) {
            LOG.warn("Model=[{}] went back from version [{}] to [{}] (a republished older checkpoint)", e.modelId(),
                    current.get().version(), e.version());
        } else {
            LOG.info("Serving model=[{}] version=[{}] step=[{}]", e.modelId(), e.version(), e.trainingStep());
        }
        return true;
    }

    @Override
    public void close() {
    }
}
