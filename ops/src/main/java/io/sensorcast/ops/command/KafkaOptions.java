package io.sensorcast.ops.command;

import io.sensorcast.ops.KafkaConnection;
import io.sensorcast.ops.Settings;
import picocli.CommandLine.Option;

/** Where the Kafka cluster is: a flag, else {@code SENSORCAST_BOOTSTRAP_SERVERS}, else localhost:9092. */
public final class KafkaOptions {
    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,…]",
            defaultValue = "${env:SENSORCAST_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env SENSORCAST_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** This cluster with the Kafka client settings (security above all) that {@code settings} passes through. */
    public KafkaConnection connection(Settings settings) {
        return KafkaConnection.of(bootstrapServers, settings);
    }
}
