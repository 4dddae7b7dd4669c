package io.sensorcast.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.lang.reflect.Field;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused kernel must compute what DL4J's own LSTM computes: the same activations, parameter gradients and input
 * gradients (to float rounding), with and without carried state, and the same training trajectory under TBPTT.
 */
class FusedLstmKernelTest {
    /** Window 40, horizon 6 → 34 input steps, TBPTT segments of 12 (the last one shorter). */
    private static final ModelConfig CONFIG = ModelConfig.defaults().withShape(40, 6).withHidden(9).withTbptt(12, 12).withSeed(3);
    private static final double TOLERANCE = 2e-5;

    private static float[][] windows(int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] w = new float[batch][CONFIG.window()];
        for (float[] row : w) {
            double phase = r.nextDouble() * 6.28;
            for (int t = 0; t < row.length; t++) {
                row[t] = (float) (Math.sin(t / 5.0 + phase) + 0.3 * r.nextGaussian());
            }
        }
        return w;
    }

    private static MultiLayerNetwork[] pair(ModelConfig config, org.nd4j.linalg.learning.config.IUpdater updater) {
        MultiLayerNetwork reference = ForecastNetworkFactory.build(config, updater);
        MultiLayerNetwork fused = ForecastNetworkFactory.build(config, updater.clone());
        fused.setParams(reference.params().dup());
        assertEquals(config.layers(), FusedLstmKernel.install(fused), "one kernel per LSTM layer");
        return new MultiLayerNetwork[]{reference, fused};
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what + " shape");
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE * scale, what + ": max |Δ| " + diff + " vs scale " + scale);
    }

    private static void assertNoFallback(MultiLayerNetwork net) throws ReflectiveOperationException {
        Field fails = BaseRecurrentLayer.class.getDeclaredField("helperCountFail");
        fails.setAccessible(true);
        for (Layer l : net.getLayers()) {
            if (l instanceof BaseRecurrentLayer<?> rnn) {
                assertTrue(FusedLstmKernel.isInstalled(l), "kernel installed in layer " + l.getIndex());
                assertEquals(0, fails.getInt(rnn), "DL4J fell back to its own LSTM in layer " + l.getIndex());
            }
        }
    }

    @Test
    void shouldGiveTheSameOutputsAsDl4jsLstm() throws ReflectiveOperationException {
        MultiLayerNetwork[] nets = pair(CONFIG.withLayers(2), new Sgd(0.1));
        INDArray features = new LastValueReference(CONFIG).trainingArrays(windows(7, 1)).features();

        assertClose(nets[0].output(features, false), nets[1].output(features, false), "output");
        assertNoFallback(nets[1]);
    }

    @Test
    void shouldGiveTheSameGradientsAsDl4jsLstmWithCarriedState() throws ReflectiveOperationException {
        MultiLayerNetwork[] nets = pair(CONFIG, new Sgd(0.1));
        INDArray input = Nd4j.rand(DataType.FLOAT, 5, 1, 11).subi(0.5);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, 5, CONFIG.hidden(), 11).subi(0.5);
        INDArray h0 = Nd4j.rand(DataType.FLOAT, 5, CONFIG.hidden()).subi(0.5);
        INDArray c0 = Nd4j.rand(DataType.FLOAT, 5, CONFIG.hidden()).muli(2).subi(1);
        Pair<Gradient, INDArray>[] results = new Pair[2];
        for (int i = 0; i < 2; i++) {
            nets[i].initGradientsView();
            BaseRecurrentLayer<?> lstm = (BaseRecurrentLayer<?>) nets[i].getLayer(0);
            lstm.rnnSetPreviousState(state(h0, c0));
            lstm.rnnSetTBPTTState(state(h0, c0));
            lstm.setInput(input.dup(), LayerWorkspaceMgr.noWorkspaces());
            Pair<Gradient, INDArray> p = lstm.tbpttBackpropGradient(epsilon.dup(), 11, LayerWorkspaceMgr.noWorkspaces());
            results[i] = new Pair<>(p.getFirst(), p.getSecond().dup());
            for (String key : new String[]{"W", "RW", "b"}) {
                results[i].getFirst().gradientForVariable().put(key, p.getFirst().getGradientFor(key).dup());
            }
        }
        assertNotEquals(0.0, results[0].getFirst().getGradientFor("RW").amaxNumber().doubleValue(), "non-trivial gradient");
        for (String key : new String[]{"W", "RW", "b"}) {
            assertClose(results[0].getFirst().getGradientFor(key), results[1].getFirst().getGradientFor(key), key + " gradient");
        }
        assertClose(results[0].getSecond(), results[1].getSecond(), "input gradient");
        assertNoFallback(nets[1]);
    }

    private static java.util.Map<String, INDArray> state(INDArray h0, INDArray c0) {
        return new java.util.HashMap<>(java.util.Map.of(LSTM.STATE_KEY_PREV_ACTIVATION, h0.dup(),
                LSTM.STATE_KEY_PREV_MEMCELL, c0.dup()));
    }

    @Test
    void shouldFollowTheSameTrainingTrajectoryAsDl4jsLstmWithOneSegmentPerWindow() throws ReflectiveOperationException {
        ModelConfig oneSegment = CONFIG.withLayers(2).withTbptt(34, 34);
        MultiLayerNetwork[] nets = pair(oneSegment, new Adam(0.01));
        INDArray initial = nets[0].params().dup();
        LastValueReference reference = new LastValueReference(oneSegment);
        for (int step = 0; step < 5; step++) {
            LastValueReference.TrainingArrays a = reference.trainingArrays(windows(6, 10 + step));
            for (MultiLayerNetwork net : nets) {
                net.rnnClearPreviousState();
                net.fit(a.features(), a.labels());
            }
        }
        assertNotEquals(initial, nets[0].params(), "training must move the weights, or the comparison is vacuous");
        assertEquals(5, nets[1].getIterationCount(), "one update per window");
        assertClose(nets[0].params(), nets[1].params(), "parameters after 5 steps");
        assertNoFallback(nets[1]);
    }

    /**
     * DL4J M2.1's LSTM recomputes a TBPTT segment's forward pass for backprop from the layer's rnnTimeStep state
     * (empty while training) instead of the state carried from the previous segment. The kernel back-propagates
     * through the forward pass that produced the loss: its gradient is DL4J's gradient given the carried state.
     */
    @Test
    void shouldBackpropagateATbpttSegmentFromTheStateCarriedIntoIt() throws ReflectiveOperationException {
        MultiLayerNetwork[] nets = pair(CONFIG, new Sgd(0.1));
        INDArray input = Nd4j.rand(DataType.FLOAT, 5, 1, 11).subi(0.5);
        INDArray epsilon = Nd4j.rand(DataType.FLOAT, 5, CONFIG.hidden(), 11).subi(0.5);
        INDArray h0 = Nd4j.rand(DataType.FLOAT, 5, CONFIG.hidden()).subi(0.5);
        INDArray c0 = Nd4j.rand(DataType.FLOAT, 5, CONFIG.hidden()).muli(2).subi(1);

        nets[0].initGradientsView();
        BaseRecurrentLayer<?> dl4j = (BaseRecurrentLayer<?>) nets[0].getLayer(0);
        dl4j.rnnSetPreviousState(state(h0, c0)); // where DL4J's recomputation reads the initial state from
        dl4j.rnnSetTBPTTState(state(h0, c0));
        dl4j.setInput(input.dup(), LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> expected = dl4j.tbpttBackpropGradient(epsilon.dup(), 11, LayerWorkspaceMgr.noWorkspaces());

        nets[1].initGradientsView();
        BaseRecurrentLayer<?> fused = (BaseRecurrentLayer<?>) nets[1].getLayer(0);
        fused.rnnClearPreviousState();
        fused.rnnSetTBPTTState(state(h0, c0)); // the carried state only, as in MultiLayerNetwork's TBPTT
        INDArray out = fused.rnnActivateUsingStoredState(input.dup(), true, true, LayerWorkspaceMgr.noWorkspaces());
        Pair<Gradient, INDArray> actual = fused.tbpttBackpropGradient(epsilon.dup(), 11, LayerWorkspaceMgr.noWorkspaces());

        assertNotEquals(0.0, out.amaxNumber().doubleValue());
        for (String key : new String[]{"W", "RW", "b"}) {
            assertClose(expected.getFirst().getGradientFor(key), actual.getFirst().getGradientFor(key), key + " gradient");
        }
        assertClose(expected.getSecond(), actual.getSecond(), "input gradient");
        for (String key : new String[]{LSTM.STATE_KEY_PREV_ACTIVATION, LSTM.STATE_KEY_PREV_MEMCELL}) {
            assertClose(dl4j.rnnGetTBPTTState().get(key), fused.rnnGetTBPTTState().get(key), "state carried on: " + key);
        }
        assertNoFallback(nets[1]);
    }

    @Test
    void shouldGiveTheSameStatefulSingleStepForecasts() throws ReflectiveOperationException {
        MultiLayerNetwork[] nets = pair(CONFIG, new Sgd(0.1));
        INDArray features = new LastValueReference(CONFIG).trainingArrays(windows(4, 2)).features();
        for (int t = 0; t < 6; t++) {
            INDArray step = features.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(t, t + 1)).dup();
            assertClose(nets[0].rnnTimeStep(step), nets[1].rnnTimeStep(step), "rnnTimeStep " + t);
        }
        assertNoFallback(nets[1]);
    }

    @Test
    void shouldLeaveOtherRecurrentCellsToDl4j() {
        MultiLayerNetwork rnn = ForecastNetworkFactory.build(CONFIG.withCell(ModelConfig.Cell.RNN_TANH));
        assertEquals(0, FusedLstmKernel.install(rnn));
    }

    @Test
    void shouldInstallOnlyOnce() {
        MultiLayerNetwork net = ForecastNetworkFactory.build(CONFIG);
        assertEquals(1, FusedLstmKernel.install(net));
        assertEquals(0, FusedLstmKernel.install(net));
    }
}
