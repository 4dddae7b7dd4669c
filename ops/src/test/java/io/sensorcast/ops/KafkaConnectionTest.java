package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sensorcast\" password=\"s3cret-9d\";";
    private final KafkaConnection connection = new KafkaConnection("kafka-1:9093", Map.of(
            "security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS, "linger.ms", "20"));

    @Test
    void shouldGiveSecuritySettingsToProducersConsumersAndAdminClients() {
        for (Map<String, Object> client : java.util.List.of(connection.producer(Map.of()), connection.consumer(Map.of()), connection.admin(Map.of()))) {
            assertEquals("SASL_SSL", client.get("security.protocol"));
            assertEquals(JAAS, client.get("sasl.jaas.config"));
            assertEquals("kafka-1:9093", client.get("bootstrap.servers"));
        }
    }

    @Test
    void shouldLetPassThroughSettingsOverrideTheCommandsDefaults() {
        assertEquals(Map.of("acks", "all", "linger.ms", "20", "security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS,
                "bootstrap.servers", "kafka-1:9093"), connection.producer(Map.of("acks", "all", "linger.ms", 5)));
    }

    @Test
    void shouldGiveEachClientOnlyTheKeysItKnows() {
        // linger.ms is a producer setting: an admin client or a consumer would only warn about it
        assertFalse(connection.admin(Map.of()).containsKey("linger.ms"));
        assertFalse(connection.consumer(Map.of()).containsKey("linger.ms"));
    }

    @Test
    void shouldTakeTheBootstrapAddressFromTheCommandLineOverAPassThroughOne() {
        KafkaConnection c = new KafkaConnection("kafka-1:9093", Map.of("bootstrap.servers", "elsewhere:9092"));
        assertEquals("kafka-1:9093", c.consumer(Map.of()).get("bootstrap.servers"));
    }

    @Test
    void shouldNameTheSettingsButNotTheirValuesWhenPrinted() {
        String printed = connection.toString();
        assertTrue(printed.contains("sasl.jaas.config"), printed);
        assertFalse(printed.contains("s3cret-9d"), printed);
        assertFalse(printed.contains("SASL_SSL"), printed);
    }
}
