package io.sensorcast.serve;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiConsumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.KafkaStreamsCopyBenchmark;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.TopicSpec;
import io.sensorcast.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Serve's own saturation throughput on a broker: the real {@link ServeService} (shipped defaults apart from topics,
 * application id and state directory) forecasting sequences that are already waiting in its input topic, as ingest
 * writes them, so neither ingest nor a paced producer limits it.
 *
 * <p>{@code sensors} sensors each get {@code warmupRounds + rounds} consecutive W-value sequences (a random walk, so
 * the stateful path advances states as it does in production). The warm-up rounds (every sensor's first, seeding,
 * sequence among them) are forecast and not measured; then the measured rounds are written, and the rate is their
 * count ÷ the time from the first write until serve has forecast the last (its {@code sensorcast.serve.forecasts}
 * counter; under exactly-once they are committed at most one commit interval later).
 */
public final class ServeSaturationBenchmark {
    private static final long T0 = 1_732_440_000_000L;
    private static final long STEP_MS = 60_000L;

    /** @param forecastsPerSecond measured forecasts ÷ seconds */
    public record Result(int sensors, int rounds, long forecasts, double seconds, double forecastsPerSecond) {
    }

    private ServeSaturationBenchmark() {
    }

    public static Result run(String bootstrap, ServeConfig base, int sensors, int warmupRounds, int rounds,
                             Duration timeout) throws InterruptedException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (TemporaryDirectory state = TemporaryDirectory.create("sensorcast-bench-serve-saturation-")) {
            ServeConfig serve = base.withApplicationId("bench-serve-saturation-" + id)
                    .withTopics("bench-saturation-sequences-" + id, "bench-saturation-checkpoints-" + id,
                            "bench-saturation-forecasts-" + id)
                    .withStateDir(state.path());
            // fed before serve starts (which would create it), so the leaders must be serving first (KAFKA-15591)
            TopicAdministrator.ensureTopics(bootstrap, List.of(new TopicSpec(serve.sequencesTopic(), serve.topicPartitions(), Map.of())),
                    Duration.ofSeconds(30));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("linger.ms", 20);
            p.put("batch.size", 512 * 1024);
            p.put("max.request.size", Topics.CHECKPOINT_MAX_MESSAGE_BYTES);
            try (ServeService service = ServeService.start(serve, bootstrap, meters);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                if (!service.awaitRunning(timeout)) {
                    throw new IllegalStateException("serve did not reach RUNNING within " + timeout);
                }
                BenchmarkCheckpoint.install(producer, serve, service, timeout);
                Walks walks = new Walks(sensors, serve.model().window());
                send(producer, serve, walks, warmupRounds);
                awaitForecasts(meters, (long) sensors * warmupRounds, timeout);
                double before = PipelineLatencyBenchmark.forecasts(meters);
                long start = System.nanoTime();
                send(producer, serve, walks, rounds);
                long measured = (long) sensors * rounds;
                awaitForecasts(meters, before + measured, timeout);
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Result(sensors, rounds, measured, seconds, measured / seconds);
            }
        }
    }

    /**
     * The framework's ceiling for this measurement ({@link KafkaStreamsCopyBenchmark}): a Kafka Streams application with
     * serve's settings that only copies the same kind of sequences ({@code sensors × rounds}, after
     * {@code sensors × warmupRounds} unmeasured in a separate application) to a topic, one output record per
     * sequence as serve writes one forecast.
     */
    public static KafkaStreamsCopyBenchmark.Result streamsCopy(String bootstrap, ServeConfig base, int sensors, int warmupRounds,
                                                               int rounds, Duration timeout) {
        Walks walks = new Walks(sensors, base.model().window());
        List<byte[][]> warmup = records(walks, warmupRounds);
        List<byte[][]> measured = records(walks, rounds);
        Map<String, Object> producer = Map.of("linger.ms", 20, "batch.size", 512 * 1024, "buffer.memory", 256L * 1024 * 1024);
        // the copy runs in a state directory of its own
        Properties streams = base.streamsProperties(bootstrap);
        KafkaStreamsCopyBenchmark.run(bootstrap, streams, base.topicPartitions(), warmup, producer, timeout);
        return KafkaStreamsCopyBenchmark.run(bootstrap, streams, base.topicPartitions(), measured, producer, timeout);
    }

    private static List<byte[][]> records(Walks walks, int rounds) {
        List<byte[][]> out = new java.util.ArrayList<>(walks.ids.length * rounds);
        forEachSequence(walks, rounds, (sensor, json) -> out.add(new byte[][] {sensor.getBytes(StandardCharsets.UTF_8), json}));
        return out;
    }

    /** Every sensor's next sequence, round by round, as its sensor id and JSON. */
    private static void forEachSequence(Walks walks, int rounds, BiConsumer<String, byte[]> out) {
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < walks.ids.length; i++) {
                SensorSequence s = walks.next(i);
                out.accept(s.sensor(), SensorSequenceJson.toBytes(s));
            }
            walks.round++;
        }
    }

    /** Each sensor's window, advanced one step per round. */
    private static final class Walks {
        final String[] ids;
        final float[][] windows;
        final Random random = new Random(42);
        long round;

        Walks(int sensors, int window) {
            ids = new String[sensors];
            windows = new float[sensors][window];
            for (int i = 0; i < sensors; i++) {
                ids[i] = "sensor-" + i;
                for (int t = 1; t < window; t++) {
                    windows[i][t] = windows[i][t - 1] + (float) (0.1 * random.nextGaussian());
                }
            }
        }

        SensorSequence next(int i) {
            float[] w = windows[i];
            System.arraycopy(w, 1, w, 0, w.length - 1);
            w[w.length - 1] = w[w.length - 2] + (float) (0.1 * random.nextGaussian());
            byte[] observed = new byte[w.length];
            java.util.Arrays.fill(observed, (byte) 1);
            return new SensorSequence(ids[i], T0 + (w.length + round) * STEP_MS, STEP_MS, w.clone(), observed,
                    20.0, 2.0, System.currentTimeMillis());
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, ServeConfig serve, Walks walks, int rounds) {
        forEachSequence(walks, rounds, (sensor, json) -> producer.send(new ProducerRecord<>(serve.sequencesTopic(), sensor, json)));
        producer.flush();
    }

    private static void awaitForecasts(SimpleMeterRegistry meters, double target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (PipelineLatencyBenchmark.forecasts(meters) < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("serve forecast " + (long) PipelineLatencyBenchmark.forecasts(meters) + " of " + (long) target
                        + " sequences within " + timeout);
            }
            Thread.sleep(5);
        }
    }
}
