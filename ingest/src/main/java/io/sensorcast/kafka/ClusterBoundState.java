package io.sensorcast.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a Kafka Streams service's local state to the Kafka cluster it was built from.
 *
 * <p>A store's local state stands for a position in its changelog on one cluster. Started against another cluster
 * (a broker re-created with a fresh data directory, a state directory copied from staging to production), Kafka
 * Streams only compares offsets: a local position beyond the new changelog's end is thrown away, with
 * {@code TaskCorruptedException} stack traces in the log; one within it is kept, and the new changelog is replayed
 * from there on top of the other cluster's state, silently mixing the two. So every start records the cluster's id
 * beside the state ({@value #MARKER} in the application's state directory), and state recorded for another cluster,
 * or state without a record (written before this class existed), is wiped with {@link KafkaStreams#cleanUp()} before
 * the client starts; its changelogs then rebuild it.
 *
 * <pre>{@code
 * KafkaStreams streams = new KafkaStreams(topology, props); // takes the state directory's lock first
 * ClusterBoundState.claim(streams, props, cluster, timeout);
 * streams.start();
 * }</pre>
 */
public final class ClusterBoundState {
    public static final String MARKER = "sensorcast-cluster-id";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBoundState.class);

    private ClusterBoundState() {
    }

    /**
     * Wipes {@code streams}' local state unless it was built against {@code clusterId}, then records that id. Call it
     * after constructing the client (which fails if another instance holds the directory) and before
     * {@link KafkaStreams#start()}.
     *
     * @return true if local state was wiped
     */
    public static boolean claim(KafkaStreams streams, Properties streamsProperties, String clusterId) {
        Path dir = applicationStateDir(streamsProperties);
        if (clusterId == null || clusterId.isBlank()) {
            // a Kafka-compatible broker that names no cluster: nothing to bind to, and nothing to compare with
            LOG.warn("The cluster has no id: the local state in {} is kept without checking where it was built", dir);
            return false;
        }
        Path marker = dir.resolve(MARKER);
        try {
            String recorded = Files.isRegularFile(marker) ? Files.readString(marker, StandardCharsets.UTF_8).strip() : null;
            if (clusterId.equals(recorded)) {
                return false;
            }
            boolean wipe = holdsState(dir);
            if (wipe) {
                LOG.info("Local state in {} {}, not this cluster {}: wiping it, its changelogs rebuild it", dir,
                        recorded == null ? "has no record of the cluster it was built from" : "was built from cluster " + recorded,
                        clusterId);
                // our record first: Kafka Streams warns of any file but its own it finds left in the directory
                Files.deleteIfExists(marker);
                streams.cleanUp();
            }
            Files.createDirectories(dir);
            Path written = Files.writeString(dir.resolve(MARKER + ".tmp"), clusterId + "\n", StandardCharsets.UTF_8);
            Files.move(written, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return wipe;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the cluster of the state in " + dir, e);
        }
    }

    /**
     * {@link #claim(KafkaStreams, Properties, String)} with the id {@code cluster} asks for; when that fails (the
     * cluster does not answer in time, the directory cannot be written), closes {@code cluster} and {@code streams}
     * before rethrowing, as a service that cannot start.
     */
    public static boolean claim(KafkaStreams streams, Properties streamsProperties, ClusterReachability cluster, Duration timeout) {
        try {
            return claim(streams, streamsProperties, cluster.clusterId(timeout));
        } catch (RuntimeException e) {
            cluster.close();
            streams.close();
            throw e;
        }
    }

    /** {@code <state.dir>/<application.id>}: Kafka Streams' default {@code state.dir} when none is set. */
    static Path applicationStateDir(Properties streamsProperties) {
        return stateDir(streamsProperties).resolve(streamsProperties.get(StreamsConfig.APPLICATION_ID_CONFIG).toString());
    }

    /** The configured {@code state.dir}, or Kafka Streams' default. */
    static Path stateDir(Properties streamsProperties) {
        Object dir = streamsProperties.get(StreamsConfig.STATE_DIR_CONFIG);
        return Path.of(dir != null ? dir.toString()
                : StreamsConfig.configDef().defaultValues().get(StreamsConfig.STATE_DIR_CONFIG).toString());
    }

    // task directories (0_1, 1_0, ...) and the global store's; Kafka Streams' own files beside them are not state
    private static boolean holdsState(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(Files::isDirectory);
        }
    }
}
