package io.sensorcast.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.kafka.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver around {@link IngestTopology#build}, with readable helpers for the specs. */
final class IngestDriver implements AutoCloseable {
    /** 2024-11-24T09:20:00Z, on a minute boundary. */
    static final long T0 = 1_732_440_000_000L;
    static final long MIN = 60_000L;
    static final long SEC = 1_000L;
    /** The driver's wall clock: 2026-01-01, so 2024 readings are inside the default bounds. */
    static final Instant WALL = Instant.parse("2026-01-01T00:00:00Z");

    final IngestConfig config;
    final MeterRegistry registry;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> readings;
    final TestOutputTopic<String, SensorSequence> sequences;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final Path stateDir;

    IngestDriver(IngestConfig config) {
        this(config, new SimpleMeterRegistry());
    }

    IngestDriver(IngestConfig config, MeterRegistry registry) {
        try {
            stateDir = Files.createTempDirectory("ingest-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.config = config.withStateDir(stateDir);
        this.registry = registry;
        Properties props = this.config.streamsProperties("dummy:9092");
        driver = new TopologyTestDriver(IngestTopology.build(this.config, registry), props, WALL);
        readings = driver.createInputTopic(Topics.READINGS, new ByteArraySerializer(), new ByteArraySerializer());
        sequences = driver.createOutputTopic(Topics.SEQUENCES, new StringDeserializer(), SensorSequenceJson.serde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Small windows keep the specs readable: W=3, hop 1, 1-minute steps, 2-minute grace, max gap 5. */
    static IngestConfig smallWindow() {
        return IngestConfig.defaults().withWindow(3).withGrace(Duration.ofMinutes(2)).withMaxGapSteps(5);
    }

    /** Pipes {@code {"sensor":s,"ts":ts,"value":v}} keyed by the sensor; the record timestamp is the wall clock. */
    void send(String sensor, long ts, double value) {
        sendRaw(sensor, "{\"sensor\":\"" + sensor + "\",\"ts\":" + ts + ",\"value\":" + value + "}");
    }

    void sendRaw(String key, String value) {
        sendRaw(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] key, byte[] value) {
        readings.pipeInput(key, value, WALL.toEpochMilli());
    }

    double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? Double.NaN : c.count();
    }

    static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The raw (sensor-unit) values of a sequence. */
    static double[] raw(SensorSequence s) {
        double[] out = new double[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.denormalise(s.values()[i]);
        }
        return out;
    }

    @Override
    public void close() {
        driver.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
