package io.sensorcast.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LastValueReferenceTest {
    /** v[t] = t² for a window of 8, horizon 3 → 5 input steps. */
    private static float[] window() {
        float[] v = new float[8];
        for (int t = 0; t < v.length; t++) {
            v[t] = t * t;
        }
        return v;
    }

    @Test
    void shouldUseFirstStepsAsInputsAndFollowingChangesAsTargets() {
        LastValueReference ref = new LastValueReference(8, 3, true, false);
        LastValueReference.TrainingArrays a = ref.trainingArrays(new float[][]{window()});
        assertArrayEquals(new long[]{1, 1, 5}, a.features().shape());
        assertArrayEquals(new long[]{1, 3, 5}, a.labels().shape());
        assertArrayEquals(new float[]{0, 1, 4, 9, 16}, a.features().ravel().toFloatVector());
        // step t = 2 (v = 4): targets v[3..5] − 4 = 9−4, 16−4, 25−4
        assertArrayEquals(new float[]{5, 12, 21}, a.labels().get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(2)).toFloatVector());
        // last input step t = 4 (v = 16): targets v[5..7] − 16 = 9, 20, 33
        assertArrayEquals(new float[]{9, 20, 33}, a.labels().get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(4)).toFloatVector());
    }

    @Test
    void shouldUseAbsoluteTargetsWhenNotRelative() {
        LastValueReference ref = new LastValueReference(8, 3, false, false);
        INDArray labels = ref.trainingArrays(new float[][]{window()}).labels();
        assertArrayEquals(new float[]{25, 36, 49}, labels.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(4)).toFloatVector());
    }

    @Test
    void shouldSubtractLastInputFromInputsWhenReReferencing() {
        LastValueReference ref = new LastValueReference(8, 3, true, true);
        assertArrayEquals(new float[]{-16, -15, -12, -7, 0}, ref.trainingArrays(new float[][]{window()}).features().ravel().toFloatVector());
    }

    @Test
    void shouldRecoverFutureValuesWhenTargetsAreTurnedBackToAbsolute() {
        LastValueReference ref = new LastValueReference(8, 3, true, false);
        assertArrayEquals(new float[]{25, 36, 49}, ref.toAbsolute(16f, new float[]{9, 20, 33}));
    }

    @Test
    void shouldForecastPersistenceWhenNetworkOutputsZero() {
        ModelConfig c = ModelConfig.defaults().withShape(8, 3).withHidden(4);
        MultiLayerNetwork net = ForecastNetworkFactory.build(c);
        net.params().assign(0); // all weights and biases 0 → output 0
        float[][] f = new LastValueReference(c).forecast(net, new float[][]{window()});
        assertArrayEquals(new float[]{49, 49, 49}, f[0]);
    }

    @Test
    void shouldMatchFullForwardPassWhenSteppingOneValueAtATime() {
        // serving's fast path: rnnTimeStep over the window in chunks of 1, 2, 3, … equals one forward pass
        ModelConfig c = ModelConfig.defaults().withShape(12, 3).withHidden(8).withSeed(4);
        MultiLayerNetwork net = ForecastNetworkFactory.build(c);
        float[] v = new float[12];
        for (int t = 0; t < v.length; t++) {
            v[t] = (float) Math.sin(t * 0.7);
        }
        LastValueReference ref = new LastValueReference(c);
        float[] full = ref.forecast(net, new float[][]{v})[0];

        net.rnnClearPreviousState();
        INDArray features = ref.forecastFeatures(new float[][]{v});
        INDArray out = null;
        int t = 0;
        for (int chunk = 1; t < v.length; chunk++) {
            int end = Math.min(v.length, t + chunk);
            out = net.rnnTimeStep(features.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, end)).dup());
            t = end;
        }
        float[] stepped = ref.toAbsolute(new float[]{v[11]}, out, out.size(2) - 1)[0];
        assertArrayEquals(full, stepped, 1e-5f);
    }

    @Test
    void shouldGiveHorizonOutputsPerStepWhenNetworkIsBuilt() {
        MultiLayerNetwork net = ForecastNetworkFactory.build(ModelConfig.defaults());
        INDArray out = net.output(Nd4j.zeros(2, 1, 72), false);
        assertArrayEquals(new long[]{2, 24, 72}, out.shape());
        assertEquals(64 * 256, net.getParam("0_RW").length());
    }
}
