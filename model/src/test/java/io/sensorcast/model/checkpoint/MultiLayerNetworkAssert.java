package io.sensorcast.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

final class MultiLayerNetworkAssert {
    private MultiLayerNetworkAssert() {
    }

    /** Parameters, updater state and iteration count identical, bit for bit. */
    static void assertSameParams(MultiLayerNetwork expected, MultiLayerNetwork actual) {
        assertArrayEquals(expected.params().toFloatVector(), actual.params().toFloatVector());
        assertArrayEquals(expected.getUpdater().getStateViewArray().toFloatVector(),
                actual.getUpdater().getStateViewArray().toFloatVector());
        assertEquals(expected.getIterationCount(), actual.getIterationCount());
    }
}
