package io.sensorcast.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.Reading;
import io.sensorcast.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last row of the split is scored even when nothing follows it in the file: ingest closes a step only when a later
 * reading arrives, so eval replays one closing reading after the split (tiny series, tiny model: the points matter).
 */
class EvalRunnerLastStepTest {
    private static final String SPLIT = "20,8,12";
    private static final int HORIZON = 3;

    @TempDir
    Path dir;

    @Test
    void shouldScoreEveryTestTargetWhenTheTestSpanEndsTheFile() {
        EvalReport report = eval(SyntheticSeries.write(dir.resolve("forty.csv"), 40, 0));
        // 12 test steps (rows 28–39); origins t with t+1 in the span and t+3 not past it: 12 − 3 + 1 = 10, 3 leads each.
        // Without the closing reading row 39's step never closes and the last origin's lead 3 has no actual (29).
        assertEquals(10, report.testOrigins());
        for (MethodScore m : report.results()) {
            assertEquals(10L * HORIZON, m.points(), m.method());
        }
    }

    @Test
    void shouldScoreTheSameWhetherOrNotRowsFollowTheSplit() {
        EvalReport endsTheFile = eval(SyntheticSeries.write(dir.resolve("forty.csv"), 40, 0));
        EvalReport followedByRows = eval(SyntheticSeries.write(dir.resolve("fifty.csv"), 50, 0));
        // the first 40 rows of both files are the same (same seed); rows 40–49 are past the split and never replayed
        assertEquals(endsTheFile.sequences(), followedByRows.sequences());
        assertEquals(endsTheFile.result(EvalRunner.PERSISTENCE).points(), followedByRows.result(EvalRunner.PERSISTENCE).points());
        assertEquals(endsTheFile.result(EvalRunner.PERSISTENCE).mse(), followedByRows.result(EvalRunner.PERSISTENCE).mse());
        assertEquals(endsTheFile.result(EvalRunner.SEASONAL).mse(), followedByRows.result(EvalRunner.SEASONAL).mse());
    }

    @Test
    void shouldCloseTheLastStepWithAReadingAtItsEndPlusTheGrace() {
        Reading last = new Reading("s", 3 * 3_600_000L + 1_234, 7.5);
        IngestConfig hourly = IngestConfig.defaults().withStep(Duration.ofHours(1));
        // step 3 ends at 4 h; it closes once the sensor's stream time reaches 4 h + grace
        assertEquals(new Reading("s", 4 * 3_600_000L, 7.5), EvalRunner.closingReading(last, hourly.withGrace(Duration.ZERO)));
        assertEquals(new Reading("s", 4 * 3_600_000L + 120_000L, 7.5),
                EvalRunner.closingReading(last, hourly.withGrace(Duration.ofMinutes(2))));
    }

    private static EvalReport eval(Path csv) {
        ModelConfig model = ModelConfig.defaults().withShape(4, HORIZON).withHidden(4).withTbptt(4, 4).withBatchSize(8);
        EvalSettings settings = new EvalSettings(csv, "ts", "value", null, 24, SPLIT, 1, 1, 5, 0, model);
        return new EvalRunner(settings, new PrintWriter(new StringWriter())).run();
    }
}
