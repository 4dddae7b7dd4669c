package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.H;
import static io.sensorcast.serve.ServeDriver.W;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import io.sensorcast.model.LastValueReference;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The stateful fast path against an oracle that does not share it: {@code MultiLayerNetwork.output} over the whole
 * series since the seed, last step, plus the last value. Three sensors per batch, so gather/scatter order is checked.
 */
class RecurrentStatesTest {
    private static final long STEP = 60_000L;
    private static final String[] SENSORS = {"a", "b", "c"};
    private final MultiLayerNetwork net = ServeDriver.network(5);
    private final LastValueReference reference = new LastValueReference(ServeDriver.MODEL);
    private final float[][] series = new float[SENSORS.length][W + 3];

    RecurrentStatesTest() {
        Random random = new Random(11);
        for (float[] s : series) {
            for (int t = 0; t < s.length; t++) {
                s[t] = (float) random.nextGaussian();
            }
        }
    }

    @Test
    void shouldEqualFullWindowForwardPassWhenSeeded() {
        RecurrentStates states = new RecurrentStates(100, 1000);
        float[][] f = states.seed(net, reference, 1, 1, SENSORS, ends(0), windows(0));
        assertOracle(0, f);
    }

    @Test
    void shouldEqualForwardPassOverHistorySinceSeedWhenAdvancedOneStep() {
        assertOracle(1, advance(1));
    }

    @Test
    void shouldEqualForwardPassOverHistorySinceSeedWhenAdvancedTwoSteps() {
        assertOracle(2, advance(2));
    }

    @Test
    void shouldEqualForwardPassOverHistorySinceSeedWhenAdvancedThreeSteps() {
        assertOracle(3, advance(3));
    }

    @Test
    void shouldNotAdvanceWhenModelVersionChangedOrStepsAreNotConsecutiveOrStateIsOld() {
        RecurrentStates states = new RecurrentStates(2, 1000);
        states.seed(net, reference, 1, 7, SENSORS, ends(0), windows(0));
        assertTrue(states.canAdvance("a", 7, STEP, STEP));
        assertFalse(states.canAdvance("a", 8, STEP, STEP), "another model version");
        assertFalse(states.canAdvance("a", 7, 2 * STEP, STEP), "a gap of one step");
        assertFalse(states.canAdvance("unknown", 7, STEP, STEP), "never seeded");
        states.advance(net, reference, 1, 7, SENSORS, ends(1), windows(1));
        states.advance(net, reference, 1, 7, SENSORS, ends(2), windows(2));
        assertFalse(states.canAdvance("a", 7, 3 * STEP, STEP), "advanced reseedEvery = 2 times already");
    }

    @Test
    void shouldSpreadTheReseedsOfSensorsSeededTogetherAndThenReseedEachEveryReseedEverySteps() {
        int every = 8;
        int n = 64;
        RecurrentStates states = new RecurrentStates(every, 1000);
        String[] sensors = new String[n];
        float[][] windows = new float[n][];
        for (int i = 0; i < n; i++) {
            sensors[i] = "sensor-" + i;
            windows[i] = series[i % SENSORS.length];
        }
        long[] ends = new long[n];
        states.seed(net, reference, 1, 1, sensors, ends, windows);   // every sensor at once, as after a model swap
        java.util.Map<String, java.util.List<Integer>> reseededAt = new java.util.HashMap<>();
        java.util.Set<Integer> stepsWithAReseed = new java.util.HashSet<>();
        for (int step = 1; step <= 4 * every; step++) {
            java.util.List<Integer> warm = new java.util.ArrayList<>();
            java.util.List<Integer> cold = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                (states.canAdvance(sensors[i], 1, step * STEP, STEP) ? warm : cold).add(i);
            }
            assertTrue(cold.size() < n / 2, "step " + step + ": " + cold.size() + " of " + n + " re-seeded together");
            for (int i : cold) {
                reseededAt.computeIfAbsent(sensors[i], k -> new java.util.ArrayList<>()).add(step);
                stepsWithAReseed.add(step);
            }
            long e = step * STEP;
            if (!warm.isEmpty()) {
                states.advance(net, reference, 1, 1, pick(sensors, warm), endsAt(warm.size(), e), pick(windows, warm));
            }
            if (!cold.isEmpty()) {
                states.seed(net, reference, 1, 1, pick(sensors, cold), endsAt(cold.size(), e), pick(windows, cold));
            }
        }
        assertTrue(stepsWithAReseed.size() >= every - 1, "re-seeds fell on only " + stepsWithAReseed);
        for (java.util.Map.Entry<String, java.util.List<Integer>> r : reseededAt.entrySet()) {
            java.util.List<Integer> at = r.getValue();
            assertTrue(at.get(0) <= every + 1, r.getKey() + " first re-seeded at step " + at.get(0));
            for (int k = 1; k < at.size(); k++) {
                assertEquals(every + 1, at.get(k) - at.get(k - 1), r.getKey() + " re-seeded at " + at);
            }
        }
        assertEquals(n, reseededAt.size(), "every sensor re-seeded within " + 4 * every + " steps");
    }

    @Test
    void shouldCarryEveryStateIntoAContinuingVersionAndReseedThemSpreadOverTheSwapSpread() {
        int n = 96;
        RecurrentStates states = new RecurrentStates(1000, 1000);
        String[] sensors = new String[n];
        float[][] windows = new float[n][];
        for (int i = 0; i < n; i++) {
            sensors[i] = "sensor-" + i;
            windows[i] = Arrays.copyOfRange(series[i % SENSORS.length], 0, W);
        }
        states.seed(net, reference, 1, 1, sensors, new long[n], windows);
        for (int i = 0; i < n; i++) {
            assertTrue(states.canAdvance(sensors[i], 2, 1, STEP, STEP), "version 1's state carried into version 2");
            assertFalse(states.canAdvance(sensors[i], 2, STEP, STEP), "not without the carry");
        }
        states.advance(net, reference, 1, 2, sensors, endsAt(n, STEP), windows);   // the first step on version 2
        int[] reseededAt = new int[n];
        for (int step = 2; step <= RecurrentStates.SWAP_SPREAD + 1; step++) {
            java.util.List<Integer> warm = new java.util.ArrayList<>();
            java.util.List<Integer> cold = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (reseededAt[i] == 0 && !states.canAdvance(sensors[i], 2, 1, step * STEP, STEP)) {
                    cold.add(i);
                    reseededAt[i] = step;
                } else {
                    warm.add(i);
                }
            }
            assertTrue(cold.size() <= n / 4, "step " + step + ": " + cold.size() + " of " + n + " re-seeded together");
            if (!warm.isEmpty()) {
                states.advance(net, reference, 1, 2, pick(sensors, warm), endsAt(warm.size(), step * STEP), pick(windows, warm));
            }
            if (!cold.isEmpty()) {
                states.seed(net, reference, 1, 2, pick(sensors, cold), endsAt(cold.size(), step * STEP), pick(windows, cold));
            }
        }
        for (int i = 0; i < n; i++) {
            assertTrue(reseededAt[i] > 0, sensors[i] + " still on version 1's state after the swap spread");
        }
    }

    private static String[] pick(String[] all, java.util.List<Integer> idx) {
        return idx.stream().map(i -> all[i]).toArray(String[]::new);
    }

    private static float[][] pick(float[][] all, java.util.List<Integer> idx) {
        return idx.stream().map(i -> Arrays.copyOfRange(all[i], 0, W)).toArray(float[][]::new);
    }

    private static long[] endsAt(int count, long end) {
        long[] e = new long[count];
        Arrays.fill(e, end);
        return e;
    }

    /** Seeds with the first W values, then advances {@code steps} times by one value. */
    private float[][] advance(int steps) {
        RecurrentStates states = new RecurrentStates(100, 1000);
        states.seed(net, reference, 1, 1, SENSORS, ends(0), windows(0));
        float[][] f = null;
        for (int s = 1; s <= steps; s++) {
            assertTrue(states.canAdvance("a", 1, s * STEP, STEP));
            f = states.advance(net, reference, 1, 1, SENSORS, ends(s), windows(s));
        }
        return f;
    }

    private void assertOracle(int advanced, float[][] forecasts) {
        for (int i = 0; i < SENSORS.length; i++) {
            int len = W + advanced;
            float[] history = Arrays.copyOf(series[i], len);
            INDArray out = net.output(Nd4j.create(history, new long[] {1, 1, len}, 'c'));
            for (int k = 0; k < H; k++) {
                double expected = history[len - 1] + out.getDouble(0, k, len - 1);
                assertEquals(expected, forecasts[i][k], 1e-5, "sensor " + SENSORS[i] + ", k=" + k);
            }
        }
    }

    /** Each sensor's W-value window ending {@code shift} steps after the first. */
    private float[][] windows(int shift) {
        float[][] w = new float[SENSORS.length][];
        for (int i = 0; i < SENSORS.length; i++) {
            w[i] = Arrays.copyOfRange(series[i], shift, shift + W);
        }
        return w;
    }

    private static long[] ends(int shift) {
        long[] e = new long[SENSORS.length];
        Arrays.fill(e, shift * STEP);
        return e;
    }
}
