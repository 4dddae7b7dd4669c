package io.sensorcast.model;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncated BPTT with one segment as long as the sequence must equal standard (full) BPTT. */
class TbpttEquivalenceTest {
    /** Window 20, horizon 5 → 15 input steps. */
    private static final ModelConfig CONFIG = ModelConfig.defaults().withShape(20, 5).withHidden(6).withSeed(5);

    private static LastValueReference.TrainingArrays data() {
        SplittableRandom r = new SplittableRandom(9);
        float[][] w = new float[3][20];
        for (float[] row : w) {
            for (int t = 0; t < row.length; t++) {
                row[t] = (float) (Math.cos(t / 4.0 + r.nextDouble()) + 0.2 * r.nextGaussian());
            }
        }
        return new LastValueReference(CONFIG).trainingArrays(w);
    }

    private static MultiLayerNetwork network(ModelConfig c, BackpropType type) {
        MultiLayerConfiguration conf = ForecastNetworkFactory.configuration(c, new Sgd(0.1));
        conf.setBackpropType(type);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void shouldEqualFullBpttWhenSegmentLengthEqualsSequenceLength() {
        MultiLayerNetwork truncated = network(CONFIG.withTbptt(15, 15), BackpropType.TruncatedBPTT);
        MultiLayerNetwork full = network(CONFIG.withTbptt(15, 15), BackpropType.Standard);
        assertEquals(full.params(), truncated.params(), "same seed, same initial weights");
        INDArray initial = full.params().dup();
        LastValueReference.TrainingArrays a = data();

        truncated.fit(a.features(), a.labels());
        full.fit(a.features(), a.labels());

        assertNotEquals(initial, full.params(), "the update must move the weights, or the comparison is vacuous");
        INDArray diff = truncated.params().sub(full.params());
        assertTrue(diff.amaxNumber().doubleValue() < 1e-6, "max |Δ| = " + diff.amaxNumber());
        assertEquals(1, truncated.getIterationCount(), "one segment, one update");
    }

    @Test
    void shouldDifferFromFullBpttWhenSegmentsAreShorter() {
        MultiLayerNetwork truncated = network(CONFIG.withTbptt(5, 5), BackpropType.TruncatedBPTT);
        MultiLayerNetwork full = network(CONFIG.withTbptt(5, 5), BackpropType.Standard);
        LastValueReference.TrainingArrays a = data();

        truncated.fit(a.features(), a.labels());
        full.fit(a.features(), a.labels());

        assertEquals(3, truncated.getIterationCount(), "15 steps in segments of 5: three updates");
        assertTrue(truncated.params().sub(full.params()).amaxNumber().doubleValue() > 1e-4);
    }
}
