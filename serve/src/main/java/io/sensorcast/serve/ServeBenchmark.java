package io.sensorcast.serve;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.FusedLstmKernel;
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
        MultiLayerNetwork network = servingNetwork(model);
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
        MultiLayerNetwork network = servingNetwork(model);
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

    /** A network as serve's tasks run it: with the fused LSTM kernel (see {@code ForecastProcessor#replicaOf}). */
    private static MultiLayerNetwork servingNetwork(ModelConfig model) {
        MultiLayerNetwork network = ForecastNetworkFactory.build(model);
        FusedLstmKernel.install(network);
        return network;
    }

    private static int fill(float[][] batch, float[][] windows, int next) {
        for (int i = 0; i < batch.length; i++) {
            batch[i] = windows[next];
            next = (next + 1) % windows.length;
        }
        return next;
    }
}
