package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.W;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import io.sensorcast.ingest.SensorSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two stream threads of one instance: each has its own tasks (here: its own TopologyTestDriver, so its own
 * {@link ForecastProcessor} with its own recurrent states, ledgers and buffer), and both read the live models of the
 * one shared {@link ModelRegistry}, whose network is not thread-safe. Forecasting on both at once must give exactly the
 * forecasts each gives alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeTopologyStreamThreadsTest {
    private static final int SENSORS = 16;
    private static final int STEPS = 40;
    // stateful inference (each sensor's recurrent state advanced one step per sequence) and small batches: many
    // network calls per thread, each setting and reading the network's recurrent state
    private static final ServeConfig CONFIG = ServeDriver.CONFIG.withStatefulInference(true, 72)
            .withBatching(4, Duration.ofSeconds(60));

    /** Consecutive sequences of {@code SENSORS} sensors named {@code prefix-i}, sensor by sensor within each step. */
    private static List<SensorSequence> inputs(String prefix, long seed) {
        Random random = new Random(seed);
        List<SensorSequence> out = new ArrayList<>();
        float[][] series = new float[SENSORS][W + STEPS];
        for (float[] s : series) {
            for (int t = 0; t < s.length; t++) {
                s[t] = (float) Math.sin(t / 5.0 + random.nextDouble()) + 0.1f * (float) random.nextGaussian();
            }
        }
        for (int step = 0; step < STEPS; step++) {
            for (int i = 0; i < SENSORS; i++) {
                float[] window = java.util.Arrays.copyOfRange(series[i], step, step + W);
                out.add(ServeDriver.sequence(prefix + "-" + i, T0 + step * STEP, window, 20, 2));
            }
        }
        return out;
    }

    private static List<Forecast> forecastAlone(List<SensorSequence> inputs, byte[] checkpoint) {
        try (ServeDriver d = new ServeDriver(CONFIG)) {
            d.pipeCheckpoint("default", checkpoint, T0);
            inputs.forEach(d::pipe);
            return d.readAll();
        }
    }

    @Test
    void shouldForecastOnTwoThreadsSharingOneLiveModelExactlyAsEachThreadAlone() throws Exception {
        byte[] checkpoint = ServeDriver.envelope("default", 1, ServeDriver.network(5));
        List<SensorSequence> first = inputs("a", 1);
        List<SensorSequence> second = inputs("b", 2);
        List<Forecast> firstAlone = forecastAlone(first, checkpoint);
        List<Forecast> secondAlone = forecastAlone(second, checkpoint);

        ModelRegistry shared = new ModelRegistry();
        try (ServeDriver a = new ServeDriver(CONFIG, shared); ServeDriver b = new ServeDriver(CONFIG, shared)) {
            a.pipeCheckpoint("default", checkpoint, T0); // the one global store thread installs it for both
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<List<Forecast>> onA = CompletableFuture.supplyAsync(() -> pipeAll(a, first, start));
            CompletableFuture<List<Forecast>> onB = CompletableFuture.supplyAsync(() -> pipeAll(b, second, start));

            List<Forecast> firstTogether = onA.get(60, TimeUnit.SECONDS);
            List<Forecast> secondTogether = onB.get(60, TimeUnit.SECONDS);
            assertEquals(SENSORS * STEPS, firstTogether.size());
            assertTrue(firstTogether.stream().allMatch(f -> Forecast.LSTM.equals(f.method())), "all from the network");
            assertEquals(firstAlone, firstTogether);
            assertEquals(secondAlone, secondTogether);
        }
    }

    private static List<Forecast> pipeAll(ServeDriver d, List<SensorSequence> inputs, CyclicBarrier start) {
        try {
            start.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        inputs.forEach(d::pipe);
        return d.readAll();
    }
}
