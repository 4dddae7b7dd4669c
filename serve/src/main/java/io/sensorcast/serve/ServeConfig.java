package io.sensorcast.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import io.sensorcast.kafka.Topics;
import io.sensorcast.kafka.CrashSafeStateStores;
import io.sensorcast.kafka.CrashedMemberTimeout;
import io.sensorcast.kafka.IdlePollWait;
import io.sensorcast.kafka.ProducerOutageWait;
import io.sensorcast.kafka.RestoreFetchWait;
import io.sensorcast.kafka.StaticMembership;
import io.sensorcast.kafka.StreamsServiceDefaults;
import io.sensorcast.kafka.TransactionalBatching;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.checkpoint.CheckpointCodec;
import io.sensorcast.model.checkpoint.ModelShape;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * Every setting of the serve service, declared once; {@link #defaults()} is the single source of defaults.
 * Immutable: {@code ServeConfig.defaults().withBatching(512, Duration.ofMillis(10)).withIntervalLevel(0.9)}.
 *
 * <table>
 * <caption>Settings and defaults</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>applicationId</td><td>{@code sensorcast-serve}</td><td>Kafka Streams application id</td></tr>
 * <tr><td>sequencesTopic / checkpointsTopic / forecastsTopic</td><td>{@code sensor-sequences} / {@code model-checkpoints} / {@code forecasts}</td><td>DESIGN.md topics</td></tr>
 * <tr><td>defaultModelId</td><td>{@code default}</td><td>model for sensors no routing rule matches</td></tr>
 * <tr><td>routingRules</td><td>none</td><td>{@link RoutingRule}s, first match wins</td></tr>
 * <tr><td>model</td><td>{@link ModelConfig#defaults()}</td><td>expected window W (96) and horizon (24) that every checkpoint must
 *     have, and the {@link io.sensorcast.model.LastValueReference} flags the trainer used (relative to the last value,
 *     inputs not re-referenced)</td></tr>
 * <tr><td>intervalLevel</td><td>0.8</td><td>central coverage of the prediction interval {@code [lo, hi]}</td></tr>
 * <tr><td>residualWindow</td><td>48</td><td>residuals kept per sensor and horizon step for the interval</td></tr>
 * <tr><td>minResiduals</td><td>12</td><td>below this many residuals at a horizon step the interval uses the window's random-walk scale</td></tr>
 * <tr><td>hmacKey</td><td>none</td><td>when set, every checkpoint must carry a matching HMAC-SHA256</td></tr>
 * <tr><td>maxCheckpointBytes</td><td>{@value io.sensorcast.kafka.Topics#CHECKPOINT_MAX_MESSAGE_BYTES}</td><td>larger envelopes are rejected unread</td></tr>
 * <tr><td>batchSize</td><td>256</td><td>sequences forecast in one network call; a full batch is forecast at once</td></tr>
 * <tr><td>maxWait</td><td>10 ms</td><td>wall-clock time after which a partial batch is forecast (part of the latency budget)</td></tr>
 * <tr><td>processingGuarantee</td><td>{@code exactly_once_v2}</td><td>or {@code at_least_once}; under exactly-once the
 *     producer batches up to {@link TransactionalBatching#BATCH_BYTES} (nothing is visible before the commit)</td></tr>
 * <tr><td>enable.transactional.statestores</td><td>true under exactly-once</td><td>a store's writes reach RocksDB only when
 *     their transaction commits, so a killed instance restarts from its local state instead of rebuilding it
 *     ({@link CrashSafeStateStores})</td></tr>
 * <tr><td>(main consumer) session.timeout.ms</td><td>15 s</td><td>how long a killed instance's partitions wait before the
 *     group hands them over ({@link CrashedMemberTimeout}; the client's default is 45 s)</td></tr>
 * <tr><td>(restore consumer) fetch.max.wait.ms</td><td>50 ms</td><td>how long the broker holds a changelog fetch that
 *     finds nothing: each (re)start waits for it before processing ({@link RestoreFetchWait}; the client's default is
 *     500 ms)</td></tr>
 * <tr><td>(producer) max.block.ms</td><td>5 min</td><td>how long a send waits for a broker that has gone away before the
 *     stream thread fails ({@link ProducerOutageWait}; the client's default is 60 s)</td></tr>
 * <tr><td>poll.ms</td><td>10 ms</td><td>how long an idle stream thread blocks in {@code poll()}: commits and wall-clock
 *     punctuations wait for it ({@link IdlePollWait}; Kafka Streams' default is 100 ms)</td></tr>
 * <tr><td>(main consumer) group.instance.id</td><td>application id, host name, digest of the state dir</td><td>static
 *     membership: a restarted instance takes its partitions back at once ({@link StaticMembership})</td></tr>
 * <tr><td>commitInterval</td><td>100 ms</td><td>Streams commit (transaction) interval: a floor under latency</td></tr>
 * <tr><td>streamThreads</td><td>2</td><td>stream threads per instance (DL4J runs with one OpenMP thread each). Two, one
 *     per core of the 2-core target, since JSON and Kafka work rather than inference fill a thread: each thread's tasks
 *     keep their own buffers, recurrent states, ledgers and copies of the live networks, so the threads share no lock
 *     (see {@link ModelRegistry.LiveModel})</td></tr>
 * <tr><td>cacheMaxBytes</td><td>10 MiB</td><td>state store cache</td></tr>
 * <tr><td>stateDir</td><td>null (Kafka Streams' default)</td><td>where the state lives</td></tr>
 * <tr><td>topicPartitions</td><td>{@value io.sensorcast.kafka.Topics#DEFAULT_PARTITIONS}</td><td>partitions of sensor-keyed topics serve creates</td></tr>
 * <tr><td>streamsOverrides</td><td>empty</td><td>further Kafka Streams / client properties, applied last</td></tr>
 * <tr><td>statefulInference</td><td>true</td><td>advance each sensor's recurrent state by one {@code rnnTimeStep} per
 *     consecutive sequence instead of a full-window pass (see {@link ServeTopology}): ~70× the forecasts per second of a
 *     full-window pass (bench serve), which cannot keep up with 10,000 sensors on 2 cores; off: every forecast is
 *     exactly the full-window forecast the trainer scores</td></tr>
 * <tr><td>reseedEvery</td><td>72</td><td>with statefulInference, single steps after which a sensor's state is rebuilt
 *     from its window (72 = W − horizon, the input length the model was trained on)</td></tr>
 * </table>
 */
public record ServeConfig(
        String applicationId,
        String sequencesTopic,
        String checkpointsTopic,
        String forecastsTopic,
        String defaultModelId,
        List<RoutingRule> routingRules,
        ModelConfig model,
        double intervalLevel,
        int residualWindow,
        int minResiduals,
        Optional<byte[]> hmacKey,
        int maxCheckpointBytes,
        int batchSize,
        Duration maxWait,
        String processingGuarantee,
        Duration commitInterval,
        int streamThreads,
        long cacheMaxBytes,
        Path stateDir,
        int topicPartitions,
        Map<String, Object> streamsOverrides,
        boolean statefulInference,
        int reseedEvery) {

    private static final ServeConfig DEFAULTS = new ServeConfig("sensorcast-serve", Topics.SEQUENCES, Topics.CHECKPOINTS,
            Topics.FORECASTS, "default", List.of(), ModelConfig.defaults(), 0.8, 48, 12, Optional.empty(),
            CheckpointCodec.DEFAULT_MAX_BYTES, 256, Duration.ofMillis(10), StreamsConfig.EXACTLY_ONCE_V2,
            Duration.ofMillis(100), 2, 10L * 1024 * 1024, null, Topics.DEFAULT_PARTITIONS, Map.of(), true, 72);

    public ServeConfig {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(sequencesTopic, "sequencesTopic");
        Objects.requireNonNull(checkpointsTopic, "checkpointsTopic");
        Objects.requireNonNull(forecastsTopic, "forecastsTopic");
        Objects.requireNonNull(model, "model");
        require(defaultModelId != null && !defaultModelId.isBlank(), "defaultModelId must not be blank");
        require(intervalLevel > 0 && intervalLevel < 1, "intervalLevel must be in (0, 1), got " + intervalLevel);
        require(residualWindow >= 2, "residualWindow must be >= 2, got " + residualWindow);
        require(minResiduals >= 1 && minResiduals <= residualWindow, "need 1 <= minResiduals <= residualWindow");
        require(maxCheckpointBytes > 0, "maxCheckpointBytes must be > 0");
        require(batchSize >= 1, "batchSize must be >= 1, got " + batchSize);
        require(maxWait != null && maxWait.toMillis() >= 1, "maxWait must be at least 1 ms, got " + maxWait);
        require(StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee) || StreamsConfig.AT_LEAST_ONCE.equals(processingGuarantee),
                "processingGuarantee must be exactly_once_v2 or at_least_once, got " + processingGuarantee);
        require(commitInterval != null && !commitInterval.isNegative(), "commitInterval must not be negative");
        require(streamThreads >= 1, "streamThreads must be >= 1");
        require(cacheMaxBytes >= 0, "cacheMaxBytes must be >= 0");
        require(topicPartitions >= 1, "topicPartitions must be >= 1");
        require(reseedEvery >= 1, "reseedEvery must be >= 1, got " + reseedEvery);
        require(!statefulInference || !model.reReferenceInputs(),
                "statefulInference needs inputs that are not re-referenced (model.reReferenceInputs = false)");
        routingRules = routingRules == null ? List.of() : List.copyOf(routingRules);
        hmacKey = hmacKey == null ? Optional.empty() : hmacKey.map(byte[]::clone);
        hmacKey.ifPresent(k -> require(k.length > 0, "hmacKey must not be empty"));
        streamsOverrides = streamsOverrides == null ? Map.of() : Map.copyOf(streamsOverrides);
    }

    /** The defaults in the table above. */
    public static ServeConfig defaults() {
        return DEFAULTS;
    }

    /** The shape every checkpoint must have: W, horizon, one input feature, horizon outputs. */
    public ModelShape modelShape() {
        return new ModelShape(model.window(), model.horizon(), 1, model.horizon());
    }

    /**
     * Fresh Kafka Streams properties (nothing shared with the caller): guarantee, commit interval, threads, cache,
     * state dir; undeserialisable sequences are logged and skipped; every internal resource must be named.
     */
    public Properties streamsProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheMaxBytes);
        if (stateDir != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // the (default, log-and-fail) processing handler covers the checkpoint store too, as in ingest and as
        // Kafka Streams 5 will do by default
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // the checkpoint topic allows 16 MiB records; the global consumer must be able to fetch them
        p.put(StreamsConfig.globalConsumerPrefix("max.partition.fetch.bytes"), maxCheckpointBytes + 1024 * 1024);
        p.put(StreamsConfig.globalConsumerPrefix("fetch.max.bytes"), maxCheckpointBytes + 1024 * 1024);
        StreamsServiceDefaults.apply(p, processingGuarantee, streamsOverrides);
        return p;
    }

    public ServeConfig withApplicationId(String v) { return new ServeConfig(v, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withTopics(String sequences, String checkpoints, String forecasts) { return new ServeConfig(applicationId, sequences, checkpoints, forecasts, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withDefaultModelId(String v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, v, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withRoutingRules(List<RoutingRule> v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, v, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withModel(ModelConfig v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, v, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withIntervalLevel(double v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, v, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withResiduals(int window, int min) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, window, min, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withHmacKey(Optional<byte[]> v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, v, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withMaxCheckpointBytes(int v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, v, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withBatching(int size, Duration wait) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, size, wait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withProcessingGuarantee(String v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, v, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withCommitInterval(Duration v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, v, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withStreamThreads(int v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, v, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withCacheMaxBytes(long v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, v, stateDir, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withStateDir(Path v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, v, topicPartitions, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withTopicPartitions(int v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, v, streamsOverrides, statefulInference, reseedEvery); }
    public ServeConfig withStreamsOverrides(Map<String, ?> v) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, Map.<String, Object>copyOf(v), statefulInference, reseedEvery); }

    public ServeConfig withStatefulInference(boolean enabled, int reseedEvery) { return new ServeConfig(applicationId, sequencesTopic, checkpointsTopic, forecastsTopic, defaultModelId, routingRules, model, intervalLevel, residualWindow, minResiduals, hmacKey, maxCheckpointBytes, batchSize, maxWait, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, enabled, reseedEvery); }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
