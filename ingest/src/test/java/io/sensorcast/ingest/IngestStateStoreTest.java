package io.sensorcast.ingest;

import static io.sensorcast.ingest.IngestDriver.T0;
import static io.sensorcast.ingest.IngestDriver.WALL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.internals.SensorState;
import io.sensorcast.kafka.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specifications of where ingest's per-sensor state goes: each commit writes every changed sensor's newest state to
 * its store and changelog (the stores hold changes until the commit, {@code DeferredWriteStore}). That a restart
 * carries on from them needs a real broker (the test driver wipes its state when closed):
 * {@code IngestStateRestoreIntegrationTest} (from the changelog) and the chaos suite's restarts (from local state).
 */
class IngestStateStoreTest {
    @Test
    void shouldWriteTheSensorsNewestStateToTheChangelogByTheCommitAfterAReading(@TempDir Path stateDir) {
        IngestConfig config = IngestDriver.smallWindow().withStateDir(stateDir);
        try (TopologyTestDriver driver = driver(config)) {
            TestInputTopic<byte[], byte[]> readings = readings(driver);
            send(readings, "s", T0, 1);
            send(readings, "s", T0 + 20_000, 3);

            List<KeyValue<String, byte[]>> openSteps = changelog(driver, config, IngestTopology.OPEN_STEPS_STORE);
            KeyValue<String, byte[]> last = openSteps.get(openSteps.size() - 1);
            assertEquals("s", last.key);
            SensorState state = SensorState.fromBytes(null, last.value, config.window());
            assertEquals(T0 + 20_000, state.streamTime());
            // no step has closed yet, so nothing changed the window
            assertEquals(List.of(), changelog(driver, config, IngestTopology.STATE_STORE));
        }
    }

    @Test
    void shouldWriteNothingToTheStoresWhenAReadingIsDeadLettered(@TempDir Path stateDir) {
        IngestConfig config = IngestDriver.smallWindow().withStateDir(stateDir);
        try (TopologyTestDriver driver = driver(config)) {
            readings(driver).pipeInput("s".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8),
                    WALL.toEpochMilli());

            assertEquals(List.of(), changelog(driver, config, IngestTopology.OPEN_STEPS_STORE));
        }
    }

    private static TopologyTestDriver driver(IngestConfig config) {
        return new TopologyTestDriver(IngestTopology.build(config, new SimpleMeterRegistry()),
                config.streamsProperties("dummy:9092"), WALL);
    }

    private static TestInputTopic<byte[], byte[]> readings(TopologyTestDriver driver) {
        return driver.createInputTopic(Topics.READINGS, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(TestInputTopic<byte[], byte[]> readings, String sensor, long ts, double value) {
        readings.pipeInput(sensor.getBytes(StandardCharsets.UTF_8),
                ("{\"sensor\":\"" + sensor + "\",\"ts\":" + ts + ",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8),
                WALL.toEpochMilli());
    }

    private static List<KeyValue<String, byte[]>> changelog(TopologyTestDriver driver, IngestConfig config, String store) {
        return driver.createOutputTopic(config.applicationId() + "-" + store + "-changelog", new StringDeserializer(),
                new ByteArrayDeserializer()).readKeyValuesToList();
    }
}
