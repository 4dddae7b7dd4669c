package io.sensorcast.ops.command;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestService;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSimulator;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.Topics;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.OnlineTrainer;
import io.sensorcast.model.StepReport;
import io.sensorcast.model.TrainerService;
import io.sensorcast.model.checkpoint.CheckpointPublisherConfig;
import io.sensorcast.model.checkpoint.TrainerLoopConfig;
import io.sensorcast.ops.KafkaConnection;
import io.sensorcast.ops.Telemetry;
import io.sensorcast.ops.http.MetricsServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorcast.serve.ServeConfig;
import io.sensorcast.serve.ServeService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs everything in one JVM: an embedded Kafka broker, ingest, the trainer, serve and a sensor simulator",
                "(or a --csv replay) in accelerated event time, with live progress, until --duration or Ctrl-C.",
                "Metrics and health for the whole demo at http://127.0.0.1:9404/metrics and /health.",
                "With --bootstrap-servers it runs against that cluster instead of an embedded broker, with the Kafka client",
                "settings of --config (kafka.*) and env SENSORCAST_KAFKA_*."})
public final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    OwnOrExternalKafkaOptions kafka;

    @Option(names = "--sensors", defaultValue = "8", description = "Simulated sensors (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--csv", paramLabel = "FILE", description = "Replay a CSV column instead of simulating (see produce --help).")
    Path csv;

    @Option(names = "--time-column", defaultValue = "date", description = "CSV timestamp column (default: ${DEFAULT-VALUE}).")
    String timeColumn;

    @Option(names = "--value-column", defaultValue = "OT", description = "CSV value column (default: ${DEFAULT-VALUE}).")
    String valueColumn;

    @Option(names = "--step", defaultValue = "1m", converter = DurationConverter.class,
            description = "Event-time step of the simulator and of ingest's resampling; a CSV uses its median spacing (default: ${DEFAULT-VALUE}).")
    Duration step;

    @Option(names = "--speedup", description = "Event time runs this many times faster than real time (default: 10 steps a second).")
    Double speedup;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--inject-explosion-at", paramLabel = "STEP",
            description = "At this training step, feed the trainer a batch scaled by 1e6 (a broken sensor) so a real explosion is detected, recorded and alerted on.")
    Long injectExplosionAt;

    @Option(names = "--batch-size", defaultValue = "32", description = "Training batch, windows across sensors (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--data-dir", description = "Broker and state directory (default: a temporary one, deleted at exit).")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        io.sensorcast.ops.NativeThreads.configure();
        PrintWriter out = spec.commandLine().getOut();
        ModelConfig model = ModelConfig.defaults().withBatchSize(batchSize);
        if (injectExplosionAt != null && injectExplosionAt < model.minHistory()) {
            // the detector judges a norm against the rolling median of the steps before it
            throw new IllegalArgumentException("--inject-explosion-at must be at least " + model.minHistory()
                    + ": explosions are recognised against the median of the previous steps' gradient norms");
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("sensorcast-demo-") : dataDir;
        List<Reading> csvReadings = null;
        Duration ingestStep = step;
        if (csv != null) {
            CsvSeries series = CsvSeries.read(csv, timeColumn, valueColumn, ProduceCommand.defaultSensorId(csv, valueColumn));
            csvReadings = series.readings();
            ingestStep = medianSpacing(csvReadings);
        }
        double eventSpeedup = speedup != null ? speedup : 10.0 * ingestStep.toMillis() / 1000.0;
        StopSignal stop = StopSignal.onShutdown();
        PrometheusMeterRegistry registry = Telemetry.registry("demo");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            if (kafka.bootstrapServers == null) {
                out.println("Starting an embedded Kafka broker …");
                out.flush();
            }
            OwnOrExternalKafkaOptions.Cluster cluster = kafka.open(dir.resolve("kafka"));
            open.add(0, cluster);
            KafkaConnection connection = cluster.connection();
            String bootstrap = connection.bootstrapServers();
            TopicAdministrator.ensureTopics(connection.admin(Map.of()), Topics.all(2), Duration.ofSeconds(30));

            // Accelerated event time runs ahead of the wall clock: widen ingest's future bound accordingly.
            IngestConfig ingestConfig = IngestConfig.defaults().withStep(ingestStep).withGrace(ingestStep.multipliedBy(2))
                    .withStateDir(dir.resolve("ingest-state")).withTopicPartitions(2)
                    .withTimestampBounds(Instant.parse("1990-01-01T00:00:00Z"), Duration.ofDays(36500))
                    .withStreamsOverrides(connection.clientSettings());
            IngestService ingest = IngestService.start(ingestConfig, bootstrap, registry);
            open.add(0, ingest);

            TrainerLoopConfig loop = TrainerLoopConfig.defaults(bootstrap,
                            CheckpointPublisherConfig.defaults("default", model.window(), model.horizon(), TrainCommand.modelConfigJson(model))
                                    .withHmacKey(TrainCommand.hmacKey()))
                    .withBatching(batchSize, Duration.ofSeconds(1))
                    .withCheckpointEvery(50, Duration.ofSeconds(20))
                    .withClientOverrides(connection.clientSettings());
            TrainerService trainer = TrainerService.start(model, loop, registry, Clock.systemUTC());
            open.add(0, trainer);
            if (injectExplosionAt != null) {
                trainer.injectCorruptedBatchAt(injectExplosionAt);
                out.printf("At training step %d the trainer gets a batch scaled by 1e6: watch the explosions count, "
                        + "gradient-events and sensorcast_trainer_gradient_explosions_total.%n", injectExplosionAt);
            }

            // Stateful one-step inference (rnnTimeStep per sensor, re-seeded by a full-window pass every 72 steps) costs a
            // fraction of a full-window pass, which leaves the two cores to the trainer the demo is about.
            ServeService serve = ServeService.start(ServeConfig.defaults().withStateDir(dir.resolve("serve-state"))
                    .withTopicPartitions(2).withHmacKey(TrainCommand.hmacKey()).withStreamsOverrides(connection.clientSettings()),
                    bootstrap, registry);
            open.add(0, serve);
            ForecastTail forecasts = new ForecastTail(connection, 3);
            open.add(0, forecasts);

            Map<String, java.util.function.Supplier<MetricsServer.Readiness>> checks = new LinkedHashMap<>();
            checks.put("ingest", () -> MetricsServer.Readiness.of(ingest.isReady(), ingest.readinessState()));
            checks.put("trainer", () -> MetricsServer.Readiness.of(trainer.isReady(), trainer.readinessState()));
            checks.put("serve", () -> MetricsServer.Readiness.of(serve.isReady(), serve.readinessState()));
            MetricsServer http = MetricsServer.start(metrics.address(), metrics.port(9404), registry, checks);
            open.add(0, http);

            Iterator<Reading> readings = csvReadings != null ? csvReadings.iterator() : simulated(ingestStep);
            ReadingPump pump = new ReadingPump(connection, readings, eventSpeedup);
            open.add(0, pump);
            pump.start();
            out.printf(Locale.ROOT, "Ready in %.1f s: broker %s, %s at %.0f× real time; metrics at http://%s:%d/metrics%n",
                    (System.nanoTime() - t0) / 1e9, bootstrap,
                    csv != null ? "replaying " + csv.getFileName() : sensors + " simulated sensors", eventSpeedup,
                    metrics.address(), http.port());
            out.println("Windows of " + ingestConfig.window() + " steps fill first; training starts once sequences arrive. Ctrl-C stops.");
            out.flush();

            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            int ticks = 0;
            while (!stop.await(2000) && System.nanoTime() < deadline) {
                out.println(progressLine(registry, trainer, pump, (System.nanoTime() - t0) / 1e9));
                if (++ticks % 5 == 0) {
                    forecasts.latest().forEach(line -> out.println("    " + line));
                }
                out.flush();
                if (!trainer.isRunning()) {
                    throw new IllegalStateException("trainer stopped: " + trainer.failure().map(Throwable::getMessage).orElse("unknown reason"));
                }
            }
            out.println("Stopping …");
            out.flush();
            return 0;
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    spec.commandLine().getErr().println("demo: closing " + c.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
            if (temporary) {
                TemporaryDirectory.deleteRecursively(dir);
            }
            stop.finished();
        }
    }

    private Iterator<Reading> simulated(Duration ingestStep) {
        long start = (System.currentTimeMillis() - Duration.ofDays(30).toMillis()) / ingestStep.toMillis() * ingestStep.toMillis();
        return new SensorSimulator(sensors, seed, start, ingestStep).readings();
    }

    static Duration medianSpacing(List<Reading> readings) {
        if (readings.size() < 2) {
            throw new IllegalArgumentException("the CSV needs at least two readings");
        }
        long[] gaps = new long[readings.size() - 1];
        for (int i = 1; i < readings.size(); i++) {
            gaps[i - 1] = readings.get(i).ts() - readings.get(i - 1).ts();
        }
        java.util.Arrays.sort(gaps);
        long median = gaps[gaps.length / 2];
        if (median <= 0) {
            throw new IllegalArgumentException("the CSV's timestamps do not increase");
        }
        return Duration.ofMillis(median);
    }

    private static String progressLine(MeterRegistry registry, TrainerService trainer, ReadingPump pump, double seconds) {
        OnlineTrainer t = trainer.trainer();
        StepReport r = t.lastReport();
        String training = r == null ? "waiting for sequences"
                : String.format(Locale.ROOT, "step %d loss %.4f pre-clip norm %.3g clipped %.0f explosions %.0f lr %.2g",
                t.step(), r.loss(), r.preClipNorm(), count(registry, "sensorcast.trainer.gradient.clipped"),
                count(registry, "sensorcast.trainer.gradient.explosions"), t.learningRate());
        return String.format(Locale.ROOT, "[%5.0fs] readings %,d (event time %s) | sequences %,.0f | dead letters %,.0f | %s | checkpoint v%d | forecasts lstm %,.0f persistence %,.0f",
                seconds, pump.sent(), pump.eventTime(), count(registry, "sensorcast.ingest.sequences"),
                count(registry, "sensorcast.ingest.dead.letters"), training, trainer.publishedVersion(),
                count(registry, "sensorcast.serve.forecasts", "method", "lstm"),
                count(registry, "sensorcast.serve.forecasts", "method", "persistence"));
    }

    private static double count(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double count(MeterRegistry registry, String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Follows {@code forecasts} (read-committed) and keeps the latest forecast of the first few sensors it sees. */
    static final class ForecastTail implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final Map<String, String> latest = new java.util.concurrent.ConcurrentSkipListMap<>();
        private final int sensors;
        private final Thread thread;
        private volatile boolean stopped;

        ForecastTail(KafkaConnection connection, int sensors) {
            Map<String, Object> p = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            this.consumer = new KafkaConsumer<>(connection.consumer(p), new StringDeserializer(), new StringDeserializer());
            this.sensors = sensors;
            this.thread = new Thread(this::run, "sensorcast-demo-forecasts");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            ObjectMapper json = new ObjectMapper();
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(Topics.FORECASTS).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(parts);
            while (!stopped) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (latest.size() < sensors || latest.containsKey(r.key())) {
                        latest.put(r.key(), describe(json, r.value()));
                    }
                }
            }
            consumer.close(Duration.ofSeconds(2));
        }

        private static String describe(ObjectMapper json, String value) {
            try {
                JsonNode f = json.readTree(value);
                JsonNode points = f.get("points");
                StringBuilder sb = new StringBuilder();
                sb.append(f.get("sensor").asText()).append(" from ")
                        .append(Instant.ofEpochMilli(f.get("issuedAt").asLong()).toString(), 0, 16).append("Z ")
                        .append(f.get("method").asText());
                if (f.hasNonNull("modelVersion")) {
                    sb.append(" v").append(f.get("modelVersion").asLong());
                }
                sb.append(':');
                for (int i = 0; i < points.size(); i += Math.max(1, points.size() / 4)) {
                    JsonNode pt = points.get(i);
                    sb.append(String.format(Locale.ROOT, "  +%d %.2f [%.2f, %.2f]", i + 1, pt.get("value").asDouble(),
                            pt.get("lo").asDouble(), pt.get("hi").asDouble()));
                }
                return sb.toString();
            } catch (Exception e) {
                return "(unreadable forecast: " + e.getMessage() + ")";
            }
        }

        List<String> latest() {
            return List.copyOf(latest.values());
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(3000);
        }
    }


    /**
     * Sends readings to sensor-readings on its own thread, paced either by event time ({@code speedup}× real time:
     * the demo) or by count ({@code readingsPerSecond}, whatever their timestamps: the soak).
     */
    static final class ReadingPump implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final Iterator<Reading> readings;
        private final double speedup;
        private final double readingsPerSecond;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong lastTs = new AtomicLong();
        private final Thread thread;
        private volatile boolean stopped;

        ReadingPump(KafkaConnection connection, Iterator<Reading> readings, double speedup) {
            this(connection, readings, speedup, 0);
        }

        /** A pump that sends {@code readingsPerSecond} readings each second. */
        static ReadingPump atRate(KafkaConnection connection, Iterator<Reading> readings, double readingsPerSecond) {
            return new ReadingPump(connection, readings, 0, readingsPerSecond);
        }

        private ReadingPump(KafkaConnection connection, Iterator<Reading> readings, double speedup, double readingsPerSecond) {
            // it feeds topics created moments before
            this.producer = new KafkaProducer<>(connection.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, ProduceCommand.READINGS_IN_FLIGHT)),
                    new StringSerializer(), new ByteArraySerializer());
            this.readings = readings;
            this.speedup = speedup;
            this.readingsPerSecond = readingsPerSecond;
            this.thread = new Thread(this::run, "sensorcast-demo-readings");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            long startNanos = System.nanoTime();
            long firstTs = Long.MIN_VALUE;
            while (!stopped && readings.hasNext()) {
                Reading r = readings.next();
                if (firstTs == Long.MIN_VALUE) {
                    firstTs = r.ts();
                }
                long due = startNanos + (long) (readingsPerSecond > 0 ? sent.get() * 1e9 / readingsPerSecond
                        : (r.ts() - firstTs) * 1e6 / speedup);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                producer.send(new ProducerRecord<>(Topics.READINGS, r.sensor(), r.toJsonBytes()));
                sent.incrementAndGet();
                lastTs.set(r.ts());
            }
            producer.flush();
        }

        long sent() {
            return sent.get();
        }

        String eventTime() {
            long ts = lastTs.get();
            return ts == 0 ? "-" : Instant.ofEpochMilli(ts).toString().substring(0, 16) + "Z";
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(5000);
            producer.close(Duration.ofSeconds(5));
        }
    }
}
