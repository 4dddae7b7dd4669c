package io.sensorcast.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * L2 norms of a gradient: the global norm {@code sqrt(Σ_l ‖g_l‖²)} and one per layer, of the minibatch-mean
 * gradient (the flattened summed gradient divided by {@code divisor}).
 *
 * @param global global L2 norm; NaN or infinite if any element is (or if the float sum of squares overflows,
 *               which needs an element above ~1e19)
 * @param layers per-layer norms, in layer order (index = DL4J layer index)
 */
public record GradientNorms(double global, double[] layers) {

    /** Layer boundaries of a network's flattened parameter/gradient vector: {@code n+1} offsets for n layers. */
    public static long[] layerOffsets(MultiLayerNetwork net) {
        Layer[] ls = net.getLayers();
        long[] offsets = new long[ls.length + 1];
        for (int i = 0; i < ls.length; i++) {
            offsets[i + 1] = offsets[i] + ls[i].numParams();
        }
        return offsets;
    }

    /** The norms of the gradient the network holds now (after backprop), divided by its minibatch size. */
    public static GradientNorms of(MultiLayerNetwork net) {
        return measure(net.gradient().gradient(), layerOffsets(net), Math.max(1, net.batchSize()));
    }

    /** Norms of {@code flat/divisor}, split at {@code offsets}. */
    public static GradientNorms measure(INDArray flat, long[] offsets, double divisor) {
        double[] layers = new double[offsets.length - 1];
        double sumSq = 0;
        for (int l = 0; l < layers.length; l++) {
            double n = segment(flat, offsets[l], offsets[l + 1]).norm2Number().doubleValue() / divisor;
            layers[l] = n;
            sumSq += n * n;
        }
        return new GradientNorms(Math.sqrt(sumSq), layers);
    }

    /** A view of {@code flat[from, to)} whether the flattened vector is rank 1 or a {@code [1,N]} row. */
    static INDArray segment(INDArray flat, long from, long to) {
        if (flat.rank() == 2) {
            return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, to));
        }
        return flat.get(NDArrayIndex.interval(from, to));
    }

    public boolean finite() {
        return Double.isFinite(global);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientNorms g && Double.compare(global, g.global) == 0 && Arrays.equals(layers, g.layers);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(global) + Arrays.hashCode(layers);
    }

    @Override
    public String toString() {
        return "GradientNorms[global=" + global + ", layers=" + Arrays.toString(layers) + "]";
    }
}
