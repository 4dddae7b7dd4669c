package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.ModelConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Forecasts/s through the whole serve topology (JSON in and out, batch buffer, ledger in RocksDB, LSTM at the
 * default shape) in the TopologyTestDriver: no broker, no transactions. A figure for the report, not a goal check.
 */
@Tag("slow")
class ServeTopologyThroughputTest {

    @Test
    void shouldReportTopologyForecastsPerSecondWhenBatchedAtTheDefaultShape() {
        ModelConfig model = ModelConfig.defaults();
        int sensors = 1024;
        int rounds = 3;
        ServeConfig config = ServeConfig.defaults().withBatching(256, Duration.ofSeconds(1));
        Random random = new Random(3);
        List<TestRecord<String, SensorSequence>> input = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < sensors; s++) {
                float[] v = new float[model.window()];
                for (int t = 0; t < v.length; t++) {
                    v[t] = (float) random.nextGaussian();
                }
                byte[] observed = new byte[v.length];
                Arrays.fill(observed, (byte) 1);
                long end = ServeDriver.T0 + round * 60_000L;
                input.add(new TestRecord<>("sensor-" + s, new SensorSequence("sensor-" + s, end, 60_000L, v, observed,
                        20, 2, ServeDriver.ARRIVED), new org.apache.kafka.common.header.internals.RecordHeaders(), end));
            }
        }
        try (ServeDriver d = new ServeDriver(config)) {
            d.pipeCheckpoint("default", ServeDriver.envelope("default", 1, ForecastNetworkFactory.build(model),
                    model.window(), model.horizon(), Optional.empty()), ServeDriver.T0);
            d.sequences.pipeRecordList(input.subList(0, sensors));   // warm-up round
            long start = System.nanoTime();
            d.sequences.pipeRecordList(input.subList(sensors, input.size()));
            double seconds = (System.nanoTime() - start) / 1e9;
            int timed = sensors * (rounds - 1);
            System.out.printf("serve topology (TTD) W=96 H=24 hidden=64 batch=256: %.0f forecasts/s (%d in %.2f s)%n",
                    timed / seconds, timed, seconds);
            assertEquals(sensors * rounds, d.readAll().size());
        }
    }
}
