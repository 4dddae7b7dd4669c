package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvalCommandTest {
    @Test
    void shouldExitWithOneLineWhenTheCsvDoesNotExist() {
        CliRun run = CliRun.of("eval", "--csv", "/nonexistent/series.csv", "--value-column", "OT");
        assertEquals(2, run.exitCode());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("no such file"), run.err());
    }

    @Test
    void shouldExitWithOneLineWhenBootstrapServersAreGivenWithoutKafka(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path csv = java.nio.file.Files.writeString(dir.resolve("s.csv"), "date,OT\n2020-01-01 00:00:00,1\n");
        CliRun run = CliRun.of("eval", "--csv", csv.toString(), "--value-column", "OT", "--bootstrap-servers", "kafka-1:9092",
                "--out", dir.resolve("r").toString());
        assertEquals(2, run.exitCode());
        assertEquals("sensorcast eval: --bootstrap-servers needs --kafka (without it eval runs in process)", run.err().strip());
    }

    @Test
    void shouldExitWithOneLineWhenTheValueColumnIsMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path csv = java.nio.file.Files.writeString(dir.resolve("s.csv"), "date,a\n2020-01-01 00:00:00,1\n");
        CliRun run = CliRun.of("eval", "--csv", csv.toString(), "--value-column", "OT", "--out", dir.resolve("r").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("has no column 'OT'"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
