package io.sensorcast.ops.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestService;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSimulator;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.Topics;
import io.sensorcast.ops.KafkaConnection;
import io.sensorcast.ops.Telemetry;
import io.sensorcast.serve.BenchmarkCheckpoint;
import io.sensorcast.serve.ServeConfig;
import io.sensorcast.serve.ServeService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A long run at a fixed reading rate: embedded broker, ingest and serve (stateful inference with a",
                "fixed, freshly initialised model; no trainer) in this JVM, simulated sensors paced to --rate readings/s.",
                "Every --sample-every it samples heap after GC, open file descriptors, state store size on disk,",
                "consumer lag (ingest + serve groups) and the p99 of reading-to-forecast latency over the interval; at",
                "the end it prints the least-squares slope of each per minute (flat is good) and, with --out, writes",
                "them as JSON. With --bootstrap-servers it runs against that cluster instead of an embedded broker,",
                "with the Kafka client settings of --config (kafka.*) and env SENSORCAST_KAFKA_*."})
public final class SoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OwnOrExternalKafkaOptions kafka;

    @Option(names = "--duration", defaultValue = "30m", converter = DurationConverter.class,
            description = "How long to run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", defaultValue = "10000", description = "Readings per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--sensors", defaultValue = "1000", description = "Simulated sensors (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--readings-per-step", defaultValue = "10",
            description = {"Readings each sensor sends per one-minute step once its first window is full (default:",
                    "${DEFAULT-VALUE}); ingest averages them into one step, so sequences and forecasts are --rate / this",
                    "per second. 1 makes every reading close a step: the heaviest load."})
    int readingsPerStep;

    @Option(names = "--sample-every", defaultValue = "1m", converter = DurationConverter.class,
            description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    Duration sampleEvery;

    @Option(names = "--warm-up", defaultValue = "1m", converter = DurationConverter.class,
            description = {"Samples taken this soon after the start are printed but left out of the slopes (default:",
                    "${DEFAULT-VALUE}): the first forecasts seed every sensor's state with full-window passes while the JIT",
                    "compiles, a one-off latency spike that would tilt a 30-sample fit."})
    Duration warmUp;

    @Option(names = "--out", paramLabel = "FILE", description = "Write samples and slopes as JSON.")
    Path out;

    /** One sample; {@code minute} is minutes since the pump started. */
    record Sample(double minute, double heapAfterGcMb, long openFileDescriptors, double stateMb, long consumerLag,
                  double p99LatencyMs, long readingsSent, double forecasts) {
    }

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || sensors < 1 || readingsPerStep < 1) {
            throw new IllegalArgumentException("--rate, --sensors and --readings-per-step must be at least 1");
        }
        if (sampleEvery.isZero() || sampleEvery.isNegative() || duration.compareTo(sampleEvery) < 0) {
            throw new IllegalArgumentException("--sample-every must be positive and no longer than --duration");
        }
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("--warm-up must not be negative");
        }
        io.sensorcast.ops.NativeThreads.configure();
        PrintWriter o = spec.commandLine().getOut();
        StopSignal stop = StopSignal.onShutdown();
        PrometheusMeterRegistry registry = Telemetry.registry("soak");
        List<AutoCloseable> open = new ArrayList<>();
        try (TemporaryDirectory tmp = TemporaryDirectory.create("sensorcast-soak-")) {
            Path dir = tmp.path();
            try {
                OwnOrExternalKafkaOptions.Cluster cluster = kafka.open(dir.resolve("kafka"));
                open.add(0, cluster);
                KafkaConnection connection = cluster.connection();
                String bootstrap = connection.bootstrapServers();
                TopicAdministrator.ensureTopics(connection.admin(Map.of()), Topics.all(), Duration.ofSeconds(30));
                IngestConfig ingestConfig = IngestConfig.defaults().withStateDir(dir.resolve("ingest-state"))
                        .withTimestampBounds(Instant.parse("1990-01-01T00:00:00Z"), Duration.ofDays(36500))
                        .withStreamsOverrides(connection.clientSettings());
                open.add(0, IngestService.start(ingestConfig, bootstrap, registry));
                ServeConfig serveConfig = ServeConfig.defaults().withStateDir(dir.resolve("serve-state"))
                        .withStreamsOverrides(connection.clientSettings());
                ServeService serve = ServeService.start(serveConfig, bootstrap, registry);
                open.add(0, serve);
                // a fixed model, so serve runs its LSTM path (network copies, recurrent states, seeding) rather
                // than persistence; a trainer would take a core of its own from the two the soak is sized for
                try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(connection.producer(
                        Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.CHECKPOINT_MAX_MESSAGE_BYTES)),
                        new StringSerializer(), new ByteArraySerializer())) {
                    BenchmarkCheckpoint.install(producer, serveConfig, serve, Duration.ofMinutes(2));
                }
                Admin admin = Admin.create(connection.admin(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000)));
                open.add(0, admin);
                Duration step = Duration.ofMillis(ingestConfig.stepMs());
                long start = (System.currentTimeMillis() - Duration.ofDays(60).toMillis()) / step.toMillis() * step.toMillis();
                DemoCommand.ReadingPump pump = DemoCommand.ReadingPump.atRate(connection,
                        readings(sensors, start, step, firstWindowSteps(ingestConfig), readingsPerStep), rate);
                open.add(0, pump);
                pump.start();
                long t0 = System.nanoTime();
                o.printf(Locale.ROOT, "soak: %d readings/s from %d sensors (%d per step once the first window is full) "
                                + "for %s, sampling every %s (broker %s)%n",
                        rate, sensors, readingsPerStep, duration, sampleEvery, bootstrap);
                o.println(" minute  heap-after-GC MB  open FDs  state MB  consumer lag  p99 latency ms  readings sent  forecasts");
                o.flush();
                List<Sample> samples = new ArrayList<>();
                LatencyWindow latency = new LatencyWindow(registry);
                long deadline = t0 + duration.toNanos();
                long next = t0 + sampleEvery.toNanos();
                while (next <= deadline) {
                    if (stop.await(Math.max(1, (next - System.nanoTime()) / 1_000_000))) {
                        break;
                    }
                    Sample s = new Sample((System.nanoTime() - t0) / 60e9, heapAfterGcMb(), openFileDescriptors(),
                            sizeMb(dir.resolve("ingest-state")) + sizeMb(dir.resolve("serve-state")),
                            lag(admin, ingestConfig.applicationId(), Topics.READINGS) + lag(admin, serveConfig.applicationId(), Topics.SEQUENCES),
                            latency.p99Ms(), pump.sent(), forecasts(registry));
                    samples.add(s);
                    o.printf(Locale.ROOT, "%7.2f  %16.1f  %8d  %8.1f  %12d  %14.0f  %13d  %9.0f%n", s.minute(), s.heapAfterGcMb(),
                            s.openFileDescriptors(), s.stateMb(), s.consumerLag(), s.p99LatencyMs(), s.readingsSent(), s.forecasts());
                    o.flush();
                    next += sampleEvery.toNanos();
                }
                // samples are due every --sample-every: those due within the warm-up are the first warmUp / sampleEvery
                int warmUpSamples = (int) Math.min(samples.size(), warmUp.toMillis() / sampleEvery.toMillis());
                Map<String, Double> slopes = slopes(samples.subList(warmUpSamples, samples.size()));
                int fitted = samples.size() - warmUpSamples;
                if (fitted < 2) {
                    o.printf(Locale.ROOT, "slopes per minute: none, %d sample(s) after the %s warm-up and a slope needs two"
                            + " (run longer, or lower --warm-up or --sample-every)%n", fitted, warmUp);
                } else {
                    o.printf(Locale.ROOT, "slopes per minute (least squares over the samples after the %s warm-up; ~0 is flat):%n", warmUp);
                    slopes.forEach((k, v) -> o.printf(Locale.ROOT, "  %-28s %+.3f%n", k, v));
                }
                double achieved = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).readingsSent() / (samples.get(samples.size() - 1).minute() * 60);
                o.printf(Locale.ROOT, "readings/s achieved: %.0f of %d%n", achieved, rate);
                o.flush();
                if (out != null) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("rate", rate);
                    json.put("sensors", sensors);
                    json.put("readingsPerStep", readingsPerStep);
                    json.put("durationSeconds", duration.toSeconds());
                    json.put("achievedRate", achieved);
                    json.put("warmUpSeconds", warmUp.toSeconds());
                    json.put("samples", samples);
                    json.put("slopesPerMinute", slopes);
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
                }
                return 0;
            } finally {
                for (AutoCloseable c : open) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        spec.commandLine().getErr().println("soak: closing " + c.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }
        } finally {
            stop.finished();
        }
    }

    /** Steps each sensor needs before its first sequence: a full window, then its last step's grace. */
    static int firstWindowSteps(IngestConfig c) {
        return c.window() + c.closingLagSteps();
    }

    /**
     * The soak's readings: one per sensor per step for the first {@code firstWindowSteps} steps (so windows fill
     * and forecasts start within seconds, not after W steps at the steady cadence), then {@code readingsPerStep}
     * per sensor per step, evenly spaced in event time, for ever. Sensors take turns at each timestamp.
     */
    static Iterator<Reading> readings(int sensors, long startMs, Duration step,
                                                                     int firstWindowSteps, int readingsPerStep) {
        Iterator<Reading> first = new SensorSimulator(sensors, 42, startMs, step).readings();
        Iterator<Reading> steady = new SensorSimulator(sensors, 42,
                startMs + firstWindowSteps * step.toMillis(), step.dividedBy(readingsPerStep)).readings();
        long firstCount = (long) sensors * firstWindowSteps;
        return new java.util.Iterator<>() {
            private long taken;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Reading next() {
                return taken++ < firstCount ? first.next() : steady.next();
            }
        };
    }

    /** Least-squares slope per minute of each figure over the samples (NaN with fewer than two). */
    static Map<String, Double> slopes(List<Sample> samples) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("heapAfterGcMbPerMinute", slope(samples, Sample::heapAfterGcMb));
        m.put("openFileDescriptorsPerMinute", slope(samples, s -> s.openFileDescriptors()));
        m.put("stateMbPerMinute", slope(samples, Sample::stateMb));
        m.put("consumerLagPerMinute", slope(samples, s -> s.consumerLag()));
        m.put("p99LatencyMsPerMinute", slope(samples, Sample::p99LatencyMs));
        return m;
    }

    static double slope(List<Sample> all, java.util.function.ToDoubleFunction<Sample> y) {
        // a figure not measurable yet (no forecast in the first interval, broker not answering) is left out
        List<Sample> samples = all.stream().filter(s -> Double.isFinite(y.applyAsDouble(s)) && y.applyAsDouble(s) >= 0).toList();
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = samples.stream().mapToDouble(Sample::minute).average().orElse(0);
        double my = samples.stream().mapToDouble(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (Sample s : samples) {
            sxy += (s.minute() - mx) * (y.applyAsDouble(s) - my);
            sxx += (s.minute() - mx) * (s.minute() - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    private static double heapAfterGcMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    private static long openFileDescriptors() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getOpenFileDescriptorCount() : -1;
    }

    private static double sizeMb(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    return 0;   // RocksDB deletes files while we walk
                }
            }).sum() / 1e6;
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** Records between the group's committed offsets and the end of {@code topic}; -1 when the broker does not answer. */
    private static long lag(Admin admin, String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    private static double forecasts(PrometheusMeterRegistry registry) {
        return registry.find("sensorcast.serve.forecasts").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The p99 of serve's latency histogram over the interval since the previous call (bucket deltas). */
    static final class LatencyWindow {
        private final PrometheusMeterRegistry registry;
        private CountAtBucket[] previous = new CountAtBucket[0];

        LatencyWindow(PrometheusMeterRegistry registry) {
            this.registry = registry;
        }

        double p99Ms() {
            Timer t = registry.find("sensorcast.serve.forecast.latency").timer();
            if (t == null) {
                return Double.NaN;
            }
            CountAtBucket[] now = t.takeSnapshot().histogramCounts();
            double total = now.length == 0 ? 0 : now[now.length - 1].count() - (previous.length == now.length ? previous[now.length - 1].count() : 0);
            double p99 = Double.NaN;
            if (total > 0) {
                for (int i = 0; i < now.length; i++) {
                    double cumulative = now[i].count() - (previous.length == now.length ? previous[i].count() : 0);
                    if (cumulative >= 0.99 * total) {
                        p99 = now[i].bucket(java.util.concurrent.TimeUnit.MILLISECONDS);
                        break;
                    }
                }
            }
            previous = now;
            return p99;
        }
    }
}
