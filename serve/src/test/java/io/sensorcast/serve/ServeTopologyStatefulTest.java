package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.H;
import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.W;
import static io.sensorcast.serve.ServeDriver.network;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import io.sensorcast.model.checkpoint.CheckpointEnvelope;
import io.sensorcast.model.checkpoint.ModelPayload;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * With statefulInference the topology advances each sensor one step per consecutive sequence. After a swap it re-seeds
 * from the window under a model trained afresh, and carries the states into a checkpoint that continues the live
 * model's training (re-seeding those within {@link RecurrentStates#SWAP_SPREAD} steps).
 */
class ServeTopologyStatefulTest {
    private final float[] x = new float[W + 2];
    private final MultiLayerNetwork v1 = network(1);
    private final MultiLayerNetwork v2 = network(2);

    ServeTopologyStatefulTest() {
        Random random = new Random(5);
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) random.nextGaussian();
        }
    }

    @Test
    void shouldForecastFromHistorySinceSeedWhenConsecutiveAndFromWindowAloneAfterASwapToAModelTrainedAfresh() {
        List<Forecast> fs = seedAdvanceSwapAndStep(500, 100);   // v2 at an earlier training step: not a continuation
        assertOracle(v1, Arrays.copyOfRange(x, 0, W), fs.get(0));
        assertOracle(v1, Arrays.copyOfRange(x, 0, W + 1), fs.get(1));   // all W+1 values since the seed
        assertOracle(v2, Arrays.copyOfRange(x, 2, W + 2), fs.get(2));   // the new model's window only
        assertEquals(List.of(1L, 1L, 2L), fs.stream().map(Forecast::modelVersion).toList());
    }

    @Test
    void shouldStepTheNewWeightsFromTheCarriedStateAfterASwapToACheckpointThatContinuesTheLiveModel() {
        List<Forecast> fs = seedAdvanceSwapAndStep(100, 200);
        // oracle: v1's state after the W+1 values since the seed, then one step of v2 with the newest value
        v1.rnnClearPreviousState();
        v1.rnnTimeStep(Nd4j.create(Arrays.copyOfRange(x, 0, W + 1), new long[] {1, 1, W + 1}, 'c'));
        v2.rnnClearPreviousState();
        v2.rnnSetPreviousState(0, v1.rnnGetPreviousState(0));
        INDArray out = v2.rnnTimeStep(Nd4j.create(new float[] {x[W + 1]}, new long[] {1, 1, 1}, 'c'));
        for (int k = 0; k < H; k++) {
            assertEquals(x[W + 1] + out.getDouble(0, k, 0), fs.get(2).points().get(k).value(), 1e-5, "k=" + k);
        }
        assertEquals(2L, fs.get(2).modelVersion());
    }

    /** v1 (at {@code step1}) seeds and advances s1; v2 (at {@code step2}) arrives; s1's next sequence is forecast. */
    private List<Forecast> seedAdvanceSwapAndStep(long step1, long step2) {
        try (ServeDriver d = new ServeDriver(ServeDriver.CONFIG.withStatefulInference(true, 72))) {
            d.pipeCheckpoint("default", envelope(1, step1, v1), T0);
            d.pipe(sequence("s1", T0, Arrays.copyOfRange(x, 0, W), 0, 1));              // seeded
            d.pipe(sequence("s1", T0 + STEP, Arrays.copyOfRange(x, 1, W + 1), 0, 1));   // advanced one step
            d.pipeCheckpoint("default", envelope(2, step2, v2), T0 + STEP);
            d.pipe(sequence("s1", T0 + 2 * STEP, Arrays.copyOfRange(x, 2, W + 2), 0, 1));
            List<Forecast> fs = d.readAll();
            assertEquals(3, fs.size());
            assertTrue(d.forecasts.isEmpty());
            return fs;
        }
    }

    private static byte[] envelope(long version, long trainingStep, MultiLayerNetwork network) {
        return CheckpointEnvelope.create("default", version, trainingStep, T0, W, H, "{}", Map.of("loss", 0.1), Map.of(),
                ModelPayload.write(network), Optional.empty()).encode();
    }

    private static void assertOracle(MultiLayerNetwork net, float[] history, Forecast f) {
        int len = history.length;
        INDArray out = net.output(Nd4j.create(history, new long[] {1, 1, len}, 'c'));
        for (int k = 0; k < H; k++) {
            assertEquals(history[len - 1] + out.getDouble(0, k, len - 1), f.points().get(k).value(), 1e-5, "k=" + k);
        }
    }
}
