package io.sensorcast.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sensorcast.model.LastValueReference;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stateful single-step serving: each sensor's recurrent state (every recurrent layer's {@code rnnTimeStep} state
 * arrays, as plain {@code float[]}) kept between its consecutive sequences, so a new step costs one time step instead
 * of a W-step forward pass.
 *
 * <p>A sensor is <em>seeded</em> by a forward pass over its whole window from a zero state (that forecast is exactly
 * the full-window one) and then <em>advanced</em> by one step with the window's newest value while its sequences are
 * consecutive ({@code end} = previous {@code end} + {@code stepMs}) and the model version is unchanged (or the new
 * version continues the old one's training: see {@link #SWAP_SPREAD}). It is seeded again after a gap, a restart
 * (states are not persisted), a swap to an unrelated model, or {@code reseedEvery} single steps. An
 * advanced forecast conditions on every value since the seed, each normalised with the statistics of its own
 * sequence, so it is close to but not identical with the full-window forecast; with constant statistics it equals a
 * forward pass over the whole history since the seed (RecurrentStatesTest).
 *
 * <p>Batches are gathered from and scattered to the per-sensor arrays (NOTES.md: per-row INDArray storage is 20–40×
 * slower). The network's own stored state is cleared after each call: one network serves many batches.
 */
final class RecurrentStates {
    /** {@code limit}: single steps after which this sensor is re-seeded (see {@link #firstLimit}). */
    private record State(long version, long end, int age, int limit, float[][] slots) {
    }

    private final int reseedEvery;
    private final Map<String, State> states;

    RecurrentStates(int reseedEvery, int maxSensors) {
        this.reseedEvery = reseedEvery;
        this.states = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
                return size() > maxSensors;
            }
        };
    }

    /** Whether {@code sensor} can be advanced by one step to a sequence ending at {@code end}. */
    boolean canAdvance(String sensor, long version, long end, long stepMs) {
        return canAdvance(sensor, version, NO_VERSION, end, stepMs);
    }

    /**
     * As {@link #canAdvance(String, long, long, long)}, and also when the sensor's state was built by
     * {@code carriedFrom}: the version that {@code version} replaced and continues (see {@link #SWAP_SPREAD}).
     */
    boolean canAdvance(String sensor, long version, long carriedFrom, long end, long stepMs) {
        State s = states.get(sensor);
        return s != null && s.end + stepMs == end
                && (s.version == version ? s.age < s.limit : s.version == carriedFrom);
    }

    /** {@code carriedFrom} when no state may be carried into another version. */
    static final long NO_VERSION = Long.MIN_VALUE;

    /**
     * Steps over which states carried into a new version of a model are re-seeded with it. A swap made every sensor's
     * next forecast a full-window seed: with 10,000 sensors that stalled forecasting ~12 s per checkpoint here. When a
     * checkpoint continues the live model's training, each sensor instead takes one step with the new weights from
     * the state the old ones built (online updates between checkpoints are small) and is re-seeded with the new model
     * after 0–23 further steps, spread by its id.
     */
    static final int SWAP_SPREAD = 24;

    /** The state after a step from {@code previous} under {@code version}: carried ones get their re-seed spread. */
    private State stepped(String sensor, State previous, long version, long end, float[][] slots) {
        return previous.version == version
                ? new State(version, end, previous.age + 1, previous.limit, slots)
                : new State(version, end, 0, spread(sensor, SWAP_SPREAD), slots);
    }

    int size() {
        return states.size();
    }

    /** Full-window forecasts from a zero state; stores each sensor's final state. */
    float[][] seed(MultiLayerNetwork net, LastValueReference reference, int recurrentLayers, long version,
                   String[] sensors, long[] ends, float[][] windows) {
        net.rnnClearPreviousState();
        try {
            INDArray out = net.rnnTimeStep(reference.forecastFeatures(windows));
            float[][] forecasts = reference.toAbsolute(lastValues(windows), out, out.size(2) - 1);
            scatter(net, recurrentLayers, version, sensors, ends, null);
            return forecasts;
        } finally {
            net.rnnClearPreviousState();
        }
    }

    /** One step per sensor with the window's newest value, from the stored states; stores the new states. */
    float[][] advance(MultiLayerNetwork net, LastValueReference reference, int recurrentLayers, long version,
                      String[] sensors, long[] ends, float[][] windows) {
        int b = sensors.length;
        List<State> before = new ArrayList<>(b);
        for (String sensor : sensors) {
            before.add(states.get(sensor));
        }
        LstmStep step = b <= ONE_STEP_MAX_BATCH ? stepOf(net, recurrentLayers) : null;
        if (step != null) {
            return advance(step, reference, version, sensors, ends, windows, before);
        }
        net.rnnClearPreviousState();
        try {
            int slot = 0;
            for (int layer = 0; layer < recurrentLayers; layer++) {
                Map<String, INDArray> layerState = new TreeMap<>();
                for (String key : keysSeen.get(layer)) {
                    int width = before.get(0).slots[slot].length;
                    float[] flat = new float[b * width];
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(before.get(i).slots[slot], 0, flat, i * width, width);
                    }
                    layerState.put(key, Nd4j.create(flat, new long[] {b, width}, 'c'));
                    slot++;
                }
                net.rnnSetPreviousState(layer, layerState);
            }
            float[][] newest = new float[b][];
            for (int i = 0; i < b; i++) {
                newest[i] = new float[] {windows[i][windows[i].length - 1]};
            }
            INDArray out = net.rnnTimeStep(reference.forecastFeatures(newest));
            float[][] forecasts = reference.toAbsolute(lastValues(windows), out, out.size(2) - 1);
            scatter(net, recurrentLayers, version, sensors, ends, before);
            return forecasts;
        } finally {
            net.rnnClearPreviousState();
        }
    }

    /** The one-step path without DL4J's per-call costs ({@link LstmStep}); the same states in, the same states out. */
    private float[][] advance(LstmStep step, LastValueReference reference, long version, String[] sensors, long[] ends,
                              float[][] windows, List<State> before) {
        int b = sensors.length;
        float[] x = new float[b];
        float[][][] slotsBefore = new float[b][][];
        float[][][] slotsAfter = new float[b][][];
        for (int i = 0; i < b; i++) {
            // the one-step input as forecastFeatures makes it from a series of one value
            x[i] = reference.reReferenceInputs() ? 0f : windows[i][windows[i].length - 1];
            slotsBefore[i] = before.get(i).slots;
            slotsAfter[i] = new float[slotsBefore[i].length][];
        }
        float[][] out = step.step(x, slotsBefore, slotsAfter);
        float[][] forecasts = new float[b][];
        for (int i = 0; i < b; i++) {
            forecasts[i] = reference.toAbsolute(windows[i][windows[i].length - 1], out[i]);
            State previous = before.get(i);
            states.put(sensors[i], stepped(sensors[i], previous, version, ends[i], slotsAfter[i]));
        }
        return forecasts;
    }

    /**
     * {@link LstmStep} for {@code net} when its state slots are the LSTM layers' {@code prevAct}, {@code prevMem} pairs
     * (known after the first seed); cached per network, since a task keeps using its copy of one.
     */
    private LstmStep stepOf(MultiLayerNetwork net, int recurrentLayers) {
        if (net != stepNetwork) {
            stepNetwork = net;
            step = LstmStep.of(net);
        }
        if (step == null || step.layers() != recurrentLayers || keysSeen.size() != recurrentLayers) {
            return null;
        }
        for (List<String> keys : keysSeen) {
            if (!keys.equals(LSTM_STATE_KEYS)) {
                return null;
            }
        }
        return step;
    }

    /**
     * Up to this many sensors per call the plain-array step is faster than DL4J's (measured, default shape, one
     * thread: 0.37 vs ~0.9 ms at 32, about even at 128, DL4J ~2× ahead at 512, where its fixed cost is spread and
     * {@link LstmStep}'s {@code Math.exp} calls dominate).
     */
    static final int ONE_STEP_MAX_BATCH = 128;

    private static final List<String> LSTM_STATE_KEYS =
            List.of(LSTM.STATE_KEY_PREV_ACTIVATION, LSTM.STATE_KEY_PREV_MEMCELL);
    private MultiLayerNetwork stepNetwork;
    private LstmStep step;

    private void scatter(MultiLayerNetwork net, int recurrentLayers, long version, String[] sensors, long[] ends,
                         List<State> before) {
        int b = sensors.length;
        List<float[]> flats = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        for (int layer = 0; layer < recurrentLayers; layer++) {
            for (INDArray a : new TreeMap<>(net.rnnGetPreviousState(layer)).values()) {
                flats.add(a.dup('c').data().asFloat());   // stored 'f'-ordered
                widths.add((int) (a.length() / b));
            }
        }
        for (int i = 0; i < b; i++) {
            float[][] slots = new float[flats.size()][];
            State previous = before == null ? states.get(sensors[i]) : before.get(i);
            for (int s = 0; s < slots.length; s++) {
                int w = widths.get(s);
                slots[s] = new float[w];
                System.arraycopy(flats.get(s), i * w, slots[s], 0, w);
            }
            if (before != null) {
                states.put(sensors[i], stepped(sensors[i], previous, version, ends[i], slots));
                continue;
            }
            int limit = previous != null && previous.version == version && previous.age >= previous.limit ? reseedEvery
                    : firstLimit(sensors[i]);
            states.put(sensors[i], new State(version, ends[i], 0, limit, slots));
        }
        keysSeen = keysOf(net, recurrentLayers);
    }

    /**
     * The single steps before a sensor's first scheduled re-seed after an unscheduled one (start, restart, model swap,
     * gap): spread over 1..reseedEvery by the sensor id, so sensors seeded together (every sensor after a swap) are
     * not all re-seeded again together every reseedEvery steps, each time a burst of full-window passes that would
     * stall forecasting. From then on every sensor is re-seeded every reseedEvery steps.
     */
    int firstLimit(String sensor) {
        return 1 + spread(sensor, reseedEvery);
    }

    /** {@code 0..n-1} from the sensor id (its hash scrambled, so similar ids land far apart): the spread's one source. */
    private static int spread(String sensor, int n) {
        return Math.floorMod(sensor.hashCode() * 0x9E3779B9, n);
    }

    /** Each recurrent layer's state keys (e.g. LSTM's prevAct, prevMem), sorted; the slot order of {@link State}. */
    private List<List<String>> keysSeen = List.of();

    private List<List<String>> keysOf(MultiLayerNetwork net, int recurrentLayers) {
        List<List<String>> keys = new ArrayList<>();
        for (int layer = 0; layer < recurrentLayers; layer++) {
            keys.add(new ArrayList<>(new TreeMap<>(net.rnnGetPreviousState(layer)).keySet()));
        }
        return keys;
    }

    private static float[] lastValues(float[][] windows) {
        float[] last = new float[windows.length];
        for (int i = 0; i < windows.length; i++) {
            last[i] = windows[i][windows[i].length - 1];
        }
        return last;
    }
}
