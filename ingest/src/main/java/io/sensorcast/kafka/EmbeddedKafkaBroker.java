package io.sensorcast.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker (KRaft, combined controller and broker) running in this JVM.
 *
 * <p>Storage is formatted on first start and reused afterwards, so a broker restarted on the same data directory
 * keeps its topics and committed data. Example:
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, Path.of("/tmp/kafka-data"))) {
 *     String bootstrap = broker.bootstrapServers();   // "127.0.0.1:41234"
 * }
 * }</pre>
 *
 * <p>Only one broker may use a data directory at a time: Kafka halts the JVM when it cannot lock it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port, Path dataDir) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * Starts a broker and returns once it serves clients.
     *
     * @param port    the client port on localhost; 0 picks a free one
     * @param dataDir the log directory, created and formatted when new
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        int brokerPort = port == 0 ? freePort() : port;
        // The controller's port cannot be 0: startup() then waits forever for a quorum it cannot address.
        int controllerPort = freePort();
        return start(brokerPort, dataDir, brokerProperties(brokerPort, controllerPort, dataDir));
    }

    /**
     * A broker whose client port only speaks SASL_PLAINTEXT with SCRAM-SHA-256, and one user, {@code user}, with
     * {@code password}: for testing that clients pass their security settings through. No authoriser: any
     * authenticated user may do anything.
     */
    public static EmbeddedKafkaBroker startWithScramUser(Path dataDir, String user, String password) {
        return startSecured(dataDir, "SASL_PLAINTEXT", new Properties(), new ScramUser(user, password));
    }

    /**
     * A broker whose client port only speaks TLS ({@code SSL}), presenting the certificate and key in
     * {@code keystore} (PKCS12; the store and the key share {@code keystorePassword}); clients are not asked for a
     * certificate. Clients need a truststore that trusts the certificate's issuer, and the certificate must name
     * {@code 127.0.0.1}, the address in {@link #bootstrapServers()}, since clients verify the host name.
     */
    public static EmbeddedKafkaBroker startWithTls(Path dataDir, Path keystore, String keystorePassword) {
        return startSecured(dataDir, "SSL", tls(keystore, keystorePassword), null);
    }

    /**
     * {@link #startWithTls}, and the broker also requires each client to present a certificate that
     * {@code truststore} (PKCS12) trusts ({@code ssl.client.auth=required}: mutual TLS).
     */
    public static EmbeddedKafkaBroker startWithMutualTls(Path dataDir, Path keystore, String keystorePassword,
                                                         Path truststore, String truststorePassword) {
        Properties p = tls(keystore, keystorePassword);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toAbsolutePath().toString());
        p.put("ssl.truststore.password", truststorePassword);
        p.put("ssl.client.auth", "required");
        return startSecured(dataDir, "SSL", p, null);
    }

    /** SCRAM-SHA-256 over TLS ({@code SASL_SSL}): {@link #startWithTls} and {@link #startWithScramUser} in one listener. */
    public static EmbeddedKafkaBroker startWithTlsAndScramUser(Path dataDir, Path keystore, String keystorePassword,
                                                                String user, String password) {
        return startSecured(dataDir, "SASL_SSL", tls(keystore, keystorePassword), new ScramUser(user, password));
    }

    private record ScramUser(String name, String password) {
        @Override
        public String toString() {
            return name; // never the password
        }
    }

    private static Properties tls(Path keystore, String password) {
        Properties p = new Properties();
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", keystore.toAbsolutePath().toString());
        p.put("ssl.keystore.password", password);
        p.put("ssl.key.password", password);
        return p;
    }

    /**
     * A broker whose one client listener speaks {@code protocol}. The broker talks to itself on a second, plaintext
     * listener on another loopback port, which is also how a SCRAM user is created (SCRAM credentials live in the
     * cluster metadata, so they can only be added once the broker runs).
     */
    private static EmbeddedKafkaBroker startSecured(Path dataDir, String protocol, Properties security, ScramUser user) {
        int brokerPort = freePort();
        int internalPort = freePort();
        Properties p = brokerProperties(brokerPort, freePort(), dataDir);
        String controller = p.getProperty("listeners").substring(p.getProperty("listeners").indexOf(",CONTROLLER"));
        p.put("listeners", protocol + "://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort + controller);
        p.put("listener.security.protocol.map", protocol + ":" + protocol + ",INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.putAll(security);
        if (user != null) {
            p.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
            p.put("listener.name." + protocol.toLowerCase(java.util.Locale.ROOT) + ".scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        EmbeddedKafkaBroker broker = start(brokerPort, dataDir, p);
        if (user != null) {
            Properties admin = new Properties();
            admin.put("bootstrap.servers", "127.0.0.1:" + internalPort);
            try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(admin)) {
                a.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(user.name(),
                        new org.apache.kafka.clients.admin.ScramCredentialInfo(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256, 4096),
                        user.password()))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                broker.close();
                throw new IllegalStateException("cannot create SCRAM user " + user.name() + ": " + e.getMessage(), e);
            }
        }
        return broker;
    }

    private static EmbeddedKafkaBroker start(int brokerPort, Path dataDir, Properties properties) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create broker data directory " + dataDir, e);
        }
        KafkaConfig config = new KafkaConfig(properties, false);
        formatIfNew(config, dataDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw new IllegalStateException("Kafka broker failed to start on port " + brokerPort + ": " + e.getMessage(), e);
        }
        return new EmbeddedKafkaBroker(server, brokerPort, dataDir);
    }

    static Properties brokerProperties(int brokerPort, int controllerPort, Path dataDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        // One broker: the internal topics' default replication factor of 3 would leave consumer groups and
        // transactions (which exactly-once Kafka Streams needs) waiting forever.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("message.max.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    private static void formatIfNew(KafkaConfig config, Path dataDir) {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dataDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** The address clients connect to, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits until its threads are gone; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }
}
