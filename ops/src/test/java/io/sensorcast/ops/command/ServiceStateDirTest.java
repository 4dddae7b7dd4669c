package io.sensorcast.ops.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import io.sensorcast.ops.Settings;
import org.junit.jupiter.api.Test;

/** Where `sensorcast ingest` and `sensorcast serve` keep their state stores. */
class ServiceStateDirTest {
    @Test
    void shouldKeepIngestStateBesideTheBrokersDataByDefault() {
        Settings s = Settings.load(IngestCommand.KEYS, null, Map.of(), Map.of());
        assertEquals(Path.of("sensorcast-data", "ingest-state"), IngestCommand.ingestConfig(s).stateDir());
    }

    @Test
    void shouldKeepServeStateBesideTheBrokersDataByDefault() {
        Settings s = Settings.load(ServeCommand.KEYS, null, Map.of(), Map.of());
        assertEquals(Path.of("sensorcast-data", "serve-state"), ServeCommand.serveConfig(s).stateDir());
    }

    @Test
    void shouldTakeTheStateDirFromTheEnvironment() {
        Settings s = Settings.load(IngestCommand.KEYS, null, Map.of("SENSORCAST_INGEST_STATE_DIR", "/var/lib/sensorcast/ingest"), Map.of());
        assertEquals(Path.of("/var/lib/sensorcast/ingest"), IngestCommand.ingestConfig(s).stateDir());
    }
}
