package io.sensorcast.serve;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.TopicSpec;
import io.sensorcast.kafka.Topics;
import io.sensorcast.kafka.StaticMembership;
import io.sensorcast.kafka.StreamsReadiness;
import io.sensorcast.kafka.ClusterBoundState;
import io.sensorcast.kafka.ClusterReachability;
import io.sensorcast.kafka.StreamThreadRecovery;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running serve service: makes sure its topics exist, starts Kafka Streams on {@link ServeTopology}, and binds
 * the Kafka Streams client metrics into the given registry.
 *
 * <pre>{@code
 * try (ServeService serve = ServeService.start(ServeConfig.defaults(), "localhost:9092", registry)) {
 *     serve.awaitRunning(Duration.ofSeconds(30));
 *     ... // /health: serve.isRunning(); serve.models().version("default")
 * }
 * }</pre>
 * Fails fast with {@link io.sensorcast.kafka.KafkaUnreachableException} when the cluster does not answer.
 */
public final class ServeService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServeService.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final ClusterReachability cluster;
    private final ModelRegistry models;

    private ServeService(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, ClusterReachability cluster,
                         ModelRegistry models) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.cluster = cluster;
        this.models = models;
    }

    /** Creates missing topics (within 30 s), then starts the streams client; returns without waiting for RUNNING. */
    public static ServeService start(ServeConfig config, String bootstrapServers, MeterRegistry registry) {
        return start(config, bootstrapServers, registry, Duration.ofSeconds(30));
    }

    public static ServeService start(ServeConfig config, String bootstrapServers, MeterRegistry registry, Duration topicTimeout) {
        java.util.Properties props = config.streamsProperties(bootstrapServers);
        // the admin view of the streams settings: bootstrap servers plus any security settings, for every client
        Map<String, Object> adminConfig = new StreamsConfig(props).getAdminConfigs(config.applicationId() + "-admin");
        List<String> created = TopicAdministrator.ensureTopics(adminConfig, topicsFor(config), topicTimeout);
        if (!created.isEmpty()) {
            LOG.info("Created topics {}", created);
        }
        ModelRegistry models = new ModelRegistry();
        KafkaStreams streams = new KafkaStreams(ServeTopology.build(config, models, registry, Clock.systemUTC()), props);
        streams.setStateListener((now, before) -> LOG.info("Serve state {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(new StreamThreadRecovery("serve", registry));
        ClusterReachability cluster = ClusterReachability.watch(adminConfig, StreamsReadiness.PROBE_EVERY);
        ClusterBoundState.claim(streams, props, cluster, topicTimeout);
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        streams.start();
        return new ServeService(streams, metrics, cluster, models);
    }

    /** The topics serve reads and writes, as {@link Topics} declares them, under the configured names. */
    public static List<TopicSpec> topicsFor(ServeConfig config) {
        Map<String, String> names = Map.of(Topics.SEQUENCES, config.sequencesTopic(), Topics.CHECKPOINTS,
                config.checkpointsTopic(), Topics.FORECASTS, config.forecastsTopic());
        return Topics.all(config.topicPartitions()).stream()
                .filter(t -> names.containsKey(t.name()))
                .map(t -> new TopicSpec(names.get(t.name()), t.partitions(), t.configs()))
                .collect(Collectors.toList());
    }

    /** The live models (model id → version), e.g. for readiness or a status line. */
    public ModelRegistry models() {
        return models;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** True while processing (RUNNING) or catching up after a rebalance (REBALANCING): the readiness answer. */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /**
     * Readiness: processing (or rebalancing) and the cluster answers. During a broker outage Kafka Streams stays
     * RUNNING, so this is what tells an orchestrator or a load balancer that nothing moves.
     */
    public boolean isReady() {
        return isRunning() && cluster.reachable();
    }

    /** The state behind {@link #isReady()}, e.g. "RUNNING, cluster unreachable for 12 s". */
    public String readinessState() {
        return streams.state() + ", cluster " + cluster.describe();
    }

    /** Waits until RUNNING; false if it did not get there in time or stopped. */
    public boolean awaitRunning(Duration timeout) {
        return StreamsReadiness.awaitRunning(streams, timeout);
    }

    /** The underlying client, for callers that need more (e.g. the benchmark). */
    public KafkaStreams streams() {
        return streams;
    }

    public void close(Duration timeout) {
        cluster.close();
        streamsMetrics.close();
        StaticMembership.leaveGroupAndClose(streams, timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
