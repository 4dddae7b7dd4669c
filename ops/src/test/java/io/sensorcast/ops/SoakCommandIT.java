package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The 2-minute soak of CI: the long form is {@code sensorcast soak --duration 30m --rate 10000}. */
@Tag("chaos")
@Tag("integration")
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class SoakCommandIT {

    @Test
    void shouldSampleEveryFigureAndReportSlopesWhenSoakingForTwoMinutes(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("soak.json");

        CliRun run = CliRun.of("soak", "--duration", "2m", "--rate", "1000", "--sensors", "100", "--sample-every", "20s", "--warm-up", "20s",
                "--out", json.toString());
        System.out.print(run.out());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode samples = report.get("samples");
        assertEquals(6, samples.size(), run.out());
        for (JsonNode s : samples) {
            assertTrue(s.get("heapAfterGcMb").asDouble() > 0, s.toString());
            assertTrue(s.get("openFileDescriptors").asLong() > 0, s.toString());
            assertTrue(s.get("consumerLag").asLong() >= 0, "lag read from the broker: " + s);
        }
        JsonNode last = samples.get(samples.size() - 1);
        assertTrue(last.get("forecasts").asDouble() > 0, "serve forecast during the soak: " + last);
        assertTrue(last.get("stateMb").asDouble() > 0, last.toString());
        JsonNode slopes = report.get("slopesPerMinute");
        for (String k : new String[] {"heapAfterGcMbPerMinute", "openFileDescriptorsPerMinute", "stateMbPerMinute",
                "consumerLagPerMinute", "p99LatencyMsPerMinute"}) {
            assertTrue(slopes.has(k), k + " in " + slopes);
        }
        // a leak of one descriptor per reading batch would show as hundreds per minute
        assertTrue(Math.abs(slopes.get("openFileDescriptorsPerMinute").asDouble()) < 100, slopes.toString());
    }
}
