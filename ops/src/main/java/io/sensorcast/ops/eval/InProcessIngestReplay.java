package io.sensorcast.ops.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestTopology;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.TemporaryDirectory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The ingest topology itself ({@link IngestTopology#build}) in process, driven by Kafka Streams'
 * {@code TopologyTestDriver}: no broker, and every record is processed before {@link #run} returns.
 */
public final class InProcessIngestReplay implements IngestReplay {
    @Override
    public Result run(List<Reading> readings, IngestConfig config) {
        try (TemporaryDirectory state = TemporaryDirectory.create("sensorcast-eval-ingest-")) {
            IngestConfig c = config.withStateDir(state.path());
            Properties props = c.streamsProperties("in-process:9092");
            try (TopologyTestDriver driver = new TopologyTestDriver(IngestTopology.build(c, new SimpleMeterRegistry()),
                    // ingest's timestamp bounds are relative to the wall clock (readings more than a day ahead of it
                    // are rejected), so the driver's wall clock is the real one, not its default of epoch 0
                    props, Instant.now())) {
                var in = driver.createInputTopic(c.readingsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
                var out = driver.createOutputTopic(c.sequencesTopic(), new StringDeserializer(),
                        SensorSequenceJson.serde().deserializer());
                var dlq = driver.createOutputTopic(c.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
                List<SensorSequence> sequences = new ArrayList<>();
                long dead = 0;
                int i = 0;
                for (Reading r : readings) {
                    in.pipeInput(r.sensor().getBytes(java.nio.charset.StandardCharsets.UTF_8), r.toJsonBytes());
                    if (++i % 1024 == 0) { // drain as we go: the driver's output queues are unbounded
                        sequences.addAll(out.readValuesToList());
                        dead += dlq.readValuesToList().size();
                    }
                }
                sequences.addAll(out.readValuesToList());
                dead += dlq.readValuesToList().size();
                return new Result(sequences, dead);
            }
        }
    }
}
