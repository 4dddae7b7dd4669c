package io.sensorcast.ops.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestService;
import io.sensorcast.ops.KafkaConnection;
import io.sensorcast.ops.Settings;
import io.sensorcast.ops.Telemetry;
import io.sensorcast.ops.http.MetricsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the ingest service until Ctrl-C: sensor-readings -> sensor-sequences, bad readings to sensor-readings.dlq.",
                "Settings (defaults in IngestConfig; --config FILE, then env SENSORCAST_INGEST_<KEY>, then flags):",
                "  ingest.step=1m  ingest.grace=2m  ingest.max-gap=5  ingest.window=96  ingest.hop=1",
                "  ingest.forgetting-factor=1.0  ingest.processing-guarantee=exactly_once_v2  ingest.commit-interval=20ms",
                "  ingest.stream-threads=1  ingest.state-dir=sensorcast-data/ingest-state  ingest.partitions=6",
                "  ingest.application-id=sensorcast-ingest"})
public final class IngestCommand implements Callable<Integer> {
    static final int DEFAULT_METRICS_PORT = 9401;
    /** Beside the broker's default {@code sensorcast-data/kafka}: Kafka Streams' own default is under the OS temp directory, which a reboot may clear. */
    static final String DEFAULT_STATE_DIR = "sensorcast-data/ingest-state";
    static final Set<String> KEYS = Set.of("ingest.step", "ingest.grace", "ingest.max-gap", "ingest.window", "ingest.hop",
            "ingest.forgetting-factor", "ingest.processing-guarantee", "ingest.commit-interval", "ingest.stream-threads",
            "ingest.state-dir", "ingest.partitions", "ingest.application-id");

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with ingest.* settings.")
    Path config;

    @Option(names = "--step", description = "Resampling step, e.g. 1m.")
    String step;

    @Option(names = "--grace", description = "How late a reading may be, e.g. 2m.")
    String grace;

    @Option(names = "--window", description = "Steps per sequence (W).")
    String window;

    @Option(names = "--max-gap", description = "Longest gap (in steps) that is interpolated.")
    String maxGap;

    @Option(names = "--state-dir", description = "Directory of the RocksDB state stores (default: " + DEFAULT_STATE_DIR + ").")
    String stateDir;

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("ingest.step", step);
        flags.put("ingest.grace", grace);
        flags.put("ingest.window", window);
        flags.put("ingest.max-gap", maxGap);
        flags.put("ingest.state-dir", stateDir);
        Settings settings = Settings.load(KEYS, config, System.getenv(), flags);
        KafkaConnection connection = kafka.connection(settings);
        IngestConfig cfg = ingestConfig(settings).withStreamsOverrides(connection.clientSettings());

        PrometheusMeterRegistry registry = Telemetry.registry("ingest");
        StopSignal stop = StopSignal.onShutdown();
        try (IngestService service = IngestService.start(cfg, connection.bootstrapServers(), registry)) {
            return StreamsServiceRun.untilStopped(stop, spec, metrics, DEFAULT_METRICS_PORT, registry, "ingest", service::state,
                    () -> MetricsServer.Readiness.of(service.isReady(), service.readinessState()),
                    String.format("%s -> %s (step %s, window %d)", cfg.readingsTopic(), cfg.sequencesTopic(), cfg.step(), cfg.window()));
        } finally {
            stop.finished(); // only now: the service above is closed
        }
    }

    static IngestConfig ingestConfig(Settings s) {
        IngestConfig c = IngestConfig.defaults();
        if (s.has("ingest.application-id")) c = c.withApplicationId(s.string("ingest.application-id"));
        if (s.has("ingest.step")) c = c.withStep(s.duration("ingest.step"));
        if (s.has("ingest.grace")) c = c.withGrace(s.duration("ingest.grace"));
        if (s.has("ingest.max-gap")) c = c.withMaxGapSteps(s.integer("ingest.max-gap"));
        if (s.has("ingest.window")) c = c.withWindow(s.integer("ingest.window"));
        if (s.has("ingest.hop")) c = c.withHop(s.integer("ingest.hop"));
        if (s.has("ingest.forgetting-factor")) c = c.withForgettingFactor(s.decimal("ingest.forgetting-factor"));
        if (s.has("ingest.processing-guarantee")) c = c.withProcessingGuarantee(s.string("ingest.processing-guarantee"));
        if (s.has("ingest.commit-interval")) c = c.withCommitInterval(s.duration("ingest.commit-interval"));
        if (s.has("ingest.stream-threads")) c = c.withStreamThreads(s.integer("ingest.stream-threads"));
        c = c.withStateDir(Path.of(s.has("ingest.state-dir") ? s.string("ingest.state-dir") : DEFAULT_STATE_DIR));
        if (s.has("ingest.partitions")) c = c.withTopicPartitions(s.integer("ingest.partitions"));
        return c;
    }

}
