package io.sensorcast.ops.command;

import java.nio.file.Path;

import io.sensorcast.kafka.EmbeddedKafkaBroker;
import io.sensorcast.ops.KafkaConnection;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The cluster of a self-contained command ({@code demo}, {@code soak}): by default an embedded broker it starts
 * itself (plaintext on loopback, so no client settings apply); with {@code --bootstrap-servers}, an external cluster
 * reached with the Kafka client settings of {@code --config} and {@code SENSORCAST_KAFKA_*}, as the services are.
 */
public final class OwnOrExternalKafkaOptions {
    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,…]",
            description = "Use this Kafka cluster instead of starting an embedded broker; its standard topics and application ids are used, so give it a cluster of its own, not production's.")
    String bootstrapServers;

    @Mixin
    KafkaClientConfigOptions clientConfig;

    /** The cluster in use and, when this command started it, the embedded broker to stop with it. */
    public record Cluster(KafkaConnection connection, EmbeddedKafkaBroker embeddedBroker) implements AutoCloseable {
        public boolean embedded() {
            return embeddedBroker != null;
        }

        @Override
        public void close() {
            if (embeddedBroker != null) {
                embeddedBroker.close();
            }
        }
    }

    /** The external cluster if one was given, else an embedded broker started on a free port with its data in {@code brokerDir}. */
    public Cluster open(Path brokerDir) {
        if (bootstrapServers != null) {
            return new Cluster(KafkaConnection.of(bootstrapServers, clientConfig.settings()), null);
        }
        if (clientConfig.config != null) {
            throw new IllegalArgumentException("--config holds Kafka client settings for an external cluster: give its --bootstrap-servers too");
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, brokerDir);
        return new Cluster(KafkaConnection.plaintext(broker.bootstrapServers()), broker);
    }
}
