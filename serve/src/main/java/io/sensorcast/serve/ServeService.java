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
import io.sensorcast.kafka.StreamsReadiness;
import org.apache.kafka.streams.KafkaStreams;
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
    private final ModelRegistry models;

    private ServeService(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, ModelRegistry models) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.models = models;
    }

    /** Creates missing topics (within 30 s), then starts the streams client; returns without waiting for RUNNING. */
    public static ServeService start(ServeConfig config, String bootstrapServers, MeterRegistry registry) {
        return start(config, bootstrapServers, registry, Duration.ofSeconds(30));
    }

    public static ServeService start(ServeConfig config, String bootstrapServers, MeterRegistry registry, Duration topicTimeout) {
        List<String> created = TopicAdministrator.ensureTopics(bootstrapServers, topicsFor(config), topicTimeout);
        if (!created.isEmpty()) {
            LOG.info("Created topics {}", created);
        }
        ModelRegistry models = new ModelRegistry();
        KafkaStreams streams = new KafkaStreams(ServeTopology.build(config, models, registry, Clock.systemUTC()),
                config.streamsProperties(bootstrapServers));
        streams.setStateListener((now, before) -> LOG.info("Serve state {} -> {}", before, now));
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        streams.start();
        return new ServeService(streams, metrics, models);
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

    /** Waits until RUNNING; false if it did not get there in time or stopped. */
    public boolean awaitRunning(Duration timeout) {
        return StreamsReadiness.awaitRunning(streams, timeout);
    }

    /** The underlying client, for callers that need more (e.g. the benchmark). */
    public KafkaStreams streams() {
        return streams;
    }

    public void close(Duration timeout) {
        streamsMetrics.close();
        streams.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
