package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    private static final Set<String> KEYS = Set.of("ingest.grace", "ingest.window");

    @Test
    void shouldLetEnvironmentOverrideTheFileAndFlagsOverrideBoth(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ingest.properties"), "ingest.grace=30s\ningest.window=48\n");
        Map<String, String> flags = new HashMap<>();
        flags.put("ingest.window", "24");
        Settings s = Settings.load(KEYS, file, Map.of("SENSORCAST_INGEST_GRACE", "45s", "SENSORCAST_INGEST_WINDOW", "36"), flags);
        assertEquals(Duration.ofSeconds(45), s.duration("ingest.grace"));
        assertEquals(24, s.integer("ingest.window"));
        assertEquals("flag", s.origins().get("ingest.window"));
    }

    @Test
    void shouldRejectAnUnknownKeyInTheFileNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ingest.properties"), "ingest.grcae=30s\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(KEYS, file, Map.of(), Map.of()));
        assertTrue(e.getMessage().startsWith("unknown setting 'ingest.grcae' in " + file), e.getMessage());
    }

    @Test
    void shouldNameTheKeyAndItsOriginWhenAValueIsMalformed() {
        Settings s = Settings.load(KEYS, null, Map.of("SENSORCAST_INGEST_WINDOW", "many"), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.integer("ingest.window"));
        assertEquals("ingest.window='many' (from env SENSORCAST_INGEST_WINDOW) is not an integer", e.getMessage());
    }

    @Test
    void shouldLeaveDefaultsAloneWhenNothingIsSet() {
        Settings s = Settings.load(KEYS, null, Map.of(), Map.of());
        assertFalse(s.has("ingest.grace"));
    }
}
