package io.sensorcast.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.layers.recurrent.LSTMHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.lang.reflect.Field;
import java.nio.FloatBuffer;
import java.util.Map;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * DL4J's {@code LSTM} layer computed with one BLAS call and one Java loop per time step instead of DL4J's ~40 ops.
 *
 * <p>Why: on the CPU, DL4J 1.0.0-M2.1's LSTM is a Java loop over time steps that issues dozens of small ND4J ops per
 * step (views, dups, element-wise ops), ~0.7 ms per step whatever the batch (NOTES.md); libnd4j's fused
 * {@code lstmLayer}/{@code lstmLayer_bp} ops were measured slower still here (15.8 ms for the backward pass of one
 * 24-step segment at batch 32), and ND4J's own sigmoid/tanh and {@code Nd4j.gemm} cost 60–170 µs a call at batch 32.
 * This kernel keeps DL4J's layer, parameters, updater, TBPTT and serialisation, and plugs in through DL4J's own
 * {@link LSTMHelper} slot (the one cuDNN uses on GPUs), so checkpoints are unchanged.
 *
 * <p>Per step, forward: one OpenBLAS {@code sgemm} for the recurrent term (the input term of all steps is one
 * {@code sgemm} up front), then one Java loop over the arrays' memory for the gate activations ({@code Math.exp}),
 * the cell and the output. Backward: one {@code sgemm} for the recurrent error and one Java loop for the gate
 * deltas; the weight, bias and input gradients are one {@code sgemm} (or sum) each over all steps. Everything is kept
 * time-major in preallocated FLOAT arrays owned by the kernel (one set per layer; DL4J drives a layer from one
 * thread).
 *
 * <p>One difference from DL4J on purpose: under TBPTT, DL4J M2.1 recomputes a segment's forward pass for backprop
 * from the layer's rnnTimeStep state instead of the state carried into the segment; the kernel back-propagates
 * through the training forward pass that produced the loss (see {@link #activate}).
 *
 * <p>Same equations and gate layout as DL4J's {@code LSTMHelpers} (no peepholes): the 4H gate columns are
 * {@code [a | f | o | g]}, {@code c = f⊙c₋₁ + g⊙a}, {@code h = o⊙tanh(c)}, {@code a = tanh(·)}, the others sigmoid.
 * Unsupported cases (other activations, masks, peepholes, backwards direction, non-FLOAT) return null, which makes
 * DL4J use its own implementation; {@code FusedLstmKernelTest} checks outputs and gradients against it.
 */
public final class FusedLstmKernel implements LSTMHelper {
    private static final Field HELPER_FIELD = helperField();

    private final Buffers inference = new Buffers();
    private final Buffers training = new Buffers();
    /**
     * The input of the latest training-mode forward pass, whose results the training buffers hold, until the
     * backward pass that follows it; null when there is none to reuse.
     */
    private INDArray pendingInput;

    /**
     * Puts a kernel into every DL4J {@code LSTM} layer of {@code net} that has none yet; returns how many layers got
     * one. Layers are rebuilt by DL4J on clone or restore, so call this for every network you train.
     */
    public static int install(MultiLayerNetwork net) {
        int installed = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof LSTM lstm && lstm.getHelper() == null
                    && supports(lstm.layerConf().getGateActivationFn(), lstm.layerConf().getActivationFn())) {
                try {
                    HELPER_FIELD.set(lstm, new FusedLstmKernel());
                    installed++;
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot set DL4J's LSTM helper", e);
                }
            }
        }
        return installed;
    }

    /** The gates' sigmoid, as every LSTM step of this project computes it (serve's one-step path too). */
    public static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** The cell's tanh, as every LSTM step of this project computes it. */
    public static float tanh(float x) {
        // 2σ(2x) − 1 with one exp; Math.tanh is several times slower here. For |x| < 2^-7 use tanh(x) ≈ x − x³/3
        // (error below float precision) to avoid the cancellation near 0.
        if (Math.abs(x) < 0.0078125f) {
            return x - x * x * x / 3;
        }
        return (float) (2 / (1 + Math.exp(-2.0 * x)) - 1);
    }

    /** Whether {@code layer} runs on this kernel. */
    public static boolean isInstalled(Layer layer) {
        return layer instanceof LSTM lstm && lstm.getHelper() instanceof FusedLstmKernel;
    }

    private static boolean supports(IActivation gate, IActivation activation) {
        return gate instanceof ActivationSigmoid && activation instanceof ActivationTanH;
    }

    @Override
    public boolean checkSupported(IActivation gateActivationFn, IActivation activationFn, boolean hasPeepholeConnections) {
        return supports(gateActivationFn, activationFn) && !hasPeepholeConnections;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of("fusedLstmBuffers", 4L * (inference.floats() + training.floats()));
    }

    /** The forward pass of a FLOAT segment; holds the buffers its backward pass reads. */
    private static final class Forward extends FwdPassReturn {
        final Buffers buffers;

        Forward(Buffers buffers) {
            this.buffers = buffers;
        }
    }

    @Override
    public FwdPassReturn activate(Layer layer, NeuralNetConfiguration conf, IActivation gateActivationFn,
                                  INDArray input, INDArray recurrentWeights, INDArray inputWeights, INDArray biases,
                                  boolean trainingMode, INDArray prevOutputActivations, INDArray prevMemCellState,
                                  boolean forBackprop, boolean forwards, String inputWeightKey, INDArray maskArray,
                                  boolean hasPeepholeConnections, LayerWorkspaceMgr workspaceMgr) {
        IActivation afn = ((BaseLayer) conf.getLayer()).getActivationFn();
        if (!forwards || maskArray != null || hasPeepholeConnections || !supports(gateActivationFn, afn)
                || input.dataType() != DataType.FLOAT || recurrentWeights.dataType() != DataType.FLOAT) {
            return null;
        }
        int hidden = (int) recurrentWeights.size(0);
        if (recurrentWeights.size(1) != 4L * hidden) {
            return null;
        }
        INDArray in = input.rank() == 2 ? input.reshape(input.size(0), input.size(1), 1) : input;
        int batch = (int) in.size(0);
        int nIn = (int) in.size(1);
        int steps = (int) in.size(2);

        if (forBackprop && input == pendingInput && training.batch == batch && training.steps == steps) {
            // DL4J runs the forward pass again before backprop, and (M2.1, TBPTT) from the layer's rnnTimeStep
            // state instead of the segment's carried state, so segments after the first would get the gradient
            // of a different forward pass than the one that gave the loss. The training forward pass just done is
            // the right one; reuse it.
            pendingInput = null;
            return withLastState(new Forward(training), training, workspaceMgr);
        }
        Buffers b = forBackprop || trainingMode ? training : inference;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            b.ensure(steps, batch, nIn, hidden);
            b.forward(in, inputWeights, recurrentWeights, biases, prevOutputActivations, prevMemCellState);
        }

        Forward ret = withLastState(new Forward(b), b, workspaceMgr);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{batch, hidden, steps}, 'f');
        out.assign(b.hs.get(NDArrayIndex.interval((long) batch, (long) (steps + 1) * batch), NDArrayIndex.all())
                .reshape('c', steps, batch, hidden).permute(1, 2, 0));
        ret.fwdPassOutput = input.rank() == 2 ? out.reshape('f', batch, hidden) : out;
        pendingInput = trainingMode && !forBackprop ? input : null;
        return ret;
    }

    private static Forward withLastState(Forward ret, Buffers b, LayerWorkspaceMgr workspaceMgr) {
        ret.lastAct = workspaceMgr.dup(ArrayType.ACTIVATIONS, b.hBlock[b.steps]);
        ret.lastMemCell = workspaceMgr.dup(ArrayType.ACTIVATIONS, b.cBlock[b.steps]);
        return ret;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(NeuralNetConfiguration conf, IActivation gateActivationFn,
                                                     INDArray input, INDArray recurrentWeights, INDArray inputWeights,
                                                     INDArray epsilon, boolean truncatedBPTT, int tbpttBackwardLength,
                                                     FwdPassReturn fwdPass, boolean forwards, String inputWeightKey,
                                                     String recurrentWeightKey, String biasWeightKey,
                                                     Map<String, INDArray> gradientViews, INDArray maskArray,
                                                     boolean hasPeepholeConnections, LayerWorkspaceMgr workspaceMgr) {
        if (!(fwdPass instanceof Forward fwd) || fwd.buffers != training || !forwards || maskArray != null
                || hasPeepholeConnections || epsilon.dataType() != DataType.FLOAT) {
            return null;
        }
        pendingInput = null;
        Buffers b = fwd.buffers;
        INDArray eps = epsilon.rank() == 2 ? epsilon.reshape(epsilon.size(0), epsilon.size(1), 1) : epsilon;
        if (eps.size(0) != b.batch || eps.size(1) != b.hidden || eps.size(2) != b.steps) {
            return null;
        }
        int first = truncatedBPTT ? Math.max(0, b.steps - tbpttBackwardLength) : 0;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            b.backward(eps, first);
        }

        INDArray wGrad = gradientViews.get(inputWeightKey);
        INDArray rwGrad = gradientViews.get(recurrentWeightKey);
        INDArray bGrad = gradientViews.get(biasWeightKey);
        wGrad.assign(b.dW);
        rwGrad.assign(b.dRW);
        bGrad.assign(b.dB.reshape(bGrad.shape()));

        INDArray epsilonNext = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[]{b.batch, b.nIn, b.steps}, 'f');
        if (first < b.steps) {
            INDArray dx = b.dXs.get(NDArrayIndex.interval((long) first * b.batch, (long) b.steps * b.batch), NDArrayIndex.all())
                    .reshape('c', b.steps - first, b.batch, b.nIn).permute(1, 2, 0);
            epsilonNext.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(first, b.steps)).assign(dx);
        }
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(inputWeightKey, wGrad);
        g.gradientForVariable().put(recurrentWeightKey, rwGrad);
        g.gradientForVariable().put(biasWeightKey, bGrad);
        return new Pair<>(g, epsilon.rank() == 2 ? epsilonNext.reshape('f', b.batch, b.nIn) : epsilonNext);
    }

    /**
     * Time-major working arrays for one shape, reused while the shape stays the same. Row block {@code t} of
     * {@code gates} holds step t's gate activations [batch, 4H]; blocks {@code t+1} of {@code hs}/{@code cs} hold
     * h_t and c_t, block 0 the initial state. All 'c' order, offset 0, so the loops and BLAS address them directly.
     */
    private static final class Buffers {
        int steps = -1;
        int batch = -1;
        int nIn = -1;
        int hidden = -1;

        INDArray xs;        // [T*B, nIn]
        INDArray w;         // [nIn, 4H] copy of the input weights
        INDArray rw;        // [H, 4H] copy of the recurrent weights
        INDArray bias;      // [1, 4H] copy of the biases
        INDArray gates;     // [T*B, 4H]
        INDArray hs;        // [(T+1)*B, H]
        INDArray cs;        // [(T+1)*B, H]
        INDArray tanhC;     // [T*B, H]
        INDArray es;        // [T*B, H] epsilon, time-major
        INDArray dZ;        // [T*B, 4H]
        INDArray dhRec;     // [B, H] recurrent part of dL/dh for the step being processed
        INDArray dcNext;    // [B, H] dL/dc_t carried to step t-1 (already multiplied by f_t)
        INDArray dW;        // [nIn, 4H]
        INDArray dRW;       // [H, 4H]
        INDArray dB;        // [1, 4H]
        INDArray dXs;       // [T*B, nIn]
        INDArray[] hBlock;
        INDArray[] cBlock;
        FloatBuffer[] gateRows; // block t of gates, as a buffer starting there (BLAS takes a buffer's start)
        FloatBuffer[] hRows;
        FloatBuffer[] dZRows;
        FloatBuffer xMem;
        FloatBuffer wMem;
        FloatBuffer rwMem;
        FloatBuffer biasMem;
        FloatBuffer gateMem;
        FloatBuffer hMem;
        FloatBuffer cMem;
        FloatBuffer tanhCMem;
        FloatBuffer eMem;
        FloatBuffer dZMem;
        FloatBuffer dhRecMem;
        FloatBuffer dcNextMem;
        FloatBuffer dWMem;
        FloatBuffer dRWMem;
        FloatBuffer dXMem;

        long floats() {
            return steps < 0 ? 0 : (long) steps * batch * (nIn * 2L + 4 * hidden * 2L + hidden * 2L)
                    + 2L * (steps + 1) * batch * hidden;
        }

        void ensure(int t, int bs, int n, int h) {
            if (t == steps && bs == batch && n == nIn && h == hidden) {
                return;
            }
            steps = t;
            batch = bs;
            nIn = n;
            hidden = h;
            xs = Nd4j.create(DataType.FLOAT, (long) t * bs, n);
            w = Nd4j.create(DataType.FLOAT, n, 4L * h);
            rw = Nd4j.create(DataType.FLOAT, h, 4L * h);
            bias = Nd4j.create(DataType.FLOAT, 1, 4L * h);
            gates = Nd4j.create(DataType.FLOAT, (long) t * bs, 4L * h);
            hs = Nd4j.create(DataType.FLOAT, (long) (t + 1) * bs, h);
            cs = Nd4j.create(DataType.FLOAT, (long) (t + 1) * bs, h);
            tanhC = Nd4j.create(DataType.FLOAT, (long) t * bs, h);
            es = Nd4j.create(DataType.FLOAT, (long) t * bs, h);
            dZ = Nd4j.create(DataType.FLOAT, (long) t * bs, 4L * h);
            dhRec = Nd4j.create(DataType.FLOAT, bs, h);
            dcNext = Nd4j.create(DataType.FLOAT, bs, h);
            dW = Nd4j.create(DataType.FLOAT, n, 4L * h);
            dRW = Nd4j.create(DataType.FLOAT, h, 4L * h);
            dB = Nd4j.create(DataType.FLOAT, 1, 4L * h);
            dXs = Nd4j.create(DataType.FLOAT, (long) t * bs, n);
            xMem = memory(xs);
            wMem = memory(w);
            rwMem = memory(rw);
            biasMem = memory(bias);
            gateMem = memory(gates);
            hMem = memory(hs);
            cMem = memory(cs);
            tanhCMem = memory(tanhC);
            eMem = memory(es);
            dZMem = memory(dZ);
            dhRecMem = memory(dhRec);
            dcNextMem = memory(dcNext);
            dWMem = memory(dW);
            dRWMem = memory(dRW);
            dXMem = memory(dXs);
            hBlock = new INDArray[t + 1];
            cBlock = new INDArray[t + 1];
            hRows = new FloatBuffer[t + 1];
            gateRows = new FloatBuffer[t];
            dZRows = new FloatBuffer[t];
            for (int s = 0; s <= t; s++) {
                hBlock[s] = rows(hs, s, bs);
                cBlock[s] = rows(cs, s, bs);
                hRows[s] = from(hMem, s * bs * h);
            }
            for (int s = 0; s < t; s++) {
                gateRows[s] = from(gateMem, s * bs * 4 * h);
                dZRows[s] = from(dZMem, s * bs * 4 * h);
            }
        }

        void forward(INDArray in, INDArray inputWeights, INDArray recurrentWeights, INDArray biases,
                     INDArray h0, INDArray c0) {
            int h = hidden;
            int bs = batch;
            int width = 4 * h;
            xs.reshape('c', steps, bs, nIn).assign(in.permute(2, 0, 1));
            w.assign(inputWeights);
            rw.assign(recurrentWeights);
            bias.assign(biases.reshape(1, width));
            if (h0 == null) {
                hBlock[0].assign(0);
            } else {
                hBlock[0].assign(h0);
            }
            if (c0 == null) {
                cBlock[0].assign(0);
            } else {
                cBlock[0].assign(c0);
            }
            // the input term of every step in one GEMM; the bias is added in the loop
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, steps * bs, width, nIn,
                    1f, xMem, nIn, wMem, width, 0f, gateMem, width);
            for (int t = 0; t < steps; t++) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, bs, width, h,
                        1f, hRows[t], h, rwMem, width, 1f, gateRows[t], width);
                int gBase = t * bs * width;
                int prev = t * bs * h;
                int next = (t + 1) * bs * h;
                for (int r = 0; r < bs; r++) {
                    int gr = gBase + r * width;
                    int hr = r * h;
                    for (int j = 0; j < h; j++) {
                        float a = tanh(gateMem.get(gr + j) + biasMem.get(j));
                        float f = sigmoid(gateMem.get(gr + h + j) + biasMem.get(h + j));
                        float o = sigmoid(gateMem.get(gr + 2 * h + j) + biasMem.get(2 * h + j));
                        float g = sigmoid(gateMem.get(gr + 3 * h + j) + biasMem.get(3 * h + j));
                        gateMem.put(gr + j, a);
                        gateMem.put(gr + h + j, f);
                        gateMem.put(gr + 2 * h + j, o);
                        gateMem.put(gr + 3 * h + j, g);
                        float c = f * cMem.get(prev + hr + j) + g * a;
                        float tc = tanh(c);
                        cMem.put(next + hr + j, c);
                        tanhCMem.put(prev + hr + j, tc);
                        hMem.put(next + hr + j, o * tc);
                    }
                }
            }
        }

        /** Backward through the forward pass these buffers hold; its copies of the weights are still the ones used. */
        void backward(INDArray epsilon, int first) {
            int h = hidden;
            int bs = batch;
            int width = 4 * h;
            es.reshape('c', steps, bs, h).assign(epsilon.permute(2, 0, 1));
            dcNext.assign(0);
            dhRec.assign(0);
            for (int t = steps - 1; t >= first; t--) {
                if (t < steps - 1) {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, bs, h, width,
                            1f, dZRows[t + 1], width, rwMem, width, 0f, dhRecMem, h);
                }
                int gBase = t * bs * width;
                int base = t * bs * h;
                for (int r = 0; r < bs; r++) {
                    int gr = gBase + r * width;
                    int hr = r * h;
                    for (int j = 0; j < h; j++) {
                        float a = gateMem.get(gr + j);
                        float f = gateMem.get(gr + h + j);
                        float o = gateMem.get(gr + 2 * h + j);
                        float g = gateMem.get(gr + 3 * h + j);
                        float tc = tanhCMem.get(base + hr + j);
                        float dh = eMem.get(base + hr + j) + dhRecMem.get(hr + j);
                        float dc = dcNextMem.get(hr + j) + dh * o * (1 - tc * tc);
                        float cPrev = cMem.get(base + hr + j);
                        dZMem.put(gr + j, dc * g * (1 - a * a));
                        dZMem.put(gr + h + j, dc * cPrev * f * (1 - f));
                        dZMem.put(gr + 2 * h + j, dh * tc * o * (1 - o));
                        dZMem.put(gr + 3 * h + j, dc * a * g * (1 - g));
                        dcNextMem.put(hr + j, dc * f);
                    }
                }
            }
            int rows = (steps - first) * bs;
            if (rows == 0) {
                dW.assign(0);
                dRW.assign(0);
                dB.assign(0);
                return;
            }
            FloatBuffer dz = dZRows[first];
            // gradients summed over the steps and the batch: one GEMM each
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, h, width, rows,
                    1f, hRows[first], h, dz, width, 0f, dRWMem, width);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, nIn, width, rows,
                    1f, from(xMem, first * bs * nIn), nIn, dz, width, 0f, dWMem, width);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, nIn, width,
                    1f, dz, width, wMem, width, 0f, from(dXMem, first * bs * nIn), nIn);
            dB.assign(dZ.get(NDArrayIndex.interval((long) first * bs, (long) steps * bs), NDArrayIndex.all()).sum(true, 0));
        }

        private static INDArray rows(INDArray a, int block, int rows) {
            return a.get(NDArrayIndex.interval((long) block * rows, (long) (block + 1) * rows), NDArrayIndex.all());
        }

        private static FloatBuffer memory(INDArray a) {
            return a.data().asNioFloat();
        }

        /** A buffer over {@code mem} from element {@code offset} (BLAS reads from a buffer's first element). */
        private static FloatBuffer from(FloatBuffer mem, int offset) {
            return mem.duplicate().position(offset).slice();
        }
    }

    private static Field helperField() {
        try {
            Field f = LSTM.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
