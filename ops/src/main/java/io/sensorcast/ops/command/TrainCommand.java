package io.sensorcast.ops.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.model.ClippingPolicy;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.OnlineTrainer;
import io.sensorcast.model.StepReport;
import io.sensorcast.model.TrainerService;
import io.sensorcast.model.checkpoint.CheckpointPublisherConfig;
import io.sensorcast.model.checkpoint.TrainerLoopConfig;
import io.sensorcast.ops.KafkaConnection;
import io.sensorcast.ops.Settings;
import io.sensorcast.ops.Telemetry;
import io.sensorcast.ops.http.MetricsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the online LSTM trainer until Ctrl-C: sensor-sequences -> model-checkpoints + gradient-events.",
                "It resumes from its model's latest verified checkpoint and the offsets committed with it.",
                "Settings (defaults in ModelConfig and TrainerLoopConfig; --config FILE, then env SENSORCAST_TRAIN_<KEY>, then flags):",
                "  train.model-id=default  train.cell=lstm  train.layers=1  train.hidden=64  train.window=96  train.horizon=24",
                "  train.learning-rate=1e-3  train.online-learning-rate=1e-4  train.tbptt=24  train.clip-policy=global-norm",
                "  train.clip-threshold=120  train.explosion-factor=10  train.batch-size=32  train.max-wait=1s",
                "  train.checkpoint-every-steps=100  train.checkpoint-every=60s  train.catch-up-batches=4",
                "Checkpoints are signed with HMAC-SHA256 when SENSORCAST_CHECKPOINT_HMAC_KEY is set."})
public final class TrainCommand implements Callable<Integer> {
    static final int DEFAULT_METRICS_PORT = 9402;
    static final Set<String> KEYS = Set.of("train.model-id", "train.cell", "train.layers", "train.hidden", "train.window",
            "train.horizon", "train.learning-rate", "train.online-learning-rate", "train.tbptt", "train.clip-policy",
            "train.clip-threshold", "train.explosion-factor", "train.batch-size", "train.max-wait",
            "train.checkpoint-every-steps", "train.checkpoint-every", "train.catch-up-batches");

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with train.* settings.")
    Path config;

    @Option(names = "--model-id", description = "The model this trainer owns (default: default).")
    String modelId;

    @Option(names = "--batch-size", description = "Windows (across sensors) per training step.")
    String batchSize;

    @Option(names = "--clip-threshold", description = "Global-norm clip threshold (DL4J units; see ModelConfig).")
    String clipThreshold;

    @Override
    public Integer call() throws Exception {
        io.sensorcast.ops.NativeThreads.configure();
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("train.model-id", modelId);
        flags.put("train.batch-size", batchSize);
        flags.put("train.clip-threshold", clipThreshold);
        Settings s = Settings.load(KEYS, config, System.getenv(), flags);
        ModelConfig model = modelConfig(s);
        String id = s.has("train.model-id") ? s.string("train.model-id") : "default";
        KafkaConnection connection = kafka.connection(s);
        TrainerLoopConfig loop = loopConfig(s, model, id, connection.bootstrapServers(), hmacKey()).withClientOverrides(connection.clientSettings());

        PrometheusMeterRegistry registry = Telemetry.registry("trainer");
        StopSignal stop = StopSignal.onShutdown();
        try (TrainerService service = TrainerService.start(model, loop, registry, Clock.systemUTC());
             MetricsServer http = MetricsServer.start(metrics.address(), metrics.port(DEFAULT_METRICS_PORT), registry,
                     Map.of("trainer", () -> MetricsServer.Readiness.of(service.isReady(), service.readinessState())))) {
            var out = spec.commandLine().getOut();
            out.printf("train: model %s (%s, %d×%d, window %d, horizon %d) from %s; metrics at http://%s:%d/metrics. Ctrl-C stops it.%n",
                    id, model.cell().code(), model.layers(), model.hidden(), model.window(), model.horizon(),
                    loop.sequencesTopic(), metrics.address(), http.port());
            out.flush();
            long lastStep = -1;
            while (!stop.await(10_000)) {
                if (!service.isRunning()) {
                    throw new IllegalStateException("trainer stopped: " + service.failure().map(Throwable::getMessage).orElse("unknown reason"));
                }
                OnlineTrainer t = service.trainer();
                StepReport r = t.lastReport();
                if (r != null && t.step() != lastStep) {
                    lastStep = t.step();
                    out.printf(Locale.ROOT, "step %d  loss %.4f  pre-clip norm %.3g  lr %.2g  prequential MAE %.4g  checkpoint v%d%n",
                            t.step(), r.loss(), r.preClipNorm(), t.learningRate(), t.prequentialMae(), service.publishedVersion());
                    out.flush();
                }
            }
            return 0;
        } finally {
            stop.finished();
        }
    }

    static Optional<byte[]> hmacKey() {
        String key = System.getenv("SENSORCAST_CHECKPOINT_HMAC_KEY");
        return key == null || key.isEmpty() ? Optional.empty() : Optional.of(key.getBytes(StandardCharsets.UTF_8));
    }

    static ModelConfig modelConfig(Settings s) {
        ModelConfig c = ModelConfig.defaults();
        if (s.has("train.cell")) c = c.withCell(ModelConfig.Cell.fromCode(s.string("train.cell")));
        if (s.has("train.layers")) c = c.withLayers(s.integer("train.layers"));
        if (s.has("train.hidden")) c = c.withHidden(s.integer("train.hidden"));
        if (s.has("train.window")) c = c.withWindow(s.integer("train.window"));
        if (s.has("train.horizon")) c = c.withHorizon(s.integer("train.horizon"));
        if (s.has("train.learning-rate")) c = c.withLearningRate(s.decimal("train.learning-rate"));
        if (s.has("train.online-learning-rate")) c = c.withOnlineLearningRate(s.decimal("train.online-learning-rate"));
        if (s.has("train.tbptt")) c = c.withTbptt(s.integer("train.tbptt"), s.integer("train.tbptt"));
        ClippingPolicy policy = s.has("train.clip-policy") ? ClippingPolicy.fromCode(s.string("train.clip-policy")) : c.clippingPolicy();
        double threshold = s.has("train.clip-threshold") ? s.decimal("train.clip-threshold") : c.clipThreshold();
        c = c.withClipping(policy, threshold);
        if (s.has("train.explosion-factor")) c = c.withExplosionFactor(s.decimal("train.explosion-factor"));
        if (s.has("train.batch-size")) c = c.withBatchSize(s.integer("train.batch-size"));
        return c;
    }

    /** The model's settings as JSON, carried in every checkpoint so a reader knows how it was trained. */
    static String modelConfigJson(ModelConfig model) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(model);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the model config as JSON", e);
        }
    }

    static TrainerLoopConfig loopConfig(Settings s, ModelConfig model, String modelId, String bootstrap, Optional<byte[]> key) {
        CheckpointPublisherConfig checkpoints = CheckpointPublisherConfig
                .defaults(modelId, model.window(), model.horizon(), modelConfigJson(model))
                .withHmacKey(key);
        TrainerLoopConfig loop = TrainerLoopConfig.defaults(bootstrap, checkpoints)
                .withBatching(model.batchSize(), s.has("train.max-wait") ? s.duration("train.max-wait") : TrainerLoopConfig.defaults(bootstrap, checkpoints).maxWait());
        if (s.has("train.checkpoint-every-steps") || s.has("train.checkpoint-every")) {
            loop = loop.withCheckpointEvery(
                    s.has("train.checkpoint-every-steps") ? s.integer("train.checkpoint-every-steps") : loop.checkpointEverySteps(),
                    s.has("train.checkpoint-every") ? s.duration("train.checkpoint-every") : loop.checkpointEvery());
        }
        if (s.has("train.catch-up-batches")) {
            loop = loop.withCatchUpBatches(s.integer("train.catch-up-batches"));
        }
        return loop;
    }
}
