package io.sensorcast.ops.eval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.serve.Forecast;
import io.sensorcast.serve.ModelRegistry;
import io.sensorcast.serve.ServeConfig;
import io.sensorcast.serve.ServeTopology;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The serve topology in process, driven by Kafka Streams' {@code TopologyTestDriver}: a checkpoint is swapped in as
 * soon as it is piped, and a batch is answered by the time {@link #answer} returns.
 */
public final class InProcessServeReplay extends ServeReplay {
    private final TemporaryDirectory state;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SensorSequence> sequences;
    private final TestInputTopic<String, byte[]> checkpoints;
    private final TestOutputTopic<String, Forecast> forecasts;

    public InProcessServeReplay(ServeConfig config) {
        super(config);
        this.state = TemporaryDirectory.create("sensorcast-eval-serve-");
        Properties props = config.streamsProperties("in-process:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.path().toString());
        driver = new TopologyTestDriver(ServeTopology.build(config, new ModelRegistry(), new SimpleMeterRegistry(),
                Clock.systemUTC()), props, Instant.ofEpochMilli(0L));
        sequences = driver.createInputTopic(config.sequencesTopic(), Serdes.String().serializer(),
                SensorSequenceJson.serde().serializer());
        checkpoints = driver.createInputTopic(config.checkpointsTopic(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        forecasts = driver.createOutputTopic(config.forecastsTopic(), Serdes.String().deserializer(),
                Forecast.serde().deserializer());
    }

    @Override
    protected void deliverCheckpoint(byte[] envelope, long version) {
        checkpoints.pipeInput(config.defaultModelId(), envelope, 0L);
    }

    @Override
    protected List<Forecast> answer(List<SensorSequence> batch) {
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
