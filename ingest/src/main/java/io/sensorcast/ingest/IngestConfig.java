package io.sensorcast.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import io.sensorcast.ingest.internals.IngestProductionExceptionHandler;
import io.sensorcast.kafka.CrashSafeStateStores;
import io.sensorcast.kafka.CrashedMemberTimeout;
import io.sensorcast.kafka.IdlePollWait;
import io.sensorcast.kafka.ProducerOutageWait;
import io.sensorcast.kafka.RestoreFetchWait;
import io.sensorcast.kafka.Topics;
import io.sensorcast.kafka.StaticMembership;
import io.sensorcast.kafka.StreamsServiceDefaults;
import io.sensorcast.kafka.TransactionalBatching;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * Every setting of the ingest service, declared once; {@link #defaults()} is the single source of defaults.
 * Instances are immutable: {@code IngestConfig.defaults().withGrace(Duration.ofSeconds(30)).withWindow(48)}.
 *
 * <table>
 * <caption>Settings and defaults</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>applicationId</td><td>{@code sensorcast-ingest}</td><td>Kafka Streams application id (consumer group, internal topic prefix)</td></tr>
 * <tr><td>readingsTopic / sequencesTopic / deadLetterTopic</td><td>{@code sensor-readings} / {@code sensor-sequences} / {@code sensor-readings.dlq}</td><td>DESIGN.md topics</td></tr>
 * <tr><td>step</td><td>1 min</td><td>resampling step; steps are aligned to the epoch (UTC)</td></tr>
 * <tr><td>grace</td><td>2 min</td><td>how long after a step's end (in the sensor's event time) readings for it are still accepted (step + grace under 24 days)</td></tr>
 * <tr><td>maxGapSteps</td><td>5</td><td>gaps of at most this many missing steps are interpolated; longer gaps restart the window</td></tr>
 * <tr><td>window</td><td>96</td><td>W, steps per sequence</td></tr>
 * <tr><td>hop</td><td>1</td><td>steps between two sequences of one sensor</td></tr>
 * <tr><td>forgettingFactor</td><td>1.0 (none: plain Welford)</td><td>in (0, 1]; each older step's weight in the running mean/std is multiplied by it</td></tr>
 * <tr><td>minTimestamp</td><td>1990-01-01T00:00:00Z</td><td>older {@code ts} is {@code timestamp_out_of_range}</td></tr>
 * <tr><td>maxFutureSkew</td><td>1 day</td><td>{@code ts} later than wall clock + this is {@code timestamp_out_of_range}</td></tr>
 * <tr><td>maxSensorIdLength</td><td>200</td><td>longer sensor ids (in chars) are {@code invalid_sensor_id}</td></tr>
 * <tr><td>maxAbsValue</td><td>1e12</td><td>a finite value with a larger magnitude is {@code value_out_of_range}</td></tr>
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
 * <tr><td>commitInterval</td><td>20 ms</td><td>Streams commit (and, under exactly-once, transaction) interval: sequences
 *     become visible to read-committed consumers (serve, the trainer) only at a commit, so this is a floor under the
 *     reading-to-forecast latency (goal: p99 50 ms); raise it for throughput ({@code bench ingest} uses 1 s)</td></tr>
 * <tr><td>streamThreads</td><td>1</td><td>stream threads per instance</td></tr>
 * <tr><td>cacheMaxBytes</td><td>10 MiB</td><td>Kafka Streams' record cache across threads; ingest's own stores do not use it
 *     (they hold a sensor's changes until the commit themselves, {@code DeferredWriteStore})</td></tr>
 * <tr><td>stateDir</td><td>null (Kafka Streams' default under java.io.tmpdir)</td><td>where the RocksDB state lives</td></tr>
 * <tr><td>topicPartitions</td><td>{@value io.sensorcast.kafka.Topics#DEFAULT_PARTITIONS}</td><td>partitions of sensor-keyed topics when ingest has to create them</td></tr>
 * <tr><td>streamsOverrides</td><td>empty</td><td>any further Kafka Streams / client properties, applied last</td></tr>
 * <tr><td>decodedStateCacheEntries</td><td>100,000</td><td>sensors per stream task whose decoded state is kept beside the
 * store (a write-through copy that saves decoding on every reading; 0 turns it off)</td></tr>
 * </table>
 */
public record IngestConfig(
        String applicationId,
        String readingsTopic,
        String sequencesTopic,
        String deadLetterTopic,
        Duration step,
        Duration grace,
        int maxGapSteps,
        int window,
        int hop,
        double forgettingFactor,
        Instant minTimestamp,
        Duration maxFutureSkew,
        int maxSensorIdLength,
        double maxAbsValue,
        String processingGuarantee,
        Duration commitInterval,
        int streamThreads,
        long cacheMaxBytes,
        Path stateDir,
        int topicPartitions,
        Map<String, Object> streamsOverrides,
        int decodedStateCacheEntries) {

    private static final IngestConfig DEFAULTS = new IngestConfig(
            "sensorcast-ingest", Topics.READINGS, Topics.SEQUENCES, Topics.DEAD_LETTERS,
            Duration.ofMinutes(1), Duration.ofMinutes(2), 5, 96, 1, 1.0,
            Instant.parse("1990-01-01T00:00:00Z"), Duration.ofDays(1), 200, 1e12,
            StreamsConfig.EXACTLY_ONCE_V2, Duration.ofMillis(20), 1, 10L * 1024 * 1024, null,
            Topics.DEFAULT_PARTITIONS, Map.of(), 100_000);

    public IngestConfig {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(readingsTopic, "readingsTopic");
        Objects.requireNonNull(sequencesTopic, "sequencesTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(minTimestamp, "minTimestamp");
        Objects.requireNonNull(processingGuarantee, "processingGuarantee");
        require(step != null && step.toMillis() > 0, "step must be at least 1 ms, got " + step);
        require(grace != null && !grace.isNegative(), "grace must not be negative, got " + grace);
        // the open steps store each reading's distance behind the sensor's stream time as an int (SensorState)
        require(step.plus(grace).toMillis() < Integer.MAX_VALUE, "step + grace must be under 24 days, got " + step.plus(grace));
        require(maxGapSteps >= 0, "maxGapSteps must be >= 0, got " + maxGapSteps);
        require(window >= 1, "window must be >= 1, got " + window);
        require(hop >= 1, "hop must be >= 1, got " + hop);
        require(forgettingFactor > 0 && forgettingFactor <= 1, "forgettingFactor must be in (0, 1], got " + forgettingFactor);
        require(maxFutureSkew != null && !maxFutureSkew.isNegative(), "maxFutureSkew must not be negative");
        require(maxSensorIdLength >= 1, "maxSensorIdLength must be >= 1, got " + maxSensorIdLength);
        require(maxAbsValue > 0, "maxAbsValue must be > 0, got " + maxAbsValue);
        require(StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee) || StreamsConfig.AT_LEAST_ONCE.equals(processingGuarantee),
                "processingGuarantee must be exactly_once_v2 or at_least_once, got " + processingGuarantee);
        require(commitInterval != null && !commitInterval.isNegative(), "commitInterval must not be negative");
        require(streamThreads >= 1, "streamThreads must be >= 1, got " + streamThreads);
        require(cacheMaxBytes >= 0, "cacheMaxBytes must be >= 0, got " + cacheMaxBytes);
        require(topicPartitions >= 1, "topicPartitions must be >= 1, got " + topicPartitions);
        require(decodedStateCacheEntries >= 0, "decodedStateCacheEntries must be >= 0, got " + decodedStateCacheEntries);
        streamsOverrides = streamsOverrides == null ? Map.of() : Map.copyOf(streamsOverrides);
    }

    /** The defaults in the table above. */
    public static IngestConfig defaults() {
        return DEFAULTS;
    }

    /** Step length in ms. */
    public long stepMs() {
        return step.toMillis();
    }

    /** Grace in ms. */
    public long graceMs() {
        return grace.toMillis();
    }

    /**
     * How many steps after a step starts the first reading on a step boundary closes it: the step itself, then its
     * grace rounded up to whole steps ({@code (k + 1) · step + grace ≤ stream time}; see {@link IngestTopology}). With
     * readings on step boundaries, step k closes at the reading stamped {@code (k + closingLagSteps()) · step}.
     */
    public int closingLagSteps() {
        long stepMs = stepMs();
        return (int) (1 + (graceMs() + stepMs - 1) / stepMs);
    }

    /**
     * Fresh Kafka Streams properties for this configuration (the caller may modify them; nothing here is shared):
     * the processing guarantee, commit interval, threads, cache and state dir above; deserialization errors are
     * logged and skipped (values are read as raw bytes, so in practice none occur); a record too large to produce
     * is logged and skipped rather than stopping the application; an unexpected exception in a processor (a bug:
     * bad input is handled as data) is logged, and the record goes to the dead-letter topic with Kafka Streams'
     * {@code __streams.errors.*} headers; every internal topic and store must be named explicitly; tasks never
     * idle ({@code max.task.idle.ms=-1}).
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
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, IngestProductionExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Event time comes from the payload and each sensor keeps its own stream time, so there is nothing to gain
        // from Streams' timestamp synchronisation between the readings and re-partition inputs; with -1 a task
        // never idles waiting for the (usually empty) re-partition topic, which also skips a costly per-poll check.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // a dead letter is as large as the hostile record that came in (plus headers); let the producer try
        // anything up to 16 MiB and leave the limit to the topic (beyond it the production handler skips and logs)
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 16 * 1024 * 1024);
        StreamsServiceDefaults.apply(p, processingGuarantee, streamsOverrides);
        return p;
    }

    public IngestConfig withApplicationId(String v) {
        return new IngestConfig(v, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withTopics(String readings, String sequences, String deadLetters) {
        return new IngestConfig(applicationId, readings, sequences, deadLetters, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withStep(Duration v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, v, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withGrace(Duration v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, v, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withMaxGapSteps(int v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, v, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withWindow(int v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, v, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withHop(int v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, v, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withForgettingFactor(double v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, v, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withTimestampBounds(Instant min, Duration futureSkew) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, min, futureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withMaxSensorIdLength(int v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, v, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withMaxAbsValue(double v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, v, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withProcessingGuarantee(String v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, v, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withCommitInterval(Duration v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, v, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withStreamThreads(int v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, v, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withCacheMaxBytes(long v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, v, stateDir, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withStateDir(Path v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, v, topicPartitions, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withTopicPartitions(int v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, v, streamsOverrides, decodedStateCacheEntries);
    }

    public IngestConfig withStreamsOverrides(Map<String, ?> v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, Map.<String, Object>copyOf(v), decodedStateCacheEntries);
    }

    public IngestConfig withDecodedStateCacheEntries(int v) {
        return new IngestConfig(applicationId, readingsTopic, sequencesTopic, deadLetterTopic, step, grace, maxGapSteps, window, hop, forgettingFactor, minTimestamp, maxFutureSkew, maxSensorIdLength, maxAbsValue, processingGuarantee, commitInterval, streamThreads, cacheMaxBytes, stateDir, topicPartitions, streamsOverrides, v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
