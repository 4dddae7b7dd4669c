package io.sensorcast.ops.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSimulator;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.Topics;
import io.sensorcast.ops.KafkaConnection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends readings to sensor-readings: a CSV column replayed, or simulated sensors.",
                "Examples:",
                "  sensorcast produce --simulate 5 --rate 100 --duration 30s",
                "  sensorcast produce --csv ETTh1.csv --time-column date --value-column OT --speedup 36000"})
public final class ProduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    KafkaClientConfigOptions clientConfig;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--csv", paramLabel = "FILE", description = "Replay one column of a CSV file.")
        Path csv;

        @Option(names = "--simulate", paramLabel = "N", description = "Simulate N sensors (daily cycle, drift, noise).")
        Integer simulate;
    }

    @Option(names = "--time-column", defaultValue = "date", description = "CSV timestamp column: epoch ms, ISO-8601 or 'yyyy-MM-dd HH:mm:ss' UTC (default: ${DEFAULT-VALUE}).")
    String timeColumn;

    @Option(names = "--value-column", defaultValue = "value", description = "CSV value column (default: ${DEFAULT-VALUE}).")
    String valueColumn;

    @Option(names = "--sensor", description = "Sensor id for CSV readings (default: <file name>.<value column>).")
    String sensor;

    @Option(names = "--rate", paramLabel = "READINGS_PER_S", description = "Send at most this many readings per second (simulator default 100; CSV default unlimited).")
    Double rate;

    @Option(names = "--speedup", paramLabel = "X", description = "CSV: replay event time X times faster than real time, e.g. 3600 sends an hour of data per second.")
    Double speedup;

    @Option(names = "--step", defaultValue = "1m", converter = DurationConverter.class, description = "Simulator: event-time step between readings of a sensor (default: ${DEFAULT-VALUE}).")
    Duration step;

    @Option(names = "--start", description = "Simulator: event time of the first step, ISO-8601 (default: 7 days ago, so accelerated runs stay in the accepted range).")
    Instant start;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed; the same seed gives the same readings (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long (e.g. 30s, 5m).")
    Duration duration;

    @Option(names = "--max-readings", paramLabel = "N", description = "Stop after N readings.")
    Long maxReadings;

    @Option(names = "--topic", defaultValue = Topics.READINGS, description = "Target topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() throws Exception {
        Iterator<Reading> readings = readings();
        double ratePerSecond = rate != null ? rate : (source.simulate != null ? 100 : 0);
        if (ratePerSecond < 0 || (speedup != null && speedup <= 0)) {
            throw new IllegalArgumentException("--rate and --speedup must be positive");
        }
        KafkaConnection connection = kafka.connection(clientConfig.settings());
        TopicAdministrator.ensureTopics(connection.admin(Map.of()), Topics.all(), Duration.ofSeconds(15));
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err);
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        long startNanos = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : startNanos + duration.toNanos();
        long limit = maxReadings == null ? Long.MAX_VALUE : maxReadings;
        long sent = 0;
        long firstTs = Long.MIN_VALUE;
        StopSignal stop = StopSignal.onShutdown();
        try (KafkaProducer<String, byte[]> producer = producer(connection)) {
            while (readings.hasNext() && sent < limit && System.nanoTime() < deadline && sendFailure.get() == null
                    && !stop.stopRequested()) {
                Reading r = readings.next();
                if (firstTs == Long.MIN_VALUE) {
                    firstTs = r.ts();
                }
                long dueNanos = startNanos;
                if (ratePerSecond > 0) {
                    dueNanos = startNanos + (long) (sent * 1e9 / ratePerSecond);
                }
                if (speedup != null) {
                    dueNanos = Math.max(dueNanos, startNanos + (long) ((r.ts() - firstTs) * 1e6 / speedup));
                }
                while (System.nanoTime() < Math.min(dueNanos, deadline) && !stop.stopRequested()) {
                    pauseUntil(Math.min(dueNanos, deadline));
                }
                if (stop.stopRequested()) {
                    break;
                }
                if (System.nanoTime() >= deadline) {
                    break;
                }
                producer.send(new ProducerRecord<>(topic, r.sensor(), r.toJsonBytes()), (md, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
                sent++;
                progress.update(sent, r.ts(), startNanos);
            }
            producer.flush();
        } finally {
            stop.finished();
        }
        if (sendFailure.get() != null) {
            throw new IllegalStateException("sending to " + topic + " failed: " + sendFailure.get().getMessage(), sendFailure.get());
        }
        progress.finish(sent, startNanos, topic);
        return 0;
    }

    private Iterator<Reading> readings() {
        if (source.csv != null) {
            String id = sensor != null ? sensor : defaultSensorId(source.csv, valueColumn);
            CsvSeries series = CsvSeries.read(source.csv, timeColumn, valueColumn, id);
            if (series.skippedRows() > 0) {
                spec.commandLine().getErr().printf("skipping %d rows without a numeric %s%n", series.skippedRows(), valueColumn);
            }
            return series.readings().iterator();
        }
        if (source.simulate < 1) {
            throw new IllegalArgumentException("--simulate needs at least 1 sensor");
        }
        long startMs = start != null ? start.toEpochMilli()
                : (System.currentTimeMillis() - Duration.ofDays(7).toMillis()) / step.toMillis() * step.toMillis();
        return new SensorSimulator(source.simulate, seed, startMs, step).readings();
    }

    static String defaultSensorId(Path csv, String column) {
        String name = csv.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + "." + column;
    }

    /**
     * Produce requests in flight per connection for producers of readings (this command, and demo's and soak's
     * pump): one. Right after a topic is created ({@code broker} creates them as it starts), a first request the
     * broker refuses while a later one gets in is never written and expires (KAFKA-15591, Kafka 4.4.0 clients), so
     * the first readings of a fresh setup would be lost with an error; one at a time, the refused request is retried
     * before anything after it is sent.
     */
    static final int READINGS_IN_FLIGHT = 1;

    private static KafkaProducer<String, byte[]> producer(KafkaConnection connection) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, READINGS_IN_FLIGHT);
        return new KafkaProducer<>(connection.producer(p), new StringSerializer(), new ByteArraySerializer());
    }

    private static void pauseUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            // at most 200 ms at a time, so Ctrl-C is noticed promptly even at slow rates
            Thread.sleep(Math.min(wait / 1_000_000, 200), (int) (wait % 1_000_000));
        }
    }

    /** A progress line at most once a second: rewritten in place on a terminal, one line per 5 s otherwise. */
    private static final class Progress {
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private long lastPrint = System.nanoTime();

        Progress(PrintWriter err) {
            this.err = err;
        }

        void update(long sent, long eventTs, long startNanos) {
            long now = System.nanoTime();
            if (now - lastPrint < (terminal ? 1_000_000_000L : 5_000_000_000L)) {
                return;
            }
            lastPrint = now;
            double seconds = (now - startNanos) / 1e9;
            String line = String.format(Locale.ROOT, "produced %,d readings (%,.0f/s), event time %s", sent, sent / seconds, Instant.ofEpochMilli(eventTs));
            if (terminal) {
                err.print("\r" + line);
            } else {
                err.println(line);
            }
            err.flush();
        }

        void finish(long sent, long startNanos, String topic) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            err.print(terminal ? "\r" : "");
            err.printf(Locale.ROOT, "produced %,d readings to %s in %.1f s%n", sent, topic, seconds);
            err.flush();
        }
    }
}
