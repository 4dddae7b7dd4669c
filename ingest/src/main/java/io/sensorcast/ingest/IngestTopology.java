package io.sensorcast.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.sensorcast.ingest.internals.AcceptedSerde;
import io.sensorcast.ingest.internals.DeadLetterWriter;
import io.sensorcast.ingest.internals.Ingested;
import io.sensorcast.ingest.internals.ParseProcessor;
import io.sensorcast.ingest.internals.SensorProcessor;
import io.sensorcast.ingest.internals.SensorState;
import io.sensorcast.kafka.DeferredWriteStore;
import io.sensorcast.kafka.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The ingest topology: {@code sensor-readings} → validated, resampled, gap-filled, normalised windows on
 * {@code sensor-sequences}, and every unusable record on {@code sensor-readings.dlq}. The CLI, the tests and the
 * benchmark all build it here.
 *
 * <h2>Rules, per sensor</h2>
 * <ul>
 * <li><b>Steps.</b> Event time ({@code ts}) is cut into steps {@code [k·step, (k+1)·step)} aligned to the epoch; a
 * step's value is the mean of its readings. A reading with the same {@code ts} as one already in its step is a
 * duplicate and counts once (the first wins; {@code sensorcast_ingest_duplicates_total}).</li>
 * <li><b>Stream time and closing.</b> Each sensor has its own stream time: the largest {@code ts} it has sent. A step
 * closes when the sensor's stream time reaches its end + grace; a reading for a step whose end + grace is at or
 * behind the stream time is {@code late} and goes to the DLQ. Per-sensor (not per-partition) stream time makes the
 * output independent of how sensors share partitions and of how many instances run; the price is that a sensor's
 * last steps stay open until it sends again.</li>
 * <li><b>Gaps.</b> When a step closes and up to {@code maxGapSteps} steps since the previous closed step had no
 * readings, they are filled by linear interpolation between the two with {@code observed=0}; a longer gap restarts
 * the window, so no sequence spans it (the statistics carry on).</li>
 * <li><b>Statistics.</b> Each observed (not interpolated) step value updates the sensor's running mean and std
 * (Welford, optionally with exponential forgetting; population std, 1 when it is 0).</li>
 * <li><b>Windows.</b> Every appended step (observed or filled) moves the sensor's window; once it holds W steps, a
 * sequence is emitted for the first full window and then every {@code hop} steps, immediately, normalised with the
 * statistics at that moment, keyed by sensor, {@code end} = start of its last step.</li>
 * </ul>
 *
 * <h2>Worked example</h2>
 * 1-minute steps, 2-minute grace, max gap 5, W = 3, hop 1; sensor {@code s}, readings in arrival order:
 * <pre>
 *  ts 10:00:10 v=1   step 10:00 opens; stream time 10:00:10
 *  ts 10:00:50 v=3   step 10:00 mean so far 2
 *  ts 10:00:50 v=9   duplicate of 10:00:50: ignored
 *  ts 10:01:30 v=4   step 10:01 opens
 *  ts 10:03:00 v=5   stream time 10:03:00 = 10:01 + 2 min grace → step 10:00 closes (value 2): window [2]
 *  ts 10:00:59 v=7   late: step 10:00 closed (10:01 + 2 min ≤ 10:03:00) → DLQ reason=late
 *  ts 10:02:30 v=6   step 10:02 is still open (it closes at 10:05:00) → accepted
 *  ts 10:04:00 v=8   stream time 10:04 → step 10:01 closes (4): window [2, 4]
 *  ts 10:08:00 v=9   stream time 10:08 → steps 10:02 (6), 10:03 (5), 10:04 (8) close: window [2,4,6] → sequence
 *                    end=10:02, then [4,6,5] end=10:03, then [6,5,8] end=10:04 (each normalised with the stats then)
 *  ts 10:12:00 v=12  step 10:08 closes? no: 10:09 + 2 min = 10:11 ≤ 10:12 → yes: steps 10:05–10:07 are a 3-step gap
 *                    (≤ 5): filled 8.25, 8.5, 8.75 with observed=0, then 9 → four more sequences
 * </pre>
 *
 * <h2>Shape</h2>
 * Readings are read as raw bytes (so the DLQ gets them unchanged) and parsed by {@link ReadingParser}. Records whose
 * key is not the sensor id (null key, or a key that differs from {@code sensor}) go through the internal topic
 * {@code <application.id>-ingest-readings-by-sensor-repartition} so each sensor's state lives in one task. The state
 * is in two RocksDB stores with changelogs ({@code <application.id>-<store>-changelog}): {@code ingest-sensor-state}
 * holds each sensor's window and statistics, changed when a step closes, and {@code ingest-sensor-open-steps} its
 * open steps and stream time, changed at every reading; each is written once per commit for every sensor that
 * changed ({@code DeferredWriteStore}).
 */
public final class IngestTopology {
    /** The per-sensor store of windows and statistics (it held the open steps too before they got their own). */
    public static final String STATE_STORE = "ingest-sensor-state";
    /** The per-sensor store of open steps and stream time. */
    public static final String OPEN_STEPS_STORE = "ingest-sensor-open-steps";
    /** Base name of the re-partition topic for records not keyed by their sensor. */
    public static final String REPARTITION = "ingest-readings-by-sensor";

    private IngestTopology() {
    }

    public static Topology build(IngestConfig config, MeterRegistry registry) {
        IngestMetrics metrics = new IngestMetrics(registry);
        ReadingParser parser = new ReadingParser(config);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DeferredWriteStore.builder(STATE_STORE, SensorState::windowBytes, Topics.storeChangelogConfigs()));
        builder.addStateStore(DeferredWriteStore.builder(OPEN_STEPS_STORE, SensorState::openStepsBytes, Topics.storeChangelogConfigs()));

        KStream<String, Ingested> parsed = builder
                .stream(config.readingsTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("ingest-readings"))
                .process(() -> new ParseProcessor(parser, metrics), Named.as("ingest-parse"));

        var routes = parsed.split(Named.as("ingest-parsed-"))
                .branch((k, v) -> v instanceof Ingested.DeadLetter, Branched.as("rejected"))
                .branch((k, v) -> !((Ingested.Accepted) v).keyed(), Branched.as("unkeyed"))
                .defaultBranch(Branched.as("keyed"));

        KStream<String, Ingested> rekeyed = routes.get("ingest-parsed-unkeyed").repartition(
                Repartitioned.<String, Ingested>as(REPARTITION).withKeySerde(Serdes.String()).withValueSerde(AcceptedSerde.serde()));

        KStream<String, Ingested> resampled = routes.get("ingest-parsed-keyed")
                .merge(rekeyed, Named.as("ingest-merge-readings"))
                .process(() -> new SensorProcessor(config, metrics, STATE_STORE, OPEN_STEPS_STORE), Named.as("ingest-resample"),
                        STATE_STORE, OPEN_STEPS_STORE);

        var outputs = resampled.split(Named.as("ingest-resampled-"))
                .branch((k, v) -> v instanceof Ingested.DeadLetter, Branched.as("late"))
                .defaultBranch(Branched.as("sequences"));

        outputs.get("ingest-resampled-sequences")
                .mapValues(v -> ((Ingested.Emitted) v).sequence(), Named.as("ingest-unwrap-sequences"))
                .to(config.sequencesTopic(), Produced.with(Serdes.String(), SensorSequenceJson.serde()).withName("ingest-sequences"));

        routes.get("ingest-parsed-rejected")
                .merge(outputs.get("ingest-resampled-late"), Named.as("ingest-merge-dead-letters"))
                .process(() -> new DeadLetterWriter(metrics), Named.as("ingest-dead-letter"))
                .to(config.deadLetterTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("ingest-dead-letters"));

        return builder.build();
    }
}
