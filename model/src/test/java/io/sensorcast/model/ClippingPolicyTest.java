package io.sensorcast.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each policy's formula on a hand-made gradient: layer 0 = [3, 4] (norm 5), output layer 1 = [0, 12] (norm 12),
 * global norm sqrt(25 + 144) = 13, batch 1 unless said otherwise.
 */
class ClippingPolicyTest {
    private static final long[] OFFSETS = {0, 2, 4};

    private static INDArray gradient(double scale) {
        return Nd4j.createFromArray(new double[]{3, 4, 0, 12}).muli(scale);
    }

    private static void assertGradient(double[] expected, INDArray actual) {
        assertArrayEquals(expected, actual.toDoubleVector(), 1e-9);
    }

    @Test
    void shouldScaleAllParametersByThresholdOverGlobalNormWhenGlobalNormExceedsThreshold() {
        INDArray g = gradient(1);
        ClipResult r = new GradientClipper(ClippingPolicy.GLOBAL_NORM, 6.5, false).clip(g, OFFSETS, 1);
        // 6.5 / 13 = 0.5
        assertGradient(new double[]{1.5, 2, 0, 6}, g);
        assertEquals(13, r.preClipNorm(), 1e-9);
        assertEquals(6.5, r.postClipNorm(), 1e-9);
        assertTrue(r.clipped());
        assertArrayEquals(new double[]{5, 12}, r.layerNorms(), 1e-9);
    }

    @Test
    void shouldLeaveGradientUnchangedWhenGlobalNormIsBelowThreshold() {
        INDArray g = gradient(1);
        ClipResult r = new GradientClipper(ClippingPolicy.GLOBAL_NORM, 13.5, false).clip(g, OFFSETS, 1);
        assertGradient(new double[]{3, 4, 0, 12}, g);
        assertFalse(r.clipped());
        assertEquals(13, r.postClipNorm(), 1e-9);
    }

    @Test
    void shouldCompareMinibatchMeanNormWhenGradientIsSummedOverBatch() {
        INDArray g = gradient(2); // summed over B = 2 → mean gradient [3, 4, 0, 12]
        ClipResult r = new GradientClipper(ClippingPolicy.GLOBAL_NORM, 6.5, false).clip(g, OFFSETS, 2);
        assertEquals(13, r.preClipNorm(), 1e-9);
        assertGradient(new double[]{3, 4, 0, 12}, g); // the sum scaled by 0.5
    }

    @Test
    void shouldClipEachLayerToThresholdWhenPolicyIsLayerNorm() {
        INDArray g = gradient(1);
        ClipResult r = new GradientClipper(ClippingPolicy.LAYER_NORM, 2.5, false).clip(g, OFFSETS, 1);
        // layer 0: ×2.5/5; layer 1: ×2.5/12
        assertGradient(new double[]{1.5, 2, 0, 2.5}, g);
        assertEquals(Math.sqrt(2 * 2.5 * 2.5), r.postClipNorm(), 1e-9);
    }

    @Test
    void shouldClipOnlyLayersAboveThresholdWhenPolicyIsLayerNorm() {
        INDArray g = gradient(1);
        new GradientClipper(ClippingPolicy.LAYER_NORM, 6, false).clip(g, OFFSETS, 1);
        assertGradient(new double[]{3, 4, 0, 6}, g);
    }

    @Test
    void shouldClampEachElementWhenPolicyIsValue() {
        INDArray g = Nd4j.createFromArray(new double[]{3, -4, 0, 12});
        ClipResult r = new GradientClipper(ClippingPolicy.VALUE, 3.5, false).clip(g, OFFSETS, 1);
        assertGradient(new double[]{3, -3.5, 0, 3.5}, g);
        assertEquals(Math.sqrt(9 + 3.5 * 3.5 + 3.5 * 3.5), r.postClipNorm(), 1e-9);
        assertTrue(r.clipped());
    }

    @Test
    void shouldClampAtThresholdTimesBatchWhenValueClippingASummedGradient() {
        INDArray g = Nd4j.createFromArray(new double[]{6, -8, 0, 24}); // B = 2, mean [3, -4, 0, 12]
        new GradientClipper(ClippingPolicy.VALUE, 3.5, false).clip(g, OFFSETS, 2);
        assertGradient(new double[]{6, -7, 0, 7}, g);
    }

    @Test
    void shouldMeasureButNotChangeGradientWhenPolicyIsNone() {
        INDArray g = gradient(1);
        ClipResult r = new GradientClipper(ClippingPolicy.NONE, 1, false).clip(g, OFFSETS, 1);
        assertGradient(new double[]{3, 4, 0, 12}, g);
        assertEquals(13, r.preClipNorm(), 1e-9);
        assertFalse(r.clipped());
    }

    @Test
    void shouldLeaveOutputLayerAloneWhenExcludedFromGlobalClipping() {
        INDArray g = gradient(1);
        ClipResult r = new GradientClipper(ClippingPolicy.GLOBAL_NORM, 2.5, true).clip(g, OFFSETS, 1);
        // clipped set = layer 0 only, norm 5 → ×0.5; the output layer keeps [0, 12]
        assertGradient(new double[]{1.5, 2, 0, 12}, g);
        assertEquals(13, r.preClipNorm(), 1e-9);
        assertEquals(Math.sqrt(2.5 * 2.5 + 144), r.postClipNorm(), 1e-9);
    }

    @Test
    void shouldZeroGradientAndFlagNonFiniteWhenGradientContainsNaN() {
        INDArray g = Nd4j.createFromArray(new double[]{3, Double.NaN, 0, 12});
        ClipResult r = new GradientClipper(ClippingPolicy.GLOBAL_NORM, 6.5, false).clip(g, OFFSETS, 1);
        assertTrue(r.nonFinite());
        assertGradient(new double[]{0, 0, 0, 0}, g);
        assertEquals(0, r.postClipNorm());
    }

    @Test
    void shouldParseConfigurationCodes() {
        assertEquals(ClippingPolicy.GLOBAL_NORM, ClippingPolicy.fromCode("Global-Norm"));
        assertEquals("layer-norm", ClippingPolicy.LAYER_NORM.code());
    }
}
