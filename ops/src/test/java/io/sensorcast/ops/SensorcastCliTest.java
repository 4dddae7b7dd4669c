package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SensorcastCliTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "broker", "ingest", "train", "serve", "produce", "consume", "eval", "bench", "lab", "soak"})
    void shouldPrintHelpAndExitZeroForEveryCommand(String command) {
        CliRun run = CliRun.of(command, "--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Usage: sensorcast " + command), run.out());
    }

    @Test
    void shouldKeepTheDescriptionLinesAsWrittenInHelp() {
        CliRun run = CliRun.of("soak", "--help");

        assertTrue(run.out().contains("\nA long run at a fixed reading rate: embedded broker, ingest and serve (stateful inference with a\n"),
                run.out());
    }

    @Test
    void shouldListEveryCommandInTheTopLevelHelp() {
        CliRun run = CliRun.of("--help");
        for (String c : new String[] {"demo", "broker", "ingest", "train", "serve", "produce", "consume", "eval", "bench", "lab", "soak"}) {
            assertTrue(run.out().contains("  " + c + " "), c + " missing from:\n" + run.out());
        }
    }

    @Test
    void shouldExitWithUsageErrorAndOneLineWhenAFlagIsUnknown() {
        CliRun run = CliRun.of("--no-such-flag");
        assertEquals(2, run.exitCode());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("Unknown option: '--no-such-flag'"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void shouldNameTheFileInOneLineWhenTheCsvDoesNotExist(@TempDir Path dir) {
        Path missing = dir.resolve("missing.csv");
        CliRun run = CliRun.of("produce", "--csv", missing.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, run.exitCode());
        assertEquals("sensorcast produce: cannot read " + missing + ": no such file", run.err().strip());
    }

    @Test
    void shouldNameTheColumnsWhenTheValueColumnIsMissing(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("s.csv"), "date,temp\n2016-07-01 00:00:00,1.5\n");
        CliRun run = CliRun.of("produce", "--csv", csv.toString(), "--value-column", "OT", "-b", "127.0.0.1:1");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().strip().endsWith("has no column 'OT' (columns: date, temp)"), run.err());
    }

    @Test
    void shouldFailInOneLineNamingTheAddressWhenKafkaIsUnreachable() {
        CliRun run = CliRun.of("produce", "--simulate", "2", "--max-readings", "1", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(1, run.exitCode());
        assertEquals("sensorcast produce: cannot reach Kafka at 127.0.0.1:1 within 15 s", run.err().strip());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void shouldRejectAMalformedDuration() {
        CliRun run = CliRun.of("produce", "--simulate", "2", "--duration", "soon");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'soon' is not a duration"), run.err());
    }

    @Test
    void shouldRefuseKafkaClientSettingsForTheDemosOwnBroker(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("client.properties"), "kafka.security.protocol=SSL\n");
        CliRun run = CliRun.of("demo", "--config", config.toString(), "--data-dir", dir.resolve("data").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("sensorcast demo: --config holds Kafka client settings for an external cluster: give its --bootstrap-servers too",
                run.err().strip());
    }

    @Test
    void shouldKeepThePasswordOutOfTheErrorWhenAJaasConfigIsMalformed(@TempDir Path dir) throws Exception {
        // no closing semicolon: Kafka refuses the JAAS configuration while building the client
        Path config = Files.writeString(dir.resolve("client.properties"), """
                kafka.security.protocol=SASL_PLAINTEXT
                kafka.sasl.mechanism=SCRAM-SHA-256
                kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="leak-me-42"
                """);
        CliRun run = CliRun.of("consume", "--config", config.toString(), "--max", "1", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("JAAS"), run.err());
        assertFalse(run.err().contains("leak-me-42"), run.err());
    }
}
