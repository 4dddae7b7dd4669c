package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.H;
import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.W;
import static io.sensorcast.serve.ServeDriver.envelope;
import static io.sensorcast.serve.ServeDriver.network;
import static io.sensorcast.serve.ServeDriver.rising;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Verified checkpoints replace the live model between records: no gap, no duplicate, the right version. */
class ServeTopologySwapTest {

    @Test
    void shouldForecastWithLstmInSensorUnitsWhenValidCheckpointArrives() {
        MultiLayerNetwork net = network(1);
        try (ServeDriver d = new ServeDriver()) {
            d.pipeCheckpoint("default", envelope("default", 1, net), T0);
            float[] values = rising();
            d.pipe(sequence("pump-7.temp", T0, values, 10.0, 2.0));

            Forecast f = d.forecasts.readValue();
            assertEquals("lstm", f.method());
            assertEquals(1L, f.modelVersion());
            // oracle: the original network's output at the last step, relative to the last value, then · std + mean
            INDArray out = net.output(Nd4j.create(values, new long[] {1, 1, W}, 'c'));
            for (int k = 0; k < H; k++) {
                double expected = (values[W - 1] + out.getDouble(0, k, W - 1)) * 2.0 + 10.0;
                Forecast.Point p = f.points().get(k);
                assertEquals(T0 + (k + 1) * STEP, p.ts());
                assertEquals(expected, p.value(), 1e-4);
                assertTrue(p.lo() <= p.value() && p.value() <= p.hi(), "interval contains the point at k=" + k);
            }
            assertNotEquals(11.0, f.points().get(0).value(), 1e-6, "not the persistence value");
            assertEquals(1.0, d.gauge("sensorcast.serve.model.version", "model", "default"));
            assertEquals(1.0, d.counter("sensorcast.serve.model.swaps"));
            assertEquals(1.0, d.counter("sensorcast.serve.forecasts", "method", "lstm"));
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldSwitchVersionAtTheRecordAfterEachCheckpointWithoutGapsOrDuplicates() {
        try (ServeDriver d = new ServeDriver()) {
            List<Long> ends = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ends.add(T0 + i * STEP);
            }
            d.pipe(sequence("s1", ends.get(0), rising(), 0, 1));
            d.pipe(sequence("s2", ends.get(0), rising(), 0, 1));
            d.pipeCheckpoint("default", envelope("default", 1, network(1)), ends.get(0));
            d.pipe(sequence("s1", ends.get(1), rising(), 0, 1));
            d.pipe(sequence("s2", ends.get(1), rising(), 0, 1));
            d.pipeCheckpoint("default", envelope("default", 2, network(2)), ends.get(1));
            d.pipe(sequence("s1", ends.get(2), rising(), 0, 1));
            d.pipe(sequence("s2", ends.get(2), rising(), 0, 1));

            List<String> seen = d.readAll().stream()
                    .map(f -> f.sensor() + "@" + (f.issuedAt() - T0) / STEP + ":" + f.method() + "/" + f.modelVersion())
                    .toList();
            assertEquals(List.of("s1@0:persistence/null", "s2@0:persistence/null",
                    "s1@1:lstm/1", "s2@1:lstm/1",
                    "s1@2:lstm/2", "s2@2:lstm/2"), seen);
            assertEquals(2.0, d.gauge("sensorcast.serve.model.version", "model", "default"));
            assertEquals(2.0, d.counter("sensorcast.serve.model.swaps"));
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldGiveDifferentForecastsWhenTheSwappedInWeightsDiffer() {
        try (ServeDriver d = new ServeDriver()) {
            d.pipeCheckpoint("default", envelope("default", 1, network(1)), T0);
            d.pipe(sequence("s1", T0, rising(), 0, 1));
            d.pipeCheckpoint("default", envelope("default", 2, network(2)), T0);
            d.pipe(sequence("s1", T0 + STEP, rising(), 0, 1));   // same values: only the model differs

            List<Forecast> fs = d.readAll();
            double[] v1 = fs.get(0).points().stream().mapToDouble(Forecast.Point::value).toArray();
            double[] v2 = fs.get(1).points().stream().mapToDouble(Forecast.Point::value).toArray();
            assertTrue(!Arrays.equals(v1, v2), "version 2's weights must be the ones used: " + Arrays.toString(v1));
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldNotSwapAgainWhenTheSameCheckpointIsReplayed() {
        byte[] v1 = envelope("default", 1, network(1));
        try (ServeDriver d = new ServeDriver()) {
            d.pipeCheckpoint("default", v1, T0);
            d.pipeCheckpoint("default", v1, T0 + 1);

            assertEquals(1.0, d.counter("sensorcast.serve.model.swaps"));
            assertEquals(1L, d.models.version("default").orElseThrow());
            assertTrue(d.forecasts.isEmpty());
        }
    }
}
