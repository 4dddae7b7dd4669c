package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Random;

import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.ModelConfig;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plain-array step against DL4J's own {@code rnnTimeStep} from the same state, for one and two LSTM layers. */
class LstmStepTest {
    private static final int B = 5;

    @Test
    void shouldGiveDl4jsOutputAndStatesForOneLayer() {
        assertSameAsDl4j(ServeDriver.MODEL.withLayers(1));
    }

    @Test
    void shouldGiveDl4jsOutputAndStatesForTwoLayers() {
        assertSameAsDl4j(ServeDriver.MODEL.withLayers(2).withHidden(16));
    }

    @Test
    void shouldDeclineNetworksThatAreNotLstm() {
        assertNull(LstmStep.of(ForecastNetworkFactory.build(ServeDriver.MODEL.withCell(ModelConfig.Cell.RNN_TANH))));
    }

    private static void assertSameAsDl4j(ModelConfig model) {
        MultiLayerNetwork net = ForecastNetworkFactory.build(model.withSeed(3));
        LstmStep step = LstmStep.of(net);
        assertNotNull(step);
        int layers = model.layers();
        Random random = new Random(5);
        float[] history = new float[B * 7];
        for (int i = 0; i < history.length; i++) {
            history[i] = (float) random.nextGaussian();
        }
        net.rnnClearPreviousState();
        net.rnnTimeStep(Nd4j.create(history, new long[] {B, 1, 7}, 'c'));   // some state to start from
        float[][][] before = new float[B][2 * layers][];
        for (int l = 0; l < layers; l++) {
            Map<String, INDArray> state = net.rnnGetPreviousState(l);
            float[][] h = state.get(LSTM.STATE_KEY_PREV_ACTIVATION).toFloatMatrix();
            float[][] c = state.get(LSTM.STATE_KEY_PREV_MEMCELL).toFloatMatrix();
            for (int r = 0; r < B; r++) {
                before[r][2 * l] = h[r];
                before[r][2 * l + 1] = c[r];
            }
        }
        float[] x = new float[B];
        for (int r = 0; r < B; r++) {
            x[r] = (float) random.nextGaussian();
        }
        float[][][] after = new float[B][2 * layers][];
        float[][] ours = step.step(x, before, after);

        float[][] theirs = net.rnnTimeStep(Nd4j.create(x, new long[] {B, 1, 1}, 'c')).reshape(B, model.horizon()).toFloatMatrix();
        for (int r = 0; r < B; r++) {
            assertArrayEquals(theirs[r], ours[r], 1e-5f, "output of row " + r);
        }
        for (int l = 0; l < layers; l++) {
            float[][] h = net.rnnGetPreviousState(l).get(LSTM.STATE_KEY_PREV_ACTIVATION).toFloatMatrix();
            float[][] c = net.rnnGetPreviousState(l).get(LSTM.STATE_KEY_PREV_MEMCELL).toFloatMatrix();
            for (int r = 0; r < B; r++) {
                assertArrayEquals(h[r], after[r][2 * l], 1e-5f, "h of layer " + l + ", row " + r);
                assertArrayEquals(c[r], after[r][2 * l + 1], 1e-5f, "c of layer " + l + ", row " + r);
            }
        }
    }
}
