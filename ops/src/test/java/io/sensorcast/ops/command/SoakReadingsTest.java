package io.sensorcast.ops.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestTopology;
import io.sensorcast.ingest.Reading;
import io.sensorcast.kafka.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class SoakReadingsTest {
    private static final long T0 = 1_732_440_000_000L;
    private static final Duration STEP = Duration.ofMinutes(1);

    @Test
    void shouldSendOneReadingPerSensorAndStepUntilTheFirstWindowIsFullThenSeveralPerStep() {
        Iterator<Reading> readings = SoakCommand.readings(3, T0, STEP, 2, 4);

        List<Long> first = timestamps(readings, 3 * 2);
        assertEquals(List.of(T0, T0, T0, T0 + 60_000, T0 + 60_000, T0 + 60_000), first);
        List<Long> steady = timestamps(readings, 3 * 5);
        for (int i = 0; i < steady.size(); i++) {
            assertEquals(T0 + 120_000 + (i / 3) * 15_000L, steady.get(i), "reading " + i + " of the steady phase");
        }
    }

    @Test
    void shouldStartForecastableSequencesAtTheEndOfTheFirstPhaseAndThenOnePerSensorEveryReadingsPerStep() throws Exception {
        int sensors = 2;
        int perStep = 3;
        Path stateDir = Files.createTempDirectory("soak-readings-");
        IngestConfig config = IngestConfig.defaults().withStateDir(stateDir)
                .withTimestampBounds(Instant.parse("1990-01-01T00:00:00Z"), Duration.ofDays(36500));
        int firstSteps = SoakCommand.firstWindowSteps(config);
        Iterator<Reading> readings = SoakCommand.readings(sensors, T0, STEP, firstSteps, perStep);
        try (TopologyTestDriver driver = new TopologyTestDriver(IngestTopology.build(config, new SimpleMeterRegistry()),
                config.streamsProperties("dummy:9092"))) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(Topics.READINGS, new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> out = driver.createOutputTopic(Topics.SEQUENCES, new StringDeserializer(), new ByteArrayDeserializer());

            pipe(in, readings, sensors * (firstSteps - 1));
            assertEquals(0, out.getQueueSize(), "no window is full before the first phase's last step");
            pipe(in, readings, sensors);
            assertEquals(sensors, out.readValuesToList().size(), "each sensor's first window, closed by its last first-phase reading");
            pipe(in, readings, sensors * perStep * 10);
            assertEquals(sensors * 10, out.readValuesToList().size(), "then one sequence per sensor per " + perStep + " readings");
        } finally {
            io.sensorcast.kafka.TemporaryDirectory.deleteRecursively(stateDir);
        }
    }

    private static void pipe(TestInputTopic<String, byte[]> in, Iterator<Reading> readings, int n) {
        for (int i = 0; i < n; i++) {
            Reading r = readings.next();
            in.pipeInput(r.sensor(), r.toJsonBytes());
        }
    }

    private static List<Long> timestamps(Iterator<Reading> readings, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(readings.next().ts());
        }
        return out;
    }
}
