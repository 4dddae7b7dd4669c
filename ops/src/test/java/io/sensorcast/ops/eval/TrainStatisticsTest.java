package io.sensorcast.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.sensorcast.ingest.Reading;
import org.junit.jupiter.api.Test;

class TrainStatisticsTest {
    private static List<Reading> rows(double... values) {
        List<Reading> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new Reading("s", i * 3_600_000L, values[i]));
        }
        return out;
    }

    @Test
    void shouldComputeMeanPopulationStdAndNaiveScaleOfTheTrainRows() {
        TrainStatistics s = TrainStatistics.of(rows(1, 2, 4, 100, 200), 3);
        assertEquals(7.0 / 3, s.mean(), 1e-12);
        assertEquals(Math.sqrt(14.0 / 9), s.std(), 1e-12); // ((4/3)² + (1/3)² + (5/3)²) / 3 = 14/9
        assertEquals(1.5, s.naiveScale(), 1e-12);           // (|2−1| + |4−2|) / 2
    }

    @Test
    void shouldNotLetValidationOrTestRowsLeakIntoTheStatistics() {
        TrainStatistics before = TrainStatistics.of(rows(1, 2, 4, 5, 6, 7), 3);
        TrainStatistics after = TrainStatistics.of(rows(1, 2, 4, 5e6, -3e6, 9e9), 3);
        assertEquals(before, after);
    }

    @Test
    void shouldNotLetTestRowsLeakIntoTheReportedFiguresOfARun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // the same series twice, the second with its test span shifted by +1000: the statistics behind the normalised
        // figures must not move (they would if the split's later rows were included)
        java.nio.file.Path a = SyntheticSeries.write(dir.resolve("a.csv"), 400, 0);
        java.nio.file.Path b = SyntheticSeries.write(dir.resolve("b.csv"), 400, 1000);
        SeriesSplit split = SeriesSplit.parse("240,80,80", 400);
        TrainStatistics sa = TrainStatistics.of(io.sensorcast.ingest.CsvSeries.read(a, "ts", "value", "s").readings(), split.train());
        TrainStatistics sb = TrainStatistics.of(io.sensorcast.ingest.CsvSeries.read(b, "ts", "value", "s").readings(), split.train());
        assertEquals(sa, sb);
    }
}
