package io.sensorcast.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one owner of the "forecast relative to the last value" transform, used by training, serving and eval.
 *
 * <p><b>Layout.</b> A window {@code v[0..W−1]} (normalised) gives {@code T = W − horizon} input steps
 * {@code x[t] = v[t]} and, at every input step t, the targets {@code y[t][k] = v[t+1+k] − v[t]} for
 * {@code k = 0..horizon−1} (with {@code relativeToLastValue}; absolute {@code v[t+1+k]} without). A network output
 * {@code o[t]} is turned back into absolute normalised forecasts by {@link #toAbsolute(float, float[])}:
 * {@code v̂[t+1+k] = v[t] + o[t][k]}. An untrained (≈0 output), drifting or freshly rolled-back model thus degrades
 * towards persistence, not towards garbage.
 *
 * <p><b>Inputs are not re-referenced by default.</b> Subtracting the window's last value from every input
 * ({@code reReferenceInputs}) resists level shifts (the PyTorch measurements on ETTh1, h=24: frozen
 * 0.0290 vs 0.0526) but changes the whole input sequence whenever a new value arrives, so serving could no longer
 * carry recurrent state from one step to the next with {@code rnnTimeStep} (one step per sensor per tick, ~200k
 * steps/s) and would have to re-run the whole window (~2,300 windows/s). Under our protocol (online, test-then-train)
 * the same measurements favour plain inputs anyway (online 0.0314 vs 0.0334). With plain inputs the output at the
 * newest step depends only on the recurrent state and the newest value, so {@code rnnTimeStep} and a full-window
 * forward pass give the same forecast. The option is kept so eval can measure both.
 *
 * <p>Arrays are DL4J's recurrent layout {@code [batch, channels, time]}: features {@code [B, 1, T]},
 * labels {@code [B, horizon, T]}.
 */
public final class LastValueReference {
    private final int window;
    private final int horizon;
    private final boolean relative;
    private final boolean reReferenceInputs;

    public LastValueReference(ModelConfig config) {
        this(config.window(), config.horizon(), config.relativeToLastValue(), config.reReferenceInputs());
    }

    public LastValueReference(int window, int horizon, boolean relativeToLastValue, boolean reReferenceInputs) {
        if (horizon < 1 || horizon >= window) {
            throw new IllegalArgumentException("need 1 <= horizon < window, got horizon " + horizon + ", window " + window);
        }
        this.window = window;
        this.horizon = horizon;
        this.relative = relativeToLastValue;
        this.reReferenceInputs = reReferenceInputs;
    }

    /** Training inputs and targets of one batch. */
    public record TrainingArrays(INDArray features, INDArray labels) {
    }

    public int inputSteps() {
        return window - horizon;
    }

    public int horizon() {
        return horizon;
    }

    public boolean relative() {
        return relative;
    }

    /** Whether each input window is taken relative to its own last value (serving's one-step inputs then are 0). */
    public boolean reReferenceInputs() {
        return reReferenceInputs;
    }

    /** Inputs {@code [B,1,W−horizon]} and per-step targets {@code [B,horizon,W−horizon]} from W-step windows. */
    public TrainingArrays trainingArrays(float[][] windows) {
        int b = windows.length;
        int steps = inputSteps();
        // 'f' order (batch fastest, time slowest): DL4J's recurrent layers and TBPTT slice along time, which is
        // contiguous here; with 'c' arrays a training step took measurably longer (NOTES in the report)
        float[] x = new float[b * steps];
        float[] y = new float[b * horizon * steps];
        for (int i = 0; i < b; i++) {
            float[] v = checkWindow(windows[i], i);
            float inputRef = reReferenceInputs ? v[steps - 1] : 0f;
            for (int t = 0; t < steps; t++) {
                x[i + t * b] = v[t] - inputRef;
                float ref = relative ? v[t] : 0f;
                int base = i + t * b * horizon;
                for (int k = 0; k < horizon; k++) {
                    y[base + k * b] = v[t + 1 + k] - ref;
                }
            }
        }
        return new TrainingArrays(Nd4j.create(x, new long[]{b, 1, steps}, 'f'),
                Nd4j.create(y, new long[]{b, horizon, steps}, 'f'));
    }

    /**
     * Inputs {@code [B,1,L]} for forecasting from the last value of each series (any length L ≥ 1; serving and
     * {@link #forecast} pass the whole window, so the forecast covers the steps after its last value).
     */
    public INDArray forecastFeatures(float[][] series) {
        int b = series.length;
        int len = series[0].length;
        float[] x = new float[b * len];
        for (int i = 0; i < b; i++) {
            float[] v = series[i];
            if (v.length != len) {
                throw new IllegalArgumentException("all series in a batch need the same length: " + v.length + " != " + len);
            }
            float ref = reReferenceInputs ? v[len - 1] : 0f;
            for (int t = 0; t < len; t++) {
                x[i + t * b] = v[t] - ref;
            }
        }
        return Nd4j.create(x, new long[]{b, 1, len}, 'f');
    }

    /** Absolute normalised forecasts {@code v̂[k] = lastValue + output[k]} (or {@code output[k]} when not relative). */
    public float[] toAbsolute(float lastValue, float[] output) {
        float[] out = new float[output.length];
        float ref = relative ? lastValue : 0f;
        for (int k = 0; k < output.length; k++) {
            out[k] = ref + output[k];
        }
        return out;
    }

    /**
     * Absolute normalised forecasts from the network output at time step {@code t} of a {@code [B,horizon,L]} output,
     * for series whose value at step t is {@code lastValues[b]}.
     */
    public float[][] toAbsolute(float[] lastValues, INDArray output, long t) {
        int b = lastValues.length;
        float[][] out = new float[b][];
        INDArray atT = output.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(t)).dup('c');
        float[] flat = atT.data().asFloat();
        for (int i = 0; i < b; i++) {
            float[] o = new float[horizon];
            System.arraycopy(flat, i * horizon, o, 0, horizon);
            out[i] = toAbsolute(lastValues[i], o);
        }
        return out;
    }

    /**
     * Forecasts of the {@code horizon} steps after the last value of each series (normalised units), with a
     * full forward pass. Serving's stateful {@code rnnTimeStep} path must agree with this.
     */
    public float[][] forecast(MultiLayerNetwork network, float[][] series) {
        INDArray out = network.output(forecastFeatures(series), false);
        float[] last = new float[series.length];
        for (int i = 0; i < series.length; i++) {
            last[i] = series[i][series[i].length - 1];
        }
        return toAbsolute(last, out, out.size(2) - 1);
    }

    private float[] checkWindow(float[] v, int i) {
        if (v.length != window) {
            throw new IllegalArgumentException("window " + i + " has " + v.length + " values, expected " + window);
        }
        return v;
    }
}
