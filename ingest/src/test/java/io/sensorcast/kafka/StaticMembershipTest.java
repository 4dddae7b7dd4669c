package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Map;

import io.sensorcast.ingest.IngestConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {
    private static final String INSTANCE_ID = "group.instance.id";

    @Test
    void shouldGiveEachStreamThreadAnIdThatSurvivesARestart() {
        IngestConfig config = IngestConfig.defaults().withStateDir(Path.of("/var/lib/sensorcast/ingest"));

        Object first = threadInstanceId(config, 1);
        Object afterRestart = threadInstanceId(config, 1);

        assertEquals(first, afterRestart);
        assertNotEquals(first, threadInstanceId(config, 2));
    }

    @Test
    void shouldGiveInstancesWithDifferentStateDirectoriesDifferentIds() {
        IngestConfig config = IngestConfig.defaults();

        assertNotEquals(threadInstanceId(config.withStateDir(Path.of("/data/a")), 1),
                threadInstanceId(config.withStateDir(Path.of("/data/b")), 1));
    }

    @Test
    void shouldNameTheApplicationHostAndStateDirectory() {
        assertEquals("sensorcast-ingest-h1-", StaticMembership.instanceId("sensorcast-ingest", "h1", Path.of("/d")).substring(0, 21));
        assertNotEquals(StaticMembership.instanceId("a", "h1", Path.of("/d")), StaticMembership.instanceId("a", "h2", Path.of("/d")));
    }

    @Test
    void shouldLetTheUsersIdWin() {
        IngestConfig config = IngestConfig.defaults().withStreamsOverrides(Map.of("main.consumer." + INSTANCE_ID, "mine"));

        assertEquals("mine-1", threadInstanceId(config, 1));
    }

    private static Object threadInstanceId(IngestConfig config, int thread) {
        return new StreamsConfig(config.streamsProperties("b:9092")).getMainConsumerConfigs("g", "c", thread).get(INSTANCE_ID);
    }
}
