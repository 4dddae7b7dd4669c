package io.sensorcast.ops.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.serve.RoutingRule;
import io.sensorcast.serve.ServeConfig;
import io.sensorcast.serve.ServeService;
import io.sensorcast.ops.KafkaConnection;
import io.sensorcast.ops.Settings;
import io.sensorcast.ops.Telemetry;
import io.sensorcast.ops.http.MetricsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the forecast service until Ctrl-C: sensor-sequences + model-checkpoints -> forecasts.",
                "Every sequence gets one forecast: method lstm with the live model's version, or persistence while its",
                "model has no verified checkpoint yet. Checkpoints are verified before they go live (HMAC when",
                "SENSORCAST_CHECKPOINT_HMAC_KEY is set); a rejected one is counted and the last good model stays.",
                "Settings (defaults in ServeConfig; --config FILE, then env SENSORCAST_SERVE_<KEY>, then flags):",
                "  serve.default-model=default  serve.routes=prefix:pump-=pumps,regex:.*\\.rpm=rpm  serve.interval-level=0.8",
                "  serve.batch-size  serve.max-wait  serve.processing-guarantee=exactly_once_v2  serve.commit-interval",
                "  serve.stream-threads  serve.state-dir=sensorcast-data/serve-state  serve.partitions  serve.application-id=sensorcast-serve",
                "  serve.stateful-inference=true (one rnnTimeStep per sensor per step, the fast path; false: a full-window pass each)",
                "  serve.require-signed=false (true: refuse to start without SENSORCAST_CHECKPOINT_HMAC_KEY)"})
public final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_METRICS_PORT = 9403;
    /** Beside the broker's default {@code sensorcast-data/kafka}, as for ingest ({@link IngestCommand#DEFAULT_STATE_DIR}). */
    static final String DEFAULT_STATE_DIR = "sensorcast-data/serve-state";
    static final Set<String> KEYS = Set.of("serve.default-model", "serve.routes", "serve.interval-level", "serve.batch-size",
            "serve.max-wait", "serve.processing-guarantee", "serve.commit-interval", "serve.stream-threads",
            "serve.state-dir", "serve.partitions", "serve.application-id", "serve.stateful-inference", "serve.require-signed");

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with serve.* settings.")
    Path config;

    @Option(names = "--route", paramLabel = "RULE", description = "Route sensors to a model: prefix:PREFIX=MODEL or regex:REGEX=MODEL (repeatable).")
    List<String> routes;

    @Option(names = "--state-dir", description = "Directory of the RocksDB state stores (default: " + DEFAULT_STATE_DIR + ").")
    String stateDir;

    @Option(names = "--stateful-inference", arity = "0..1", fallbackValue = "true",
            description = "true (default): advance each sensor's recurrent state one step per sequence (rnnTimeStep, re-seeded by a full-window pass every 72 steps), the fast path; false: re-run the whole window for every forecast.")
    String statefulInference;

    @Option(names = "--require-signed", arity = "0..1", fallbackValue = "true",
            description = "Refuse to start unless SENSORCAST_CHECKPOINT_HMAC_KEY is set, so that only checkpoints signed with that key can go live.")
    String requireSigned;

    @Override
    public Integer call() throws Exception {
        io.sensorcast.ops.NativeThreads.configure();
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("serve.routes", routes == null ? null : String.join(",", routes));
        flags.put("serve.state-dir", stateDir);
        flags.put("serve.stateful-inference", statefulInference);
        flags.put("serve.require-signed", requireSigned);
        Settings settings = Settings.load(KEYS, config, System.getenv(), flags);
        KafkaConnection connection = kafka.connection(settings);
        ServeConfig cfg = serveConfig(settings).withStreamsOverrides(connection.clientSettings());
        if (settings.has("serve.require-signed") && settings.bool("serve.require-signed") && cfg.hmacKey().isEmpty()) {
            // without a key any well-formed checkpoint goes live: an operator who asked for signatures must not get that
            throw new IllegalArgumentException("--require-signed needs the checkpoint key in SENSORCAST_CHECKPOINT_HMAC_KEY");
        }

        PrometheusMeterRegistry registry = Telemetry.registry("serve");
        StopSignal stop = StopSignal.onShutdown();
        try (ServeService service = ServeService.start(cfg, connection.bootstrapServers(), registry)) {
            return StreamsServiceRun.untilStopped(stop, spec, metrics, DEFAULT_METRICS_PORT, registry, "serve", service::state,
                    () -> MetricsServer.Readiness.of(service.isReady(), service.readinessState()),
                    String.format("%s + %s -> %s", cfg.sequencesTopic(), cfg.checkpointsTopic(), cfg.forecastsTopic()));
        } finally {
            stop.finished(); // only now: the service above is closed
        }
    }

    static ServeConfig serveConfig(Settings s) {
        ServeConfig c = ServeConfig.defaults().withHmacKey(TrainCommand.hmacKey());
        if (s.has("serve.application-id")) c = c.withApplicationId(s.string("serve.application-id"));
        if (s.has("serve.default-model")) c = c.withDefaultModelId(s.string("serve.default-model"));
        if (s.has("serve.routes")) {
            List<RoutingRule> rules = new ArrayList<>();
            for (String r : s.string("serve.routes").split(",")) {
                if (!r.isBlank()) {
                    rules.add(RoutingRule.parse(r.trim()));
                }
            }
            c = c.withRoutingRules(rules);
        }
        if (s.has("serve.interval-level")) c = c.withIntervalLevel(s.decimal("serve.interval-level"));
        if (s.has("serve.batch-size") || s.has("serve.max-wait")) {
            c = c.withBatching(s.has("serve.batch-size") ? s.integer("serve.batch-size") : c.batchSize(),
                    s.has("serve.max-wait") ? s.duration("serve.max-wait") : c.maxWait());
        }
        if (s.has("serve.processing-guarantee")) c = c.withProcessingGuarantee(s.string("serve.processing-guarantee"));
        if (s.has("serve.commit-interval")) c = c.withCommitInterval(s.duration("serve.commit-interval"));
        if (s.has("serve.stream-threads")) c = c.withStreamThreads(s.integer("serve.stream-threads"));
        c = c.withStateDir(Path.of(s.has("serve.state-dir") ? s.string("serve.state-dir") : DEFAULT_STATE_DIR));
        if (s.has("serve.partitions")) c = c.withTopicPartitions(s.integer("serve.partitions"));
        if (s.has("serve.stateful-inference")) c = c.withStatefulInference(s.bool("serve.stateful-inference"), c.reseedEvery());
        return c;
    }
}
