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

    @Test
    void shouldPassKafkaClientSettingsThroughFromTheFileAndTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("serve.properties"),
                "kafka.security.protocol=SASL_SSL\nkafka.ssl.truststore.location=/etc/kafka/truststore.jks\n");
        Settings s = Settings.load(KEYS, file, Map.of("SENSORCAST_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "SENSORCAST_KAFKA_SASL_JAAS_CONFIG", "ScramLoginModule required password=\"p\";", "SENSORCAST_INGEST_GRACE", "45s"), Map.of());

        // the environment's underscores become the client keys' dots
        assertEquals(Map.of("security.protocol", "SASL_SSL", "ssl.truststore.location", "/etc/kafka/truststore.jks",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "ScramLoginModule required password=\"p\";"), s.kafkaClient());
        assertFalse(s.origins().containsKey("sasl.jaas.config"), "client settings stay out of the start-up origins");
    }

    @Test
    void shouldAcceptOnlyKafkaClientSettingsInTheFileOfACommandWithoutSettingsOfItsOwn(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "kafka.security.protocol=SSL\nsecurity.protocol=SSL\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.kafkaClientOnly(file, Map.of()));
        assertEquals("unknown setting 'security.protocol' in " + file + " (only kafka.<client key> settings here)", e.getMessage());
    }
}
