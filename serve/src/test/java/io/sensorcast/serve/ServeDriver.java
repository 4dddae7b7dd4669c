package io.sensorcast.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.checkpoint.CheckpointEnvelope;
import io.sensorcast.model.checkpoint.ModelPayload;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * TopologyTestDriver fixture for {@link ServeTopology}: a small model shape (W = 12, horizon 4, 8 hidden units), a
 * fixed latency clock, a Prometheus registry, and builders for sequences and checkpoint envelopes.
 */
final class ServeDriver implements AutoCloseable {
    static final int W = 12;
    static final int H = 4;
    static final long STEP = 60_000L;
    /** 2024-11-24T10:00:00Z. */
    static final long T0 = 1_732_442_400_000L;
    /** The wall clock latency is measured with: 40 ms after {@link #ARRIVED}. */
    static final long ARRIVED = 1_800_000_000_000L;
    static final ModelConfig MODEL = ModelConfig.defaults().withShape(W, H).withHidden(8);
    // full-window inference: these specifications compare forecasts with the exact full-window ones
    static final ServeConfig CONFIG = ServeConfig.defaults().withModel(MODEL).withBatching(1, Duration.ofMillis(20))
            .withStatefulInference(false, 72);

    final ServeConfig config;
    final ModelRegistry models;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final TopologyTestDriver driver;
    final TestInputTopic<String, SensorSequence> sequences;
    final TestInputTopic<String, byte[]> checkpoints;
    final TestOutputTopic<String, Forecast> forecasts;

    ServeDriver() {
        this(CONFIG);
    }

    ServeDriver(ServeConfig config) {
        this(config, new ModelRegistry());
    }

    /** With a registry shared with other drivers, as the stream threads of one instance share theirs. */
    ServeDriver(ServeConfig config, ModelRegistry models) {
        this.config = config;
        this.models = models;
        Properties props = config.streamsProperties("dummy:9092");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("serve-ttd-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Clock clock = Clock.fixed(Instant.ofEpochMilli(ARRIVED + 40), ZoneOffset.UTC);
        driver = new TopologyTestDriver(ServeTopology.build(config, models, registry, clock), props, Instant.ofEpochMilli(0L));
        sequences = driver.createInputTopic(config.sequencesTopic(), Serdes.String().serializer(),
                SensorSequenceJson.serde().serializer());
        checkpoints = driver.createInputTopic(config.checkpointsTopic(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        forecasts = driver.createOutputTopic(config.forecastsTopic(), Serdes.String().deserializer(),
                Forecast.serde().deserializer());
    }

    /** Pipes a sequence with record timestamp = its end. */
    void pipe(SensorSequence s) {
        sequences.pipeInput(s.sensor(), s, s.end());
    }

    void pipeCheckpoint(String key, byte[] envelope, long timestamp) {
        checkpoints.pipeInput(key, envelope, timestamp);
    }

    /** A sequence ending at {@code end}, every step observed, arrived at {@link #ARRIVED}. */
    static SensorSequence sequence(String sensor, long end, float[] values, double mean, double std) {
        byte[] observed = new byte[values.length];
        Arrays.fill(observed, (byte) 1);
        return new SensorSequence(sensor, end, STEP, values, observed, mean, std, ARRIVED);
    }

    /** W values rising by 0.05 per step to 0.5 at the end. */
    static float[] rising() {
        float[] v = new float[W];
        for (int i = 0; i < W; i++) {
            v[i] = 0.5f - 0.05f * (W - 1 - i);
        }
        return v;
    }

    /** A freshly initialised network of the test shape with its own seed (different seeds ⇒ different weights). */
    static MultiLayerNetwork network(long seed) {
        return ForecastNetworkFactory.build(MODEL.withSeed(seed));
    }

    static byte[] envelope(String modelId, long version, MultiLayerNetwork network, int window, int horizon,
                           Optional<byte[]> hmacKey) {
        return CheckpointEnvelope.create(modelId, version, version * 100, T0, window, horizon, "{}",
                Map.of("loss", 0.1), Map.of(), ModelPayload.write(network), hmacKey).encode();
    }

    static byte[] envelope(String modelId, long version, MultiLayerNetwork network) {
        return envelope(modelId, version, network, W, H, Optional.empty());
    }

    double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    List<Forecast> readAll() {
        return forecasts.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
