package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints the cost of writing one forecast (horizon 24, three doubles a point), Jackson's generator (the writer before)
 * against the hand-written one. A figure for the report, not a goal check; best of interleaved rounds.
 */
@Tag("slow")
class ForecastJsonBenchmarkTest {
    private static final int FORECASTS = 1_000;
    private static final int WARM_UP_ROUNDS = 5;
    private static final int ROUNDS = 15;
    private static final int PASSES_PER_ROUND = 5;

    private static Forecast[] forecasts() {
        Random random = new Random(8);
        Forecast[] out = new Forecast[FORECASTS];
        for (int i = 0; i < FORECASTS; i++) {
            long issuedAt = 1_764_000_000_000L + i * 60_000L;
            List<Forecast.Point> points = new ArrayList<>();
            for (int k = 0; k < 24; k++) {
                // de-normalised values as serve computes them: float network output times std plus mean, in doubles
                double value = (float) random.nextGaussian() * 2.5 + 20.1;
                double w = (float) (0.3 + random.nextDouble()) * 2.5;
                points.add(new Forecast.Point(issuedAt + (k + 1) * 60_000L, value, value - w, value + w));
            }
            out[i] = new Forecast("sim-" + i + ".temp", issuedAt, 60_000L, "default", 7L, Forecast.LSTM, points);
        }
        return out;
    }

    private static double nanosPerCall(Forecast[] items, ToLongFunction<Forecast> work, long[] sink) {
        long start = System.nanoTime();
        for (int pass = 0; pass < PASSES_PER_ROUND; pass++) {
            for (Forecast item : items) {
                sink[0] += work.applyAsLong(item);
            }
        }
        return (System.nanoTime() - start) / (double) (PASSES_PER_ROUND * items.length);
    }

    @Test
    void shouldPrintEncodeCostPerForecastForJacksonAndTheHandWrittenWriter() {
        Forecast[] forecasts = forecasts();
        assertArrayEquals(JacksonForecastWriter.toJson(forecasts[0]), forecasts[0].toJson());
        double jackson = Double.MAX_VALUE;
        double handWritten = Double.MAX_VALUE;
        long[] sink = new long[1];
        for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
            double j = nanosPerCall(forecasts, f -> JacksonForecastWriter.toJson(f).length, sink);
            double h = nanosPerCall(forecasts, f -> f.toJson().length, sink);
            if (round >= 0) {
                jackson = Math.min(jackson, j);
                handWritten = Math.min(handWritten, h);
            }
        }
        assertTrue(sink[0] != 0);
        System.out.printf("forecasts JSON, horizon 24, %d bytes, ns per forecast (best of %d rounds): encode: Jackson %.0f   hand-written %.0f   (%.1fx)%n",
                forecasts[0].toJson().length, ROUNDS, jackson, handWritten, jackson / handWritten);
    }
}
