package io.sensorcast.model.lab;

import io.sensorcast.model.ClipResult;
import io.sensorcast.model.ClippingPolicy;
import io.sensorcast.model.GradientClipper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyCosineTest {
    // two "layers": [0, 4) with norm 30 and [4, 6) with norm 0.5; batch 1; threshold 5
    private static final long[] OFFSETS = {0, 4, 6};

    private static INDArray gradient() {
        return Nd4j.createFromArray(new float[] {15, -15, 15, 15, 0.3f, 0.4f});
    }

    /** cos(a, b) by plain loops, independent of PolicyComparison. */
    private static double cosine(INDArray a, INDArray b) {
        double[] x = a.toDoubleVector();
        double[] y = b.toDoubleVector();
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }

    private static double cosineAfter(ClippingPolicy policy, boolean excludeOutput) {
        INDArray raw = gradient();
        INDArray clipped = raw.dup();
        ClipResult r = new GradientClipper(policy, 5, excludeOutput).clip(clipped, OFFSETS, 1);
        assertTrue(r.preClipNorm() > 5, "the gradient must be above the threshold for the test to mean anything");
        assertTrue(r.clipped());
        return cosine(raw, clipped);
    }

    @Test
    void shouldKeepDirectionExactlyWhenPolicyIsGlobalNorm() {
        assertEquals(1.0, cosineAfter(ClippingPolicy.GLOBAL_NORM, false), 1e-12);
    }

    @Test
    void shouldTurnTheUpdateWhenPolicyClipsLayersOrElementsDifferently() {
        assertTrue(cosineAfter(ClippingPolicy.LAYER_NORM, false) < 0.9999);
        assertTrue(cosineAfter(ClippingPolicy.GLOBAL_NORM, true) < 0.9999);
    }

    @Test
    void shouldMatchTheIndependentCosineWhenLabComputesIt() {
        INDArray a = gradient();
        INDArray b = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6});
        assertEquals(cosine(a, b), PolicyComparison.cosine(a, b), 1e-12);
        assertEquals(DataType.FLOAT, a.dataType());
    }
}
