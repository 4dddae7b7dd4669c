package io.sensorcast.model.lab;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Measures how much of the loss gradient reaches back through time: {@code ‖∂L/∂h_{T−k}‖} for k = 0…T, where h is
 * the output of the network's first (recurrent) layer and L is the network's own loss on the last step only.
 *
 * <p><b>How, with DL4J's own backprop.</b> DL4J does not hand out ∂L/∂h_t for earlier steps, but its recurrent
 * layers' truncated backward pass does, indirectly: {@code tbpttBackpropGradient(ε, m)} runs exactly the last m steps
 * of the full backward recursion, so its bias gradient is the sum of those steps' pre-activation deltas
 * {@code Σ_{t>T−m} δ_t} (for an LSTM the four gates' deltas side by side). Differencing consecutive lengths gives
 * each {@code δ_{T−m+1}}, and since {@code h_{t−1}} enters step t only through {@code z_t = x_t·W + h_{t−1}·RW + b},
 * {@code ∂L/∂h_{t−1} = δ_t · RWᵀ}. ε, and with it ∂L/∂h_T, is the epsilon DL4J's output layer passes down (its MSE
 * gradient with a label mask on the last step). The network is copied to DOUBLE first, so the differences keep
 * ~1e-16 of the sum's precision and a curve can be followed ~12 decades down from its start.
 *
 * <p>Cost: T backward passes of growing length, each with its own forward pass: quadratic in T.
 * (Why not the network's TBPTT setting: in DL4J 1.0.0-M2.1 {@code MultiLayerNetwork} ignores
 * {@code tBPTTBackwardLength}; its gradient always runs back over the whole forward segment.)
 */
public final class GradientFlow {
    private GradientFlow() {
    }

    /**
     * {@code ‖∂L/∂h_{T−k}‖₂} for k = 0…T (T + 1 = the input length) of {@code net}'s first layer (a SimpleRnn or
     * LSTM), for one sequence {@code features [1, nIn, T+1]} with {@code labels [1, nOut, T+1]} of which only the last
     * step counts. {@code net} itself is not changed. {@code progress} receives the count of k done.
     */
    public static double[] norms(MultiLayerNetwork net, INDArray features, INDArray labels, IntConsumer progress) {
        if (features.size(0) != 1) {
            throw new IllegalArgumentException("one sequence at a time, got a batch of " + features.size(0));
        }
        MultiLayerNetwork probe = net.convertDataType(DataType.DOUBLE);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        int steps = (int) features.size(2);
        INDArray x = features.castTo(DataType.DOUBLE);
        INDArray y = labels.castTo(DataType.DOUBLE);
        INDArray lastStepOnly = Nd4j.zeros(DataType.DOUBLE, 1, steps);
        lastStepOnly.putScalar(0, steps - 1, 1.0);

        probe.rnnClearPreviousState();
        List<INDArray> activations = probe.feedForwardToLayer(0, x, false);
        INDArray h = activations.get(1).dup('f');
        if (probe.getnLayers() != 2 || !(probe.getOutputLayer() instanceof RnnOutputLayer output)
                || !(probe.getLayer(0) instanceof RecurrentLayer recurrent)) {
            throw new IllegalArgumentException("need one recurrent layer under an RnnOutputLayer");
        }
        probe.initGradientsView();
        output.setInput(h, noWorkspaces);
        output.setLabels(y);
        output.setMaskArray(lastStepOnly);
        INDArray epsilon = output.backpropGradient(null, noWorkspaces).getSecond().dup('f');

        Layer layer = (Layer) recurrent;
        INDArray rw = layer.getParam("RW");
        long gateColumns = layer.getParam("b").length();
        // a GravesLSTM's RW carries peephole columns after the 4·hidden gate block; LSTM and SimpleRnn have none
        INDArray rwGates = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, gateColumns));

        double[] out = new double[steps];
        out[0] = epsilon.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(steps - 1)).norm2Number().doubleValue();
        progress.accept(1);
        INDArray previousSum = Nd4j.zeros(DataType.DOUBLE, 1, gateColumns);
        for (int m = 1; m < steps; m++) {
            layer.setInput(x, noWorkspaces);
            // dup: SimpleRnn accumulates the recurrent part into the epsilon it is given
            INDArray biasSum = recurrent.tbpttBackpropGradient(epsilon.dup('f'), m, noWorkspaces).getFirst()
                    .getGradientFor("b").dup().reshape(1, gateColumns);
            INDArray delta = biasSum.sub(previousSum);                                    // δ_{T−m+1}
            out[m] = delta.mmul(rwGates.transpose()).norm2Number().doubleValue();         // ∂L/∂h_{T−m}
            previousSum = biasSum;
            progress.accept(m + 1);
        }
        layer.clear();
        output.clear();
        return out;
    }
}
