package io.sensorcast.ops.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BaselinesTest {
    /** Hourly y = 1, 2, 3, 4, 5, 6 at steps 10…15. */
    private static StepSeries oneToSix() {
        StepSeries s = new StepSeries(3_600_000L);
        for (int i = 0; i < 6; i++) {
            s.put(10 + i, i + 1, true);
        }
        return s;
    }

    @Test
    void shouldRepeatTheOriginValueForPersistence() {
        assertArrayEquals(new double[] {6, 6, 6, 6}, Baselines.persistence(oneToSix(), 15, 4));
    }

    @Test
    void shouldTakeTheValueOneSeasonBackForSeasonalNaive() {
        // origin step 15 (y=6), m=3: leads 1..3 → steps 13, 14, 15 (4, 5, 6); lead 4 → 16 − 3 = step 13 again (4)
        assertArrayEquals(new double[] {4, 5, 6, 4}, Baselines.seasonalNaive(oneToSix(), 15, 4, 3));
    }

    @Test
    void shouldFallBackToPersistenceWhereTheSeasonStepIsMissing() {
        // origin step 11 (y=2), m=3: lead 1 → step 9, before the series; lead 2 → step 10 (1); lead 3 → step 11 (2)
        assertArrayEquals(new double[] {2, 1, 2}, Baselines.seasonalNaive(oneToSix(), 11, 3, 3));
    }

    @Test
    void shouldScoreBaselinesExactlyOnAHandCheckedSeries() {
        // train rows 1..6: mean 3.5, population std √(17.5/6), naive scale 1
        TrainStatistics stats = TrainStatistics.of(java.util.stream.IntStream.rangeClosed(1, 6)
                .mapToObj(v -> new io.sensorcast.ingest.Reading("s", v * 3_600_000L, v)).toList(), 6);
        MethodScore persistence = new MethodScore("persistence", stats, 2);
        // origin step 13 (y=4) forecasting steps 14, 15 (5, 6): errors −1, −2
        double[] f = Baselines.persistence(oneToSix(), 13, 2);
        persistence.add(0, f[0], 5);
        persistence.add(1, f[1], 6);
        assertEquals(2.5, persistence.mseRaw(), 1e-12);           // (1 + 4) / 2
        assertEquals(1.5, persistence.maeRaw(), 1e-12);           // (1 + 2) / 2
        assertEquals(2.5 / (17.5 / 6), persistence.mse(), 1e-12); // raw MSE ÷ std²
        assertEquals(1.5, persistence.mase(), 1e-12);             // MAE ÷ naive scale 1
        assertArrayEquals(new double[] {1 / (17.5 / 6), 4 / (17.5 / 6)}, persistence.mseByLead(), 1e-12);
    }
}
