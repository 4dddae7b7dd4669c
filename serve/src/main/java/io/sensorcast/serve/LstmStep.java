package io.sensorcast.serve;

import io.sensorcast.model.FusedLstmKernel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * One time step of a serving network — DL4J {@code LSTM} layers (sigmoid gates, tanh cell, no peepholes) under an
 * identity {@code RnnOutputLayer} — computed in plain Java arrays from the network's parameters.
 *
 * <p>Why: a stateful forecast is one step, and DL4J spends ~1 ms of fixed cost on a call whatever the batch (setting
 * and reading the layers' state, workspaces, a dozen small ops), while the arithmetic for a batch of 32 with 64 units
 * is ~0.5 M multiply-adds. Serve's tasks forecast in batches of a few dozen at 10,000 sequences/s, so that fixed cost
 * was most of their CPU. Same equations and gate layout as DL4J and the trainer's {@code FusedLstmKernel}: gate
 * columns {@code [a | f | o | g]}, {@code c = f⊙c₋₁ + g⊙a}, {@code h = o⊙tanh(c)}, {@code a = tanh(·)}, the others
 * sigmoid. States are the layers' {@code rnnTimeStep} state in {@link RecurrentStates}' slot order ({@code prevAct},
 * {@code prevMem} per layer), so seeding stays DL4J's and the two interleave.
 *
 * <p>Immutable after {@link #of}; {@link #step} allocates its outputs, so one instance may serve any thread.
 */
final class LstmStep {
    private final int layers;
    private final int hidden;
    private final int horizon;
    private final int[] nIn;
    /** Per layer: input weights {@code [nIn][4H]}, recurrent weights {@code [H][4H]}, bias {@code [4H]}, row-major. */
    private final float[][] w;
    private final float[][] rw;
    private final float[][] b;
    private final float[] outW;   // [H][horizon]
    private final float[] outB;   // [horizon]

    private LstmStep(int layers, int hidden, int horizon, int[] nIn, float[][] w, float[][] rw, float[][] b,
                     float[] outW, float[] outB) {
        this.layers = layers;
        this.hidden = hidden;
        this.horizon = horizon;
        this.nIn = nIn;
        this.w = w;
        this.rw = rw;
        this.b = b;
        this.outW = outW;
        this.outB = outB;
    }

    /** The step of {@code net}, or null when it is not LSTM layers under an identity output layer. */
    static LstmStep of(MultiLayerNetwork net) {
        Layer[] all = net.getLayers();
        int layers = all.length - 1;
        if (layers < 1 || !(all[layers] instanceof RnnOutputLayer out)
                || !(out.layerConf().getActivationFn() instanceof ActivationIdentity)) {
            return null;
        }
        int hidden = -1;
        int[] nIn = new int[layers];
        float[][] w = new float[layers][];
        float[][] rw = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            if (!(all[l] instanceof LSTM lstm)
                    || !(lstm.layerConf().getGateActivationFn() instanceof ActivationSigmoid)
                    || !(lstm.layerConf().getActivationFn() instanceof ActivationTanH)) {
                return null;
            }
            float[][] wl = lstm.getParam("W").toFloatMatrix();
            float[][] rwl = lstm.getParam("RW").toFloatMatrix();
            int h = rwl.length;
            if (rwl[0].length != 4 * h || wl[0].length != 4 * h || (hidden >= 0 && h != hidden)
                    || (l > 0 && wl.length != hidden)) {
                return null;
            }
            hidden = h;
            nIn[l] = wl.length;
            w[l] = flatten(wl);
            rw[l] = flatten(rwl);
            b[l] = lstm.getParam("b").reshape(4L * h).toFloatVector();
        }
        float[][] ow = out.getParam("W").toFloatMatrix();
        if (ow.length != hidden) {
            return null;
        }
        return new LstmStep(layers, hidden, ow[0].length, nIn, w, rw, b, flatten(ow),
                out.getParam("b").reshape(ow[0].length).toFloatVector());
    }

    int layers() {
        return layers;
    }

    /**
     * Advances every row by one step with input {@code x[i]} (the first layer's one feature) from {@code before[i]}
     * (slots {@code 2l} = h, {@code 2l + 1} = c of layer l); writes the new slots to {@code after[i]} and returns the
     * output layer's {@code [B][horizon]} values.
     */
    float[][] step(float[] x, float[][][] before, float[][][] after) {
        int rows = x.length;
        int h = hidden;
        int width = 4 * h;
        float[] in = x;   // only read; each layer's output takes its place
        int inWidth = 1;
        float[] z = new float[width];
        for (int l = 0; l < layers; l++) {
            if (nIn[l] != inWidth) {
                throw new IllegalArgumentException("layer " + l + " takes " + nIn[l] + " inputs, got " + inWidth);
            }
            float[] wl = w[l];
            float[] rwl = rw[l];
            float[] bl = b[l];
            float[] next = new float[rows * h];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bl, 0, z, 0, width);
                for (int i = 0; i < inWidth; i++) {
                    axpy(in[r * inWidth + i], wl, i * width, z, width);
                }
                float[] hPrev = before[r][2 * l];
                float[] cPrev = before[r][2 * l + 1];
                for (int j = 0; j < h; j++) {
                    axpy(hPrev[j], rwl, j * width, z, width);
                }
                float[] hNew = new float[h];
                float[] cNew = new float[h];
                for (int j = 0; j < h; j++) {
                    float a = FusedLstmKernel.tanh(z[j]);
                    float f = FusedLstmKernel.sigmoid(z[h + j]);
                    float o = FusedLstmKernel.sigmoid(z[2 * h + j]);
                    float g = FusedLstmKernel.sigmoid(z[3 * h + j]);
                    float c = f * cPrev[j] + g * a;
                    cNew[j] = c;
                    hNew[j] = o * FusedLstmKernel.tanh(c);
                }
                after[r][2 * l] = hNew;
                after[r][2 * l + 1] = cNew;
                System.arraycopy(hNew, 0, next, r * h, h);
            }
            in = next;
            inWidth = h;
        }
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            float[] o = outB.clone();
            for (int j = 0; j < h; j++) {
                axpy(in[r * h + j], outW, j * horizon, o, horizon);
            }
            out[r] = o;
        }
        return out;
    }

    /** {@code y += a · m[offset .. offset + n)}: one row of a row-major matrix, a loop the JIT vectorises. */
    private static void axpy(float a, float[] m, int offset, float[] y, int n) {
        if (a == 0f) {
            return;
        }
        for (int k = 0; k < n; k++) {
            y[k] += a * m[offset + k];
        }
    }

    private static float[] flatten(float[][] m) {
        int cols = m[0].length;
        float[] flat = new float[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, flat, i * cols, cols);
        }
        return flat;
    }
}
