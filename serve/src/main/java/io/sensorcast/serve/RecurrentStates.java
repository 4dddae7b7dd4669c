package io.sensorcast.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sensorcast.model.LastValueReference;
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
 * consecutive ({@code end} = previous {@code end} + {@code stepMs}) and the model version is unchanged. It is seeded
 * again after a model swap, a gap, a restart (states are not persisted) or {@code reseedEvery} single steps. An
 * advanced forecast conditions on every value since the seed, each normalised with the statistics of its own
 * sequence, so it is close to but not identical with the full-window forecast; with constant statistics it equals a
 * forward pass over the whole history since the seed (RecurrentStatesTest).
 *
 * <p>Batches are gathered from and scattered to the per-sensor arrays (NOTES.md: per-row INDArray storage is 20–40×
 * slower). The network's own stored state is cleared after each call: one network serves many batches.
 */
final class RecurrentStates {
    private record State(long version, long end, int age, float[][] slots) {
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
        State s = states.get(sensor);
        return s != null && s.version == version && s.end + stepMs == end && s.age < reseedEvery;
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
            for (int s = 0; s < slots.length; s++) {
                int w = widths.get(s);
                slots[s] = new float[w];
                System.arraycopy(flats.get(s), i * w, slots[s], 0, w);
            }
            int age = before == null ? 0 : before.get(i).age + 1;
            states.put(sensors[i], new State(version, ends[i], age, slots));
        }
        keysSeen = keysOf(net, recurrentLayers);
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
