package io.sensorcast.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.kafka.CommittedOffsets;
import io.sensorcast.kafka.EmbeddedKafkaBroker;
import io.sensorcast.kafka.KafkaStreamsCopyBenchmark;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest throughput against the raw broker, measured in the same run on the same records.
 *
 * <p>{@code sensors × steps} simulator readings (one per sensor per one-minute step, keyed by sensor) are produced
 * as fast as one producer can. <b>Passthrough</b>: a plain consumer reads them back; the rate is records ÷ time from
 * the first send until the consumer has seen the last. <b>Ingest</b>: the real {@link IngestTopology} in a
 * {@link IngestService} consumes them; the rate is records ÷ time from the first send until the application's
 * committed offsets cover every record (under exactly-once that means its outputs and state changelog are
 * committed too). Both use the same producer settings, partitions and broker, and each is first warmed up on the
 * same records (unmeasured, {@code warmupFraction}), so JIT compilation does not favour either side. The
 * passthrough is measured before and after the ingest run and the faster of the two counts, so load from other work
 * on the machine during the ingest run cannot flatter the ratio.
 *
 * <p>{@code IngestBenchmark.run(IngestBenchmark.Params.defaults())} starts its own embedded broker;
 * {@link #run(Params, String)} uses an existing one.
 */
public final class IngestBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(IngestBenchmark.class);
    private static final long T0 = 1_732_440_000_000L;

    /**
     * @param sensors         simulated sensors
     * @param steps           one-minute steps per sensor; readings = sensors × steps. The default (W + 8) makes
     *                        every sensor emit sequences at the end of the run, so the sequence path is measured too
     * @param partitions      partitions of the readings / passthrough topics
     * @param ingest          the ingest configuration under test (threads, commit interval, guarantee, W)
     * @param producerLingerMs the producers' linger (both runs)
     * @param producerBatchBytes the producers' batch size (both runs)
     */
    public record Params(int sensors, int steps, int partitions, IngestConfig ingest, int producerLingerMs,
                         int producerBatchBytes, double warmupFraction, Duration timeout) {

        /** 10,000 sensors × 104 steps, 4 partitions; ingest tuned for throughput (see {@link #tunedIngest()}). */
        public static Params defaults() {
            IngestConfig ingest = tunedIngest();
            return new Params(10_000, ingest.window() + 8, 4, ingest, 20, 512 * 1024, 1.0, Duration.ofMinutes(5));
        }

        /**
         * The ingest defaults (exactly-once v2, W = 96, hop 1) with the throughput knobs turned: a 1 s commit
         * interval (fewer transactions, and each sensor's state written once per commit however many readings it
         * had), two stream threads, and larger producer batches and fetches.
         */
        public static IngestConfig tunedIngest() {
            return IngestConfig.defaults()
                    .withCommitInterval(Duration.ofSeconds(1))
                    .withStreamThreads(2)
                    .withStreamsOverrides(Map.of(
                            StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20,
                            StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 512 * 1024,
                            StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 5000,
                            StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 64 * 1024,
                            StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50));
        }

        public Params withSensors(int v) {
            return new Params(v, steps, partitions, ingest, producerLingerMs, producerBatchBytes, warmupFraction, timeout);
        }

        public Params withSteps(int v) {
            return new Params(sensors, v, partitions, ingest, producerLingerMs, producerBatchBytes, warmupFraction, timeout);
        }

        public Params withPartitions(int v) {
            return new Params(sensors, steps, v, ingest, producerLingerMs, producerBatchBytes, warmupFraction, timeout);
        }

        public Params withWarmupFraction(double v) {
            return new Params(sensors, steps, partitions, ingest, producerLingerMs, producerBatchBytes, v, timeout);
        }

        public Params withIngest(IngestConfig v) {
            return new Params(sensors, steps, partitions, v, producerLingerMs, producerBatchBytes, warmupFraction, timeout);
        }

        /** The parameters as they go into the results JSON. */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sensors", sensors);
            m.put("steps", steps);
            m.put("readings", (long) sensors * steps);
            m.put("partitions", partitions);
            m.put("window", ingest.window());
            m.put("hop", ingest.hop());
            m.put("processingGuarantee", ingest.processingGuarantee());
            m.put("commitIntervalMs", ingest.commitInterval().toMillis());
            m.put("streamThreads", ingest.streamThreads());
            m.put("producerLingerMs", producerLingerMs);
            m.put("producerBatchBytes", producerBatchBytes);
            m.put("warmupFraction", warmupFraction);
            return m;
        }
    }

    /**
     * @param readingsPerSecond    through the ingest topology
     * @param passthroughPerSecond plain producer → consumer (the faster of the runs before and after ingest)
     * @param ratio                readingsPerSecond ÷ passthroughPerSecond
     * @param streamsCopyPerSecond a Kafka Streams application with ingest's settings that only copies the same
     *                             readings to a topic ({@link KafkaStreamsCopyBenchmark}): what any topology writing
     *                             one record per reading could reach here
     * @param streamsConsumePerSecond the same application reading the readings and writing nothing
     *                             ({@link KafkaStreamsCopyBenchmark#consumeOnly}): what any topology could reach here,
     *                             whatever it writes
     * @param params               {@link Params#asMap()} plus what the run produced ({@code sequences},
     *                             {@code deadLetters}, elapsed seconds)
     */
    public record Result(double readingsPerSecond, double passthroughPerSecond, double ratio, double streamsCopyPerSecond,
                         double streamsConsumePerSecond, Map<String, Object> params) {
    }

    private IngestBenchmark() {
    }

    /** Runs on a fresh embedded broker in a temporary directory, removed afterwards. */
    public static Result run(Params params) {
        Path dir = tempDir("sensorcast-bench-broker-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir)) {
            return run(params, broker.bootstrapServers());
        } finally {
            TemporaryDirectory.deleteRecursively(dir);
        }
    }

    /** Runs against an existing cluster; creates uniquely named topics and leaves them behind. */
    public static Result run(Params params, String bootstrapServers) {
        List<byte[][]> records = generate(params);
        String id = UUID.randomUUID().toString().substring(0, 8);
        long n = records.size();
        // every measured run is preceded by the same unmeasured run on these
        List<byte[][]> warmup = records.subList(0, (int) (n * params.warmupFraction()));

        // warm-up: the records (all by default) through the passthrough, unmeasured
        passthrough(bootstrapServers, params, warmup, "bench-warmup-" + id);
        long cpu0 = processCpuNanos();
        double passthroughSeconds = passthrough(bootstrapServers, params, records, "bench-passthrough-" + id);
        double passthroughCpu = (processCpuNanos() - cpu0) / 1e9;
        LOG.info("passthrough (before ingest): {} records in {} s = {} records/s", n, fmt(passthroughSeconds), fmt(n / passthroughSeconds));

        // warm-up: the same through a separate ingest application, unmeasured: in a run this short, compiling the
        // Streams, transaction and RocksDB paths would otherwise cost the measured run more CPU than processing
        ingest(bootstrapServers, params, warmup, "warmup-" + id, new SimpleMeterRegistry());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long cpu1 = processCpuNanos();
        double ingestSeconds = ingest(bootstrapServers, params, records, id, registry);
        double ingestCpu = (processCpuNanos() - cpu1) / 1e9;
        // the framework's ceiling: Kafka Streams with ingest's settings copying the same readings, one output each
        streamsCopy(bootstrapServers, params, warmup);
        double copySeconds = streamsCopy(bootstrapServers, params, records);
        LOG.info("Kafka Streams copy with ingest's settings: {} records in {} s = {} records/s", n, fmt(copySeconds), fmt(n / copySeconds));
        // and its floor: the same application only reading them (any topology consumes at least this much)
        streamsConsume(bootstrapServers, params, warmup);
        double consumeSeconds = streamsConsume(bootstrapServers, params, records);
        LOG.info("Kafka Streams consuming only, ingest's settings: {} records in {} s = {} records/s", n, fmt(consumeSeconds),
                fmt(n / consumeSeconds));
        double passthroughAfterSeconds = passthrough(bootstrapServers, params, records, "bench-passthrough-after-" + id);
        LOG.info("passthrough (after ingest): {} records in {} s = {} records/s", n, fmt(passthroughAfterSeconds),
                fmt(n / passthroughAfterSeconds));
        // the peer gets the better of its two runs: on a machine shared with other work, load changes during a run
        double passthroughRate = n / Math.min(passthroughSeconds, passthroughAfterSeconds);
        double ingestRate = n / ingestSeconds;
        double sequences = registry.get("sensorcast.ingest.sequences").counter().count();
        double deadLetters = registry.find("sensorcast.ingest.dead.letters").counters().stream().mapToDouble(c -> c.count()).sum();
        LOG.info("ingest: {} readings in {} s = {} readings/s, {} sequences, {} dead letters; CPU s (whole JVM, broker "
                        + "included): ingest {}, passthrough {}", n, fmt(ingestSeconds), fmt(ingestRate), (long) sequences,
                (long) deadLetters, fmt(ingestCpu), fmt(passthroughCpu));

        Map<String, Object> p = params.asMap();
        p.put("sequences", (long) sequences);
        p.put("deadLetters", (long) deadLetters);
        p.put("ingestSeconds", round(ingestSeconds));
        p.put("streamsCopySeconds", round(copySeconds));
        p.put("streamsConsumeSeconds", round(consumeSeconds));
        p.put("passthroughSeconds", round(passthroughSeconds));
        p.put("passthroughAfterSeconds", round(passthroughAfterSeconds));
        // CPU of the whole JVM (broker, producer, consumer or streams) per phase: a fairer comparison than wall
        // time on a machine shared with other work, and a view of what each reading costs
        p.put("ingestCpuSeconds", round(ingestCpu));
        p.put("passthroughCpuSeconds", round(passthroughCpu));
        return new Result(round(ingestRate), round(passthroughRate), Math.round(ingestRate / passthroughRate * 1000) / 1000.0,
                round(n / copySeconds), round(n / consumeSeconds), p);
    }

    private static double ingest(String bootstrapServers, Params params, List<byte[][]> records, String id, SimpleMeterRegistry registry) {
        Path stateDir = tempDir("sensorcast-bench-state-");
        IngestConfig config = params.ingest()
                .withApplicationId("sensorcast-bench-ingest-" + id)
                .withTopics("bench-readings-" + id, "bench-sequences-" + id, "bench-dlq-" + id)
                .withTopicPartitions(params.partitions())
                .withStateDir(stateDir);
        try (IngestService service = IngestService.start(config, bootstrapServers, registry)) {
            if (!service.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("ingest did not reach RUNNING, state " + service.state());
            }
            Map<String, Long> threads0 = LOG.isDebugEnabled() ? threadCpuByGroup() : Map.of();
            long cpu0 = processCpuNanos();
            long jit0 = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long gc0 = gcMillis();
            double seconds = timeIngest(bootstrapServers, params, config, records);
            if (LOG.isDebugEnabled()) {
                long cpu = processCpuNanos() - cpu0;
                StringBuilder sb = new StringBuilder();
                long javaNanos = 0;
                for (Map.Entry<String, Long> e : threadCpuByGroup().entrySet()) {
                    long d = e.getValue() - threads0.getOrDefault(e.getKey(), 0L);
                    javaNanos += d;
                    if (d > 100_000_000L) {
                        sb.append(String.format(java.util.Locale.ROOT, "%n  %s=%.1f", e.getKey(), d / 1e9));
                    }
                }
                LOG.debug("ingest {}: process CPU {} s, of which Java threads {} s (rest: GC, JIT, RocksDB native); JIT {} s, "
                        + "GC {} s:{}", id, fmt(cpu / 1e9), fmt(javaNanos / 1e9),
                        fmt((java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0) / 1e3),
                        fmt((gcMillis() - gc0) / 1e3), sb);
            }
            return seconds;
        } finally {
            TemporaryDirectory.deleteRecursively(stateDir);
        }
    }

    private static double streamsCopy(String bootstrap, Params params, List<byte[][]> records) {
        // the copy runs in a state directory of its own
        return KafkaStreamsCopyBenchmark.run(bootstrap, params.ingest().streamsProperties(bootstrap), params.partitions(),
                records, producerSettings(params), params.timeout()).seconds();
    }

    private static double streamsConsume(String bootstrap, Params params, List<byte[][]> records) {
        return KafkaStreamsCopyBenchmark.consumeOnly(bootstrap, params.ingest().streamsProperties(bootstrap), params.partitions(),
                records, producerSettings(params), params.timeout()).seconds();
    }

    /** One reading per sensor per step, keyed by sensor, in event-time order (step by step). */
    static List<byte[][]> generate(Params params) {
        SensorSimulator sim = new SensorSimulator(params.sensors(), 42, T0, Duration.ofMinutes(1));
        byte[][] keys = new byte[params.sensors()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = SensorSimulator.sensorId(i).getBytes(StandardCharsets.UTF_8);
        }
        List<byte[][]> out = new ArrayList<>(params.sensors() * params.steps());
        for (int s = 0; s < params.steps(); s++) {
            List<Reading> tick = sim.tick();
            for (int i = 0; i < tick.size(); i++) {
                out.add(new byte[][] {keys[i], tick.get(i).toJsonBytes()});
            }
        }
        return out;
    }

    private static double passthrough(String bootstrap, Params params, List<byte[][]> records, String topic) {
        TopicAdministrator.ensureTopics(bootstrap, List.of(new TopicSpec(topic, params.partitions(), Map.of())), Duration.ofSeconds(30));
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        AtomicLong received = new AtomicLong();
        long deadline = System.nanoTime() + params.timeout().toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (consumer.assignment().isEmpty()) {   // join the group before the clock starts
                consumer.poll(Duration.ofMillis(50));
                checkDeadline(deadline, "passthrough consumer did not get partitions");
            }
            long start = System.nanoTime();
            Thread producing = KafkaStreamsCopyBenchmark.sendInBackground(bootstrap, topic, records, producerSettings(params));
            while (received.get() < records.size()) {
                received.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
                checkDeadline(deadline, "passthrough received " + received.get() + " of " + records.size());
            }
            long elapsed = System.nanoTime() - start;
            join(producing);
            return elapsed / 1e9;
        }
    }

    private static double timeIngest(String bootstrap, Params params, IngestConfig config, List<byte[][]> records) {
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + params.timeout().toNanos();
        try (Admin admin = Admin.create(a)) {
            long start = System.nanoTime();
            Thread producing = KafkaStreamsCopyBenchmark.sendInBackground(bootstrap, config.readingsTopic(), records, producerSettings(params));
            long committed = 0;
            while (committed < records.size()) {
                committed = CommittedOffsets.sum(admin, config.applicationId(), config.readingsTopic());
                if (committed < records.size()) {
                    checkDeadline(deadline, "ingest committed " + committed + " of " + records.size());
                    sleep(50);
                }
            }
            long elapsed = System.nanoTime() - start;
            join(producing);
            return elapsed / 1e9;
        }
    }

    private static Map<String, Object> producerSettings(Params params) {
        return Map.of(ProducerConfig.LINGER_MS_CONFIG, params.producerLingerMs(),
                ProducerConfig.BATCH_SIZE_CONFIG, params.producerBatchBytes(),
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkDeadline(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("benchmark timed out: " + what);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** CPU time of live Java threads, summed by name with digits and ids removed (dev diagnostics). */
    private static Map<String, Long> threadCpuByGroup() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = mx.getThreadCpuTime(t.getThreadId());
            if (cpu > 0) {
                String group = t.getThreadName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "X").replaceAll("\\d+", "N");
                out.merge(group, cpu, Long::sum);
            }
        }
        return out;
    }

    private static long gcMillis() {
        long sum = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double round(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static String fmt(double x) {
        return String.format(java.util.Locale.ROOT, "%.1f", x);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** For development: {@code java … io.sensorcast.ingest.IngestBenchmark [sensors] [steps] [threads] [commitMs] [guarantee]}. */
    public static void main(String[] args) {
        Params p = Params.defaults();
        if (args.length > 0) {
            p = p.withSensors(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            p = p.withSteps(Integer.parseInt(args[1]));
        }
        if (args.length > 2) {
            p = p.withIngest(p.ingest().withStreamThreads(Integer.parseInt(args[2])));
        }
        if (args.length > 3) {
            p = p.withIngest(p.ingest().withCommitInterval(Duration.ofMillis(Long.parseLong(args[3]))));
        }
        if (args.length > 4) {
            p = p.withIngest(p.ingest().withProcessingGuarantee(args[4]));
        }
        Result r = run(p);
        System.out.println(r);
    }
}
