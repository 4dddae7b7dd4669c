package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.sensorcast.kafka.StaticMembership;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** Serve's stream threads join their group the way ingest's do (see {@link StaticMembership}). */
class ServeConfigGroupMembershipTest {
    private static final Path STATE = Path.of("/var/lib/sensorcast/serve");

    @Test
    void shouldRejoinAsTheSameStaticMemberAfterARestart() {
        ServeConfig config = ServeConfig.defaults().withStateDir(STATE);

        String id = (String) mainConsumer(config).get("group.instance.id");

        assertTrue(id.startsWith(config.applicationId() + "-") && id.endsWith("-1"), id);
        assertEquals(id, mainConsumer(ServeConfig.defaults().withStateDir(STATE)).get("group.instance.id"));
    }

    @Test
    void shouldGiveAKilledInstancesPartitionsAwayAfterFifteenSeconds() {
        assertEquals(15_000, mainConsumer(ServeConfig.defaults()).get("session.timeout.ms"));
    }

    @Test
    void shouldLetTheUsersSessionTimeoutWin() {
        ServeConfig config = ServeConfig.defaults().withStreamsOverrides(Map.of("main.consumer.session.timeout.ms", 45_000));

        assertEquals(45_000, mainConsumer(config).get("session.timeout.ms"));
    }

    @Test
    void shouldLetAStreamThreadsSendWaitFiveMinutesForABrokerThatWentAway() {
        var producer = new StreamsConfig(ServeConfig.defaults().streamsProperties("b:9092")).getProducerConfigs("c");

        assertEquals(300_000, producer.get("max.block.ms"));
    }

    private static Map<String, Object> mainConsumer(ServeConfig config) {
        return new StreamsConfig(config.streamsProperties("b:9092")).getMainConsumerConfigs("g", "c", 1);
    }
}
