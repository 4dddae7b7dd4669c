package io.sensorcast.ops.eval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.model.checkpoint.CheckpointEnvelope;
import io.sensorcast.model.checkpoint.ModelPayload;
import io.sensorcast.serve.Forecast;
import io.sensorcast.serve.ServeConfig;
import io.sensorcast.serve.ServeTopology;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The serve topology ({@link ServeTopology#build}) in process: a model reaches it the way it reaches the live
 * service, as a checkpoint envelope on {@code model-checkpoints} (verified, then swapped in), and sequences come back
 * as {@link Forecast}s with the serving path's prediction intervals (per-sensor residual quantiles from the ledger).
 */
public final class ServeReplay implements AutoCloseable {
    private final ServeConfig config;
    private final TemporaryDirectory state;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SensorSequence> sequences;
    private final TestInputTopic<String, byte[]> checkpoints;
    private final TestOutputTopic<String, Forecast> forecasts;
    private long version;

    public ServeReplay(ServeConfig config) {
        this.config = config;
        this.state = TemporaryDirectory.create("sensorcast-eval-serve-");
        Properties props = config.streamsProperties("in-process:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.path().toString());
        driver = new TopologyTestDriver(ServeTopology.build(config, new io.sensorcast.serve.ModelRegistry(),
                new SimpleMeterRegistry(), Clock.systemUTC()), props, Instant.ofEpochMilli(0L));
        sequences = driver.createInputTopic(config.sequencesTopic(), Serdes.String().serializer(),
                SensorSequenceJson.serde().serializer());
        checkpoints = driver.createInputTopic(config.checkpointsTopic(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        forecasts = driver.createOutputTopic(config.forecastsTopic(), Serdes.String().deserializer(),
                Forecast.serde().deserializer());
    }

    /** Publishes {@code network} as the next version of the default model. */
    public void publish(MultiLayerNetwork network, long trainingStep) {
        version++;
        byte[] envelope = CheckpointEnvelope.create(config.defaultModelId(), version, trainingStep, 0L,
                config.model().window(), config.model().horizon(), "{\"source\":\"eval\"}", Map.of(), Map.of(),
                ModelPayload.write(network), config.hmacKey()).encode();
        checkpoints.pipeInput(config.defaultModelId(), envelope, 0L);
    }

    /** Forecasts {@code batch} (any size) with the live model and returns the forecasts in order. */
    public List<Forecast> forecast(List<SensorSequence> batch) {
        for (SensorSequence s : batch) {
            sequences.pipeInput(s.sensor(), s, s.end());
        }
        // a batch smaller than serve's batch size is flushed by its max-wait punctuation, as in the live service
        driver.advanceWallClockTime(config.maxWait().plus(Duration.ofMillis(1)));
        return forecasts.readValuesToList();
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            state.close();
        }
    }
}
