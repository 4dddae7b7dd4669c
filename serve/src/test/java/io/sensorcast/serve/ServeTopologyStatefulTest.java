package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.H;
import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.W;
import static io.sensorcast.serve.ServeDriver.envelope;
import static io.sensorcast.serve.ServeDriver.network;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** With statefulInference the topology advances each sensor one step per consecutive sequence, re-seeding on a swap. */
class ServeTopologyStatefulTest {

    @Test
    void shouldForecastFromHistorySinceSeedWhenConsecutiveAndFromWindowAloneAfterASwap() {
        Random random = new Random(5);
        float[] x = new float[W + 2];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) random.nextGaussian();
        }
        MultiLayerNetwork v1 = network(1);
        MultiLayerNetwork v2 = network(2);
        try (ServeDriver d = new ServeDriver(ServeDriver.CONFIG.withStatefulInference(true, 72))) {
            d.pipeCheckpoint("default", envelope("default", 1, v1), T0);
            d.pipe(sequence("s1", T0, Arrays.copyOfRange(x, 0, W), 0, 1));              // seeded
            d.pipe(sequence("s1", T0 + STEP, Arrays.copyOfRange(x, 1, W + 1), 0, 1));   // advanced one step
            d.pipeCheckpoint("default", envelope("default", 2, v2), T0 + STEP);
            d.pipe(sequence("s1", T0 + 2 * STEP, Arrays.copyOfRange(x, 2, W + 2), 0, 1)); // re-seeded on v2

            List<Forecast> fs = d.readAll();
            assertEquals(3, fs.size());
            assertOracle(v1, Arrays.copyOfRange(x, 0, W), fs.get(0));
            assertOracle(v1, Arrays.copyOfRange(x, 0, W + 1), fs.get(1));   // all W+1 values since the seed
            assertOracle(v2, Arrays.copyOfRange(x, 2, W + 2), fs.get(2));   // the new model's window only
            assertEquals(List.of(1L, 1L, 2L), fs.stream().map(Forecast::modelVersion).toList());
            assertTrue(d.forecasts.isEmpty());
        }
    }

    private static void assertOracle(MultiLayerNetwork net, float[] history, Forecast f) {
        int len = history.length;
        INDArray out = net.output(Nd4j.create(history, new long[] {1, 1, len}, 'c'));
        for (int k = 0; k < H; k++) {
            assertEquals(history[len - 1] + out.getDouble(0, k, len - 1), f.points().get(k).value(), 1e-5, "k=" + k);
        }
    }
}
