package io.sensorcast.serve;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.LastValueReference;
import io.sensorcast.model.ModelConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Forecasts per second of serve's inference path: the same {@link LastValueReference#forecast} call the forecaster
 * makes, on a network of the configured shape, over {@code sensors} different windows, in batches of
 * {@code batchSize} (1 = one sensor at a time). Kafka, JSON and the ledger are not included: this isolates what
 * batching buys. Run with {@code OMP_NUM_THREADS=1} (NOTES.md).
 *
 * <pre>{@code
 * ServeBenchmark.Result batched = ServeBenchmark.inference(ModelConfig.defaults(), 10_000, 256, Duration.ofSeconds(5), 42);
 * ServeBenchmark.Result single  = ServeBenchmark.inference(ModelConfig.defaults(), 10_000, 1, Duration.ofSeconds(5), 42);
 * double speedup = batched.forecastsPerSecond() / single.forecastsPerSecond();
 * }</pre>
 */
public final class ServeBenchmark {

    private ServeBenchmark() {
    }

    /** One measurement: forecasts made in {@code seconds} of wall-clock time after a warm-up batch. */
    public record Result(int sensors, int batchSize, long forecasts, double seconds) {
        public double forecastsPerSecond() {
            return forecasts / seconds;
        }
    }

    /**
     * Forecasts windows of {@code sensors} synthetic sensors round-robin in batches of {@code batchSize} until
     * {@code duration} has passed (at least one batch).
     */
    public static Result inference(ModelConfig model, int sensors, int batchSize, Duration duration, long seed) {
        if (sensors < 1 || batchSize < 1) {
            throw new IllegalArgumentException("sensors and batchSize must be >= 1");
        }
        MultiLayerNetwork network = ForecastNetworkFactory.build(model);
        LastValueReference reference = new LastValueReference(model);
        Random random = new Random(seed);
        float[][] windows = new float[sensors][model.window()];
        for (float[] w : windows) {
            float level = (float) random.nextGaussian();
            for (int t = 0; t < w.length; t++) {
                level += (float) (0.1 * random.nextGaussian());
                w[t] = level;
            }
        }
        float[][] batch = new float[Math.min(batchSize, sensors)][];
        int next = 0;
        next = fill(batch, windows, next);
        reference.forecast(network, batch);   // warm-up: workspaces, native init
        long forecasts = 0;
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        double sink = 0;
        do {
            next = fill(batch, windows, next);
            float[][] out = reference.forecast(network, batch);
            sink += out[0][0];
            forecasts += batch.length;
        } while (System.nanoTime() < deadline);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("non-finite forecast from a freshly initialised network");
        }
        return new Result(sensors, batch.length, forecasts, seconds);
    }

    /**
     * The same measurement for the stateful path ({@link RecurrentStates}): all sensors are seeded once (not timed),
     * then advanced one step per forecast, round-robin in batches of {@code batchSize}, until {@code duration} has passed.
     */
    public static Result stateful(ModelConfig model, int sensors, int batchSize, Duration duration, long seed) {
        if (sensors < 1 || batchSize < 1) {
            throw new IllegalArgumentException("sensors and batchSize must be >= 1");
        }
        MultiLayerNetwork network = ForecastNetworkFactory.build(model);
        LastValueReference reference = new LastValueReference(model);
        Random random = new Random(seed);
        int b = Math.min(batchSize, sensors);
        RecurrentStates states = new RecurrentStates(Integer.MAX_VALUE, sensors);
        String[] ids = new String[sensors];
        float[][] windows = new float[sensors][model.window()];
        for (int i = 0; i < sensors; i++) {
            ids[i] = "sensor-" + i;
            for (int t = 0; t < model.window(); t++) {
                windows[i][t] = (float) random.nextGaussian();
            }
        }
        long[] step = new long[sensors];
        for (int from = 0; from < sensors; from += b) {
            int to = Math.min(sensors, from + b);
            states.seed(network, reference, model.layers(), 1, Arrays.copyOfRange(ids, from, to),
                    new long[to - from], Arrays.copyOfRange(windows, from, to));
        }
        String[] batchIds = new String[b];
        long[] ends = new long[b];
        float[][] batch = new float[b][];
        int next = 0;
        long forecasts = 0;
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        do {
            for (int i = 0; i < b; i++) {
                batchIds[i] = ids[next];
                ends[i] = ++step[next];
                batch[i] = windows[next];
                next = (next + 1) % sensors;
            }
            states.advance(network, reference, model.layers(), 1, batchIds, ends, batch);
            forecasts += b;
        } while (System.nanoTime() < deadline);
        return new Result(sensors, b, forecasts, (System.nanoTime() - start) / 1e9);
    }

    /** A run through the real topology on a broker: throughput and reading-path latency percentiles. */
    /**
     * @param serveMeanMs mean of serve's own latency timer (arrival → forecast handed to the producer, before the
     *                    transaction commits and the reader polls), to tell processing time from delivery time
     */
    public record BrokerResult(int sensors, long sequences, long forecasts, double seconds, double p50Ms, double p99Ms,
                               double serveMeanMs, boolean stateful) {
        public double forecastsPerSecond() {
            return forecasts / seconds;
        }
    }

    /**
     * Runs {@link ServeService} on {@code bootstrapServers} under fresh topic names and application id, publishes one
     * checkpoint of {@code base.model()}'s shape (a freshly initialised network: speed does not depend on the
     * weights), then produces {@code rounds} consecutive sequences for each of {@code sensors} sensors, at
     * {@code sequencesPerSecond} (0 = as fast as the producer goes), and reads {@code forecasts} with
     * {@code read_committed}. Throughput = forecasts ÷ (first send → last forecast read). Latency per forecast = read
     * wall time − its sequence's {@code arrivedAt} (set at send time), so it includes the exactly-once commit interval;
     * it is meaningful for paced runs (the same thread sends and reads, so at saturation reads wait for sends).
     *
     * @throws IllegalStateException when not every forecast arrived within {@code timeout}
     */
    public static BrokerResult onBroker(String bootstrapServers, ServeConfig base, int sensors, int rounds,
                                        double sequencesPerSecond, Duration timeout) throws InterruptedException {
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
        java.nio.file.Path stateDir;
        try {
            stateDir = java.nio.file.Files.createTempDirectory("serve-bench-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ServeConfig config = base.withApplicationId("serve-bench-" + suffix)
                .withTopics("bench-sequences-" + suffix, "bench-checkpoints-" + suffix, "bench-forecasts-" + suffix)
                .withStateDir(stateDir);
        ModelConfig model = config.model();
        long stepMs = 60_000L;
        long t0 = 1_732_442_400_000L;
        java.util.Properties producerProps = new java.util.Properties();
        producerProps.put("bootstrap.servers", bootstrapServers);
        producerProps.put("linger.ms", 5);
        producerProps.put("max.request.size", io.sensorcast.kafka.Topics.CHECKPOINT_MAX_MESSAGE_BYTES);
        java.util.Properties consumerProps = new java.util.Properties();
        consumerProps.put("bootstrap.servers", bootstrapServers);
        consumerProps.put("group.id", "serve-bench-reader-" + suffix);
        consumerProps.put("auto.offset.reset", "earliest");
        consumerProps.put("isolation.level", "read_committed");
        var serde = org.apache.kafka.common.serialization.Serdes.ByteArray();
        var strings = org.apache.kafka.common.serialization.Serdes.String();
        long total = (long) sensors * rounds;
        java.util.concurrent.ConcurrentHashMap<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
        long[] latencies = new long[(int) total];
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (ServeService serve = ServeService.start(config, bootstrapServers, meters);
             var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(producerProps, strings.serializer(), serde.serializer());
             var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(consumerProps, strings.deserializer(), serde.deserializer())) {
            if (!serve.awaitRunning(timeout)) {
                throw new IllegalStateException("serve did not reach RUNNING within " + timeout);
            }
            String modelId = config.defaultModelId();   // no routing rules: every sensor uses it
            byte[] checkpoint = io.sensorcast.model.checkpoint.CheckpointEnvelope.create(modelId, 1, 0,
                    System.currentTimeMillis(), model.window(), model.horizon(), "{}", java.util.Map.of(), java.util.Map.of(),
                    io.sensorcast.model.checkpoint.ModelPayload.write(ForecastNetworkFactory.build(model)), config.hmacKey()).encode();
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(config.checkpointsTopic(), modelId, checkpoint)).get();
            long waitUntil = System.nanoTime() + timeout.toNanos();
            while (serve.models().version(modelId).isEmpty()) {
                if (System.nanoTime() > waitUntil) {
                    throw new IllegalStateException("the benchmark checkpoint was not installed within " + timeout);
                }
                Thread.sleep(10);
            }
            // assign, not subscribe: no group join (whose initial delay would show up as latency)
            consumer.assign(consumer.partitionsFor(config.forecastsTopic()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList());
            consumer.seekToBeginning(consumer.assignment());
            Random random = new Random(42);
            float[][] windows = new float[sensors][model.window()];
            for (float[] w : windows) {
                for (int t = 0; t < w.length; t++) {
                    w[t] = (float) random.nextGaussian();
                }
            }
            byte[] observed = new byte[model.window()];
            Arrays.fill(observed, (byte) 1);
            // warm-up: one untimed round (JIT, DL4J workspaces, producer and transaction set-up)
            java.util.Map<String, Long> warmSent = new java.util.concurrent.ConcurrentHashMap<>();
            long[] warmLatencies = new long[sensors];
            for (int s = 0; s < sensors; s++) {
                String sensor = "sensor-" + s;
                long end = t0 - stepMs;
                long now = System.currentTimeMillis();
                warmSent.put(sensor + "@" + end, now);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(config.sequencesTopic(), null, end, sensor,
                        io.sensorcast.ingest.SensorSequenceJson.toBytes(new io.sensorcast.ingest.SensorSequence(
                                sensor, end, stepMs, windows[s], observed, 20.0, 2.0, now))));
            }
            producer.flush();
            long warmed = 0;
            long warmDeadline = System.nanoTime() + timeout.toNanos();
            while (warmed < sensors && System.nanoTime() < warmDeadline) {
                warmed += drain(consumer, warmSent, warmLatencies, warmed, Duration.ofMillis(100));
            }
            if (warmed < sensors) {
                throw new IllegalStateException("warm-up: only " + warmed + " of " + sensors + " forecasts within " + timeout);
            }
            long start = System.nanoTime();
            long firstSend = System.nanoTime();
            long received = 0;
            long lastReceive = firstSend;
            long sent = 0;
            double nanosPerSequence = sequencesPerSecond > 0 ? 1e9 / sequencesPerSecond : 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < sensors; s++) {
                    if (nanosPerSequence > 0) {
                        long due = start + (long) (sent * nanosPerSequence);
                        while (System.nanoTime() < due) {
                            received += drain(consumer, sentAt, latencies, received, Duration.ofMillis(1));
                        }
                    }
                    String sensor = "sensor-" + s;
                    long end = t0 + round * stepMs;
                    long now = System.currentTimeMillis();
                    sentAt.put(sensor + "@" + end, now);
                    byte[] json = io.sensorcast.ingest.SensorSequenceJson.toBytes(new io.sensorcast.ingest.SensorSequence(
                            sensor, end, stepMs, windows[s], observed, 20.0, 2.0, now));
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(config.sequencesTopic(), null, end, sensor, json));
                    sent++;
                }
            }
            producer.flush();
            while (received < total && System.nanoTime() < deadline) {
                long n = drain(consumer, sentAt, latencies, received, Duration.ofMillis(100));
                if (n > 0) {
                    lastReceive = System.nanoTime();
                }
                received += n;
            }
            if (received < total) {
                throw new IllegalStateException("only " + received + " of " + total + " forecasts within " + timeout);
            }
            lastReceive = Math.max(lastReceive, firstSend + 1);
            long[] sorted = Arrays.copyOf(latencies, (int) received);
            Arrays.sort(sorted);
            return new BrokerResult(sensors, total, received, (lastReceive - firstSend) / 1e9,
                    percentile(sorted, 0.50), percentile(sorted, 0.99),
                    meters.get("sensorcast.serve.forecast.latency").timer().mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                    config.statefulInference());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot publish the benchmark checkpoint: " + e.getCause().getMessage(), e);
        }
    }

    private static long drain(org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer,
                              java.util.Map<String, Long> sentAt, long[] latencies, long offset, Duration wait) {
        long n = 0;
        long now = System.currentTimeMillis();
        for (var r : consumer.poll(wait)) {
            Forecast f = Forecast.fromJson(r.value());
            Long sent = sentAt.remove(f.sensor() + "@" + f.issuedAt());
            if (sent != null && offset + n < latencies.length) {
                latencies[(int) (offset + n)] = now - sent;
                n++;
            }
        }
        return n;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static int fill(float[][] batch, float[][] windows, int next) {
        for (int i = 0; i < batch.length; i++) {
            batch[i] = windows[next];
            next = (next + 1) % windows.length;
        }
        return next;
    }
}
