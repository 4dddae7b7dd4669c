package io.sensorcast.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestService;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSimulator;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reading-to-forecast latency through the whole pipeline at a fixed reading rate: simulator readings → the real
 * {@link IngestService} → {@code sensor-sequences} (read-committed) → the real {@link ServeService} →
 * {@code forecasts}, on one broker, with one freshly initialised checkpoint installed ({@link BenchmarkCheckpoint}: speed does not depend on the
 * weights).
 *
 * <p>The first {@code W + closing lag} rounds, one reading per sensor and step, are sent unpaced and not measured
 * (windows fill, JIT, DL4J workspaces, transactions warm up). Then readings go out at {@code readingsPerSecond} for
 * {@code measured}, {@code readingsPerStep} per sensor and step evenly spaced in event time: with 1, every reading
 * closes an earlier step and yields one sequence and one forecast (the heaviest load a reading rate can make); with
 * 60, sensors that read once a second in real time (one-minute steps), one forecast per sensor a minute.
 *
 * <p>Two latencies, both from the reading that completed a sequence:
 * <ul>
 * <li><b>serve</b>: {@code sensorcast_serve_forecast_latency_seconds}, the metric users alert on — ingest's receipt of
 * the reading to serve handing the forecast to its producer. Percentiles come from the histogram's buckets counted
 * during the measured phase only, interpolated inside a bucket as Prometheus' {@code histogram_quantile} does (what
 * the dashboards show).</li>
 * <li><b>delivered</b>: the reading's send by the producer to a {@code read_committed} consumer receiving the forecast:
 * adds the producer's linger, serve's exactly-once commit and the consumer's poll — what a downstream application
 * sees.</li>
 * </ul>
 */
public final class PipelineLatencyBenchmark {
    private static final long T0 = 1_732_440_000_000L;
    private static final double[] LATENCY_BOUNDS_NANOS = latencyBounds();

    /**
     * @param readingsPerSecond the rate achieved while measured (sent ÷ time)
     * @param serveP50Ms        median of the serve latency metric, ms (bucket upper bound)
     * @param serveP99Ms        99th percentile of the serve latency metric, ms (bucket upper bound)
     * @param deliveredP50Ms    median delivered latency, ms (exact)
     * @param deliveredP99Ms    99th percentile delivered latency, ms (exact)
     */
    public record Result(int sensors, int readingsPerStep, double readingsPerSecond, long readings, long forecasts, double serveP50Ms,
                         double serveP99Ms, double deliveredP50Ms, double deliveredP99Ms) {
    }

    private PipelineLatencyBenchmark() {
    }

    /**
     * Runs ingest and serve built from {@code ingestBase} and {@code serveBase} (their topics, application ids and
     * state directories replaced by fresh ones) against {@code bootstrapServers}.
     *
     * @throws IllegalStateException when the pipeline does not catch up within {@code timeout}
     */
    public static Result run(String bootstrapServers, IngestConfig ingestBase, ServeConfig serveBase, int sensors,
                             double readingsPerSecond, int readingsPerStep, Duration measured, Duration timeout)
            throws InterruptedException {
        if (readingsPerStep < 1 || ingestBase.stepMs() % readingsPerStep != 0) {
            throw new IllegalArgumentException("readingsPerStep must divide the step, got " + readingsPerStep);
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        String sequences = "bench-sequences-" + id;
        try (TemporaryDirectory ingestState = TemporaryDirectory.create("sensorcast-bench-ingest-state-");
             TemporaryDirectory serveState = TemporaryDirectory.create("sensorcast-bench-serve-state-")) {
            IngestConfig ingest = ingestBase.withApplicationId("bench-ingest-" + id)
                    .withTopics("bench-readings-" + id, sequences, "bench-dlq-" + id)
                    .withStateDir(ingestState.path());
            ServeConfig serve = serveBase.withApplicationId("bench-serve-" + id)
                    .withTopics(sequences, "bench-checkpoints-" + id, "bench-forecasts-" + id)
                    .withStateDir(serveState.path());
            return measure(bootstrapServers, ingest, serve, sensors, readingsPerSecond, readingsPerStep, measured, timeout);
        }
    }

    private static Result measure(String bootstrap, IngestConfig ingest, ServeConfig serve, int sensors, double rate,
                                  int readingsPerStep, Duration measured, Duration timeout) throws InterruptedException {
        SimpleMeterRegistry ingestMeters = new SimpleMeterRegistry();
        SimpleMeterRegistry serveMeters = new SimpleMeterRegistry();
        // A simple registry keeps only explicit bucket bounds (not the percentile histogram Prometheus gets): 1 ms
        // buckets up to 200 ms, then coarser; and one time window for the whole run (2 min by default), so the counts
        // taken before and after the measured phase can be subtracted.
        serveMeters.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder().serviceLevelObjectives(LATENCY_BOUNDS_NANOS)
                        .expiry(Duration.ofDays(1)).bufferLength(1).build().merge(config);
            }
        });
        long stepMs = ingest.stepMs();
        // readings fall on step boundaries (however many per step), so step e closes at the one stamped
        // (e + closing lag) · step
        long closingLag = ingest.closingLagSteps();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> delivered = new ArrayList<>();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean reading = new AtomicBoolean(true);
        try (IngestService ingestService = IngestService.start(ingest, bootstrap, ingestMeters);
             ServeService serveService = ServeService.start(serve, bootstrap, serveMeters);
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            if (!ingestService.awaitRunning(timeout) || !serveService.awaitRunning(timeout)) {
                throw new IllegalStateException("ingest or serve did not reach RUNNING within " + timeout);
            }
            BenchmarkCheckpoint.install(producer, serve, serveService, timeout);

            Thread reader = new Thread(() -> readForecasts(bootstrap, serve.forecastsTopic(), stepMs, closingLag,
                    sentAt, delivered, measuring, reading), "bench-forecast-reader");
            reader.start();
            SensorSimulator simulator = new SensorSimulator(sensors, 42, T0, Duration.ofMillis(stepMs));

            // warm-up: windows fill; every sensor then emits at least a few sequences
            long warmRounds = ingest.window() + closingLag + 8;
            for (long round = 0; round < warmRounds; round++) {
                for (Reading r : simulator.tick()) {
                    producer.send(new ProducerRecord<>(ingest.readingsTopic(), r.sensor(), r.toJsonBytes()));
                }
            }
            producer.flush();
            awaitSettled(ingestMeters, serveMeters, sensors, timeout);

            Timer latency = serveMeters.get("sensorcast.serve.forecast.latency").timer();
            HistogramSnapshot before = latency.takeSnapshot();
            double forecastsBefore = forecasts(serveMeters);
            measuring.set(true);
            long sent = 0;
            long start = System.nanoTime();
            long end = start + measured.toNanos();
            double nanosPerReading = 1e9 / rate;
            SensorSimulator paced = new SensorSimulator(sensors, 42, simulator.nextTimestamp(),
                    Duration.ofMillis(stepMs / readingsPerStep));
            while (System.nanoTime() < end) {
                for (Reading r : paced.tick()) {
                    long due = start + (long) (sent * nanosPerReading);
                    long wait = due - System.nanoTime();
                    if (wait > 200_000) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (r.ts() % stepMs == 0) {   // only these close a step and make a forecast
                        sentAt.put(r.sensor() + "@" + r.ts(), System.currentTimeMillis());
                    }
                    producer.send(new ProducerRecord<>(ingest.readingsTopic(), r.sensor(), r.toJsonBytes()));
                    sent++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            producer.flush();
            awaitSettled(ingestMeters, serveMeters, sensors, timeout);
            HistogramSnapshot after = latency.takeSnapshot();
            long forecasts = (long) (forecasts(serveMeters) - forecastsBefore);
            // the delivered latencies of the last forecasts arrive after the commit that follows them
            long readerDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < readerDeadline && sentAt.size() > sensors * (closingLag + 1)) {
                Thread.sleep(50);
            }
            reading.set(false);
            reader.join(10_000);
            long[] d;
            synchronized (delivered) {
                d = delivered.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            return new Result(sensors, readingsPerStep, sent / seconds, sent, forecasts, bucketPercentile(before, after, 0.50),
                    bucketPercentile(before, after, 0.99), percentile(d, 0.50), percentile(d, 0.99));
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", 1);
        p.put("max.request.size", Topics.CHECKPOINT_MAX_MESSAGE_BYTES);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Waits until serve has forecast every sequence ingest emitted (at least one per sensor) and nothing moves. */
    private static void awaitSettled(SimpleMeterRegistry ingestMeters, SimpleMeterRegistry serveMeters, int sensors,
                                     Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = -1;
        while (true) {
            double emitted = ingestMeters.get("sensorcast.ingest.sequences").counter().count();
            double forecast = forecasts(serveMeters);
            if (emitted >= sensors && forecast >= emitted && forecast == last) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline did not catch up within " + timeout + ": " + (long) emitted
                        + " sequences, " + (long) forecast + " forecasts");
            }
            last = forecast;
            Thread.sleep(250);
        }
    }

    /** Forecasts serve has counted so far, every method together (both serve benchmarks read progress from it). */
    static double forecasts(SimpleMeterRegistry serveMeters) {
        return serveMeters.find("sensorcast.serve.forecasts").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static final byte[] ISSUED_AT = "\"issuedAt\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The {@code issuedAt} of a forecast's JSON (Forecast's writer puts it near the start, as a plain integer). */
    static long issuedAt(byte[] json) {
        outer:
        for (int i = 0; i + ISSUED_AT.length < json.length; i++) {
            for (int j = 0; j < ISSUED_AT.length; j++) {
                if (json[i + j] != ISSUED_AT[j]) {
                    continue outer;
                }
            }
            long v = 0;
            for (int k = i + ISSUED_AT.length; k < json.length && json[k] >= '0' && json[k] <= '9'; k++) {
                v = v * 10 + (json[k] - '0');
            }
            return v;
        }
        throw new IllegalArgumentException("no issuedAt in a forecast");
    }

    private static void readForecasts(String bootstrap, String topic, long stepMs, long closingLag,
                                      Map<String, Long> sentAt, List<Long> delivered, AtomicBoolean measuring,
                                      AtomicBoolean reading) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // assign, not subscribe: no group join, whose delay would look like latency
            consumer.assign(consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList());
            consumer.seekToEnd(consumer.assignment());
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                    long now = System.currentTimeMillis();
                    // the key is the sensor; only issuedAt is read from the value, so the measuring consumer
                    // does not take the CPU of the pipeline it measures (a full parse was ~10% of the run's CPU)
                    String sensor = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
                    Long sent = sentAt.remove(sensor + "@" + (issuedAt(r.value()) + closingLag * stepMs));
                    if (sent != null && measuring.get()) {
                        synchronized (delivered) {
                            delivered.add(now - sent);
                        }
                    }
                }
            }
        }
    }

    /**
     * The {@code q} quantile, in ms, of what a cumulative histogram counted between two snapshots, interpolated
     * linearly inside its bucket like Prometheus' {@code histogram_quantile}; beyond the last bound, that bound.
     */
    static double bucketPercentile(HistogramSnapshot beforeSnapshot, HistogramSnapshot afterSnapshot, double q) {
        CountAtBucket[] before = beforeSnapshot.histogramCounts();
        CountAtBucket[] after = afterSnapshot.histogramCounts();
        double total = afterSnapshot.count() - beforeSnapshot.count();
        if (after.length == 0 || total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (int i = 0; i < after.length; i++) {
            double upperBound = after[i].bucket(TimeUnit.MILLISECONDS);
            double upperCount = after[i].count() - before[i].count();
            if (upperCount >= rank) {
                return lowerBound + (upperBound - lowerBound) * (rank - lowerCount) / Math.max(upperCount - lowerCount, 1e-12);
            }
            lowerBound = upperBound;
            lowerCount = upperCount;
        }
        return lowerBound;
    }


    private static double[] latencyBounds() {
        List<Double> ms = new ArrayList<>();
        for (int m = 1; m <= 200; m++) {
            ms.add((double) m);
        }
        for (double m = 250; m <= 120_000; m *= 1.25) {
            ms.add(Math.rint(m));
        }
        return ms.stream().mapToDouble(m -> m * 1e6).toArray();
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
