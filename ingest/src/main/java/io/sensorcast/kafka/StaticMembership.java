package io.sensorcast.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static group membership ({@code group.instance.id}) for a Kafka Streams service, so that a restarted instance takes
 * its partitions back at once instead of waiting for its previous run's session to expire.
 *
 * <p>Kafka Streams does not leave its group when it stops, and a killed one cannot: with dynamic membership the new
 * run joins as a stranger and the group waits {@link CrashedMemberTimeout#SESSION_TIMEOUT_MS} for the old member
 * before anyone gets its partitions. A static member that rejoins under the same id replaces its old self with no
 * wait (Kafka Streams suffixes the id with each stream thread's index).
 *
 * <p>The id must be stable across restarts and unique among running instances. One instance's state directory is
 * both: it survives a restart, and Kafka Streams refuses two live instances of an application in one directory. So
 * the id is the application id, the host name and a digest of the state directory's absolute path.
 *
 * <p>A service that stops on purpose leaves the group ({@link #leaveGroupAndClose}), so its partitions move to the
 * other instances at once when it is scaled down rather than after the session timeout.
 */
public final class StaticMembership {
    private static final Logger LOG = LoggerFactory.getLogger(StaticMembership.class);

    private StaticMembership() {
    }

    /**
     * Sets the main consumer's {@code group.instance.id} from the application id and state directory in
     * {@code streamsProperties} (Kafka Streams' default directory when none is set), unless the user set one; call it
     * after the user's overrides are in.
     */
    public static void apply(Properties streamsProperties) {
        String key = ConsumerConfig.GROUP_INSTANCE_ID_CONFIG;
        if (streamsProperties.containsKey(key) || streamsProperties.containsKey(StreamsConfig.consumerPrefix(key))
                || streamsProperties.containsKey(StreamsConfig.mainConsumerPrefix(key))) {
            return;
        }
        String applicationId = streamsProperties.get(StreamsConfig.APPLICATION_ID_CONFIG).toString();
        Path stateDir = ClusterBoundState.stateDir(streamsProperties);
        streamsProperties.put(StreamsConfig.mainConsumerPrefix(key), instanceId(applicationId, hostName(), stateDir));
    }

    /** {@code <application id>-<host>-<first 12 hex digits of the SHA-256 of the state directory's absolute path>}. */
    public static String instanceId(String applicationId, String host, Path stateDir) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(stateDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return applicationId + "-" + host + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /**
     * Closes {@code streams} and takes its threads out of the group at once (see the class comment). A close that runs
     * out of time leaves stores without their committed offsets, so the next start rebuilds them: that is logged as a
     * warning with what the client's threads were doing, the one clue to why it hung.
     */
    public static boolean leaveGroupAndClose(KafkaStreams streams, java.time.Duration timeout) {
        boolean closed = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
        if (closed) {
            // from the closing thread, not the state listener: Kafka Streams calls the listener after waking close(),
            // so a JVM that exits right after close() can lose the listener's NOT_RUNNING line
            LOG.info("Kafka Streams closed ({}): its stores keep their committed offsets for the next start", streams.state());
        } else {
            LOG.warn("Kafka Streams did not close within {} ms (state {}); the next start may rebuild its stores from"
                    + " their changelogs. Its threads:{}", timeout.toMillis(), streams.state(), streamsThreadStacks());
        }
        return closed;
    }

    // the stream, global and close threads Kafka Streams names after the client; a few frames each
    private static String streamsThreadStacks() {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            String name = thread.getName();
            if (name.contains("StreamThread") || name.contains("GlobalStreamThread") || name.contains("CloseThread")) {
                out.append("\n  ").append(name).append(" (").append(thread.getState()).append(')');
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                    out.append("\n    at ").append(stack[i]);
                }
            }
        });
        return out.length() == 0 ? " none left" : out.toString();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }
}
