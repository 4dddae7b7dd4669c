package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's first command, shortened: everything in one JVM, from readings to forecasts, then a clean stop. */
@Tag("integration")
@Timeout(300)
class DemoCommandIT {

    @Test
    void shouldTrainDetectAnInjectedExplosionAndForecastThenStopCleanly() {
        CliRun run = CliRun.of("demo", "--duration", "75s", "--sensors", "8", "--batch-size", "16",
                "--inject-explosion-at", "20", "--metrics-port", "0");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        List<String> progress = run.out().lines().filter(l -> l.startsWith("[")).toList();
        String last = progress.get(progress.size() - 1);
        assertTrue(number(last, "sequences ([\\d,]+)") > 0, last);
        assertTrue(number(last, "step (\\d+)") >= 21, last);
        // the batch at step 20 was scaled by 1e6: detected as an explosion, not trained on blindly
        assertTrue(number(last, "explosions (\\d+)") >= 1, last);
        assertTrue(number(last, "forecasts lstm ([\\d,]+)") + number(last, "persistence ([\\d,]+)") > 0, last);
        assertTrue(run.out().contains("Stopping"), run.out());
    }

    private static long number(String line, String regex) {
        Matcher m = Pattern.compile(regex).matcher(line);
        assertTrue(m.find(), regex + " not in " + line);
        return Long.parseLong(m.group(1).replace(",", ""));
    }
}
