package io.sensorcast.serve;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.DeferredWriteStore;
import io.sensorcast.kafka.Topics;
import io.sensorcast.model.checkpoint.CheckpointVerifier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The serve topology, built in one place for the CLI, the tests and the benchmark:
 * <pre>
 * model-checkpoints ─► serve-checkpoints-source ─► serve-checkpoint-loader (global; verify, then swap in ModelRegistry)
 *                                                      └─ store serve-checkpoints (global, raw envelopes)
 * sensor-sequences  ─► serve-sequences-source ─► serve-forecaster ─► serve-forecasts-sink ─► forecasts
 *                                                  ├─ store serve-pending-sequences (in-memory, changelogged at commits: the batch buffer)
 *                                                  └─ store serve-forecast-ledger (persistent: forecasts awaiting actuals, residuals)
 * </pre>
 * Example: before any checkpoint a sequence of {@code pump-7.temp} ending at 10:00 gives a {@code persistence} forecast
 * of its last value for 10:01 … 10:24 (horizon 24, 1-minute steps); once {@code model-checkpoints} delivers a verified
 * {@code default} version 3, the next batch is forecast by that network and says {@code "method":"lstm","modelVersion":3}.
 */
public final class ServeTopology {
    public static final String CHECKPOINT_STORE = "serve-checkpoints";
    public static final String PENDING_STORE = "serve-pending-sequences";
    public static final String LEDGER_STORE = "serve-forecast-ledger";

    private ServeTopology() {
    }

    /** With a fresh {@link ModelRegistry} and the system clock. */
    public static Topology build(ServeConfig config, MeterRegistry registry) {
        return build(config, new ModelRegistry(), registry, Clock.systemUTC());
    }

    /**
     * @param models the registry the checkpoint loader fills and the forecaster reads (pass one to observe swaps)
     * @param clock  the wall clock latency is measured with
     */
    public static Topology build(ServeConfig config, ModelRegistry models, MeterRegistry registry, Clock clock) {
        ServeMetrics metrics = new ServeMetrics(registry);
        CheckpointVerifier verifier = new CheckpointVerifier(config.hmacKey(), config.maxCheckpointBytes());
        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CHECKPOINT_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                "serve-checkpoints-source",
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                config.checkpointsTopic(),
                "serve-checkpoint-loader",
                () -> new CheckpointLoader(CHECKPOINT_STORE, verifier, config.modelShape(), models, metrics));
        topology.addSource("serve-sequences-source", Serdes.String().deserializer(),
                SensorSequenceJson.serde().deserializer(), config.sequencesTopic());
        topology.addProcessor("serve-forecaster",
                () -> new ForecastProcessor(config, models, metrics, clock, PENDING_STORE, LEDGER_STORE),
                "serve-sequences-source");
        topology.addStateStore(DeferredWriteStore.<BufferedSequence.Value>builder(Stores.inMemoryKeyValueStore(PENDING_STORE),
                v -> BufferedSequence.encode(v.timestamp(), v.sequence()), Topics.storeChangelogConfigs()), "serve-forecaster");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LEDGER_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled().withLoggingEnabled(Topics.storeChangelogConfigs()),
                "serve-forecaster");
        topology.addSink("serve-forecasts-sink", config.forecastsTopic(), Serdes.String().serializer(),
                Forecast.serde().serializer(), "serve-forecaster");
        return topology;
    }
}
