package io.sensorcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterBoundStateTest {
    private static final String APP = "cluster-bound-test";

    @TempDir
    Path stateDir;

    private Properties props;
    private KafkaStreams streams;
    private Path appDir;

    @BeforeEach
    void createClient() {
        props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"); // never contacted: the client is not started
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("in", Materialized.<String, String, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("store")
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String())); // a persistent store, like ingest's
        streams = new KafkaStreams(builder.build(), props);
        appDir = stateDir.resolve(APP);
    }

    @AfterEach
    void closeClient() {
        streams.close();
    }

    @Test
    void shouldRecordTheClusterWhenThereIsNoStateYet() throws Exception {
        assertFalse(ClusterBoundState.claim(streams, props, "cluster-a"));
        assertEquals("cluster-a", Files.readString(appDir.resolve(ClusterBoundState.MARKER)).strip());
    }

    @Test
    void shouldKeepStateBuiltFromTheSameCluster() throws Exception {
        Path store = taskState("cluster-a");

        assertFalse(ClusterBoundState.claim(streams, props, "cluster-a"));
        assertTrue(Files.exists(store));
    }

    @Test
    void shouldWipeStateBuiltFromAnotherClusterAndRecordTheNewOne() throws Exception {
        Path store = taskState("cluster-a");

        assertTrue(ClusterBoundState.claim(streams, props, "cluster-b"));
        assertFalse(Files.exists(store));
        assertEquals("cluster-b", Files.readString(appDir.resolve(ClusterBoundState.MARKER)).strip());
    }

    @Test
    void shouldWipeWithoutKafkaStreamsWarningThatItsOwnRecordWasLeftBehind() throws Exception {
        taskState("cluster-a");
        ch.qos.logback.classic.Logger stateDirectory = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "org.apache.kafka.streams.processor.internals.StateDirectory");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        stateDirectory.addAppender(logged);
        try {
            assertTrue(ClusterBoundState.claim(streams, props, "cluster-b"));
        } finally {
            stateDirectory.detachAppender(logged);
        }

        assertEquals(List.of(), logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void shouldWipeStateThatHasNoRecordOfItsCluster() throws Exception {
        Path store = taskState(null);

        assertTrue(ClusterBoundState.claim(streams, props, "cluster-a"));
        assertFalse(Files.exists(store));
    }

    @Test
    void shouldKeepStateWhenTheClusterNamesNoId() throws Exception {
        Path store = taskState("cluster-a");

        assertFalse(ClusterBoundState.claim(streams, props, null));
        assertTrue(Files.exists(store));
        assertEquals("cluster-a", Files.readString(appDir.resolve(ClusterBoundState.MARKER)).strip());
    }

    // a task directory with a store file in it, as a previous run leaves it, recorded for cluster (or not at all)
    private Path taskState(String cluster) throws Exception {
        Path store = Files.createDirectories(appDir.resolve("0_0").resolve("rocksdb").resolve("store"));
        Files.writeString(store.resolve("CURRENT"), "MANIFEST-000001\n");
        if (cluster != null) {
            Files.writeString(appDir.resolve(ClusterBoundState.MARKER), cluster + "\n");
        }
        return store.resolve("CURRENT");
    }
}
