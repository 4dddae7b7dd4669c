package io.sensorcast.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where a command's Kafka cluster is and how to talk to it: the bootstrap address plus the pass-through client
 * settings ({@code kafka.*} in {@code --config}, {@code SENSORCAST_KAFKA_*} in the environment; see {@link Settings}),
 * security above all. Every Kafka client a command creates gets its configuration from here, so a setting such as
 * {@code security.protocol=SSL} reaches producers, consumers, admin clients and the services alike.
 *
 * <p>Layering, lowest first: the command's own defaults, then the pass-through settings (an operator may tune
 * {@code linger.ms} as well as add TLS), then {@code bootstrap.servers} from the command line. Each client gets only
 * the pass-through keys it knows, so a producer setting does not make an admin client warn. For example, with
 * {@code kafka.security.protocol=SSL} and {@code kafka.linger.ms=20}:
 * <pre>{@code
 * connection.producer(Map.of("linger.ms", 5, "acks", "all"))
 *     // {acks=all, linger.ms=20, security.protocol=SSL, bootstrap.servers=kafka-1:9093}
 * connection.admin(Map.of())
 *     // {security.protocol=SSL, bootstrap.servers=kafka-1:9093}
 * }</pre>
 *
 * <p>The settings may hold secrets (passwords, JAAS configurations): {@link #toString()} shows their keys only.
 */
public final class KafkaConnection {
    private final String bootstrapServers;
    private final Map<String, Object> clientSettings;

    public KafkaConnection(String bootstrapServers, Map<String, ?> clientSettings) {
        this.bootstrapServers = bootstrapServers;
        this.clientSettings = Collections.unmodifiableMap(new TreeMap<>(clientSettings));
    }

    /** A connection with the pass-through settings of {@code settings} ({@link Settings#kafkaClient()}). */
    public static KafkaConnection of(String bootstrapServers, Settings settings) {
        return new KafkaConnection(bootstrapServers, settings.kafkaClient());
    }

    /** A cluster that needs nothing but its address, such as the embedded broker a command starts itself. */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The pass-through settings as they are, for Kafka Streams and the trainer, whose configs ({@code
     * IngestConfig.withStreamsOverrides}, {@code TrainerLoopConfig.withClientOverrides}) layer them themselves.
     */
    public Map<String, Object> clientSettings() {
        return clientSettings;
    }

    public Map<String, Object> producer(Map<String, ?> commandDefaults) {
        return layered(commandDefaults, ProducerConfig.configNames());
    }

    public Map<String, Object> consumer(Map<String, ?> commandDefaults) {
        return layered(commandDefaults, ConsumerConfig.configNames());
    }

    public Map<String, Object> admin(Map<String, ?> commandDefaults) {
        return layered(commandDefaults, AdminClientConfig.configNames());
    }

    private Map<String, Object> layered(Map<String, ?> commandDefaults, Set<String> known) {
        Map<String, Object> config = new LinkedHashMap<>(commandDefaults);
        clientSettings.forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** The address and the names of the pass-through settings, never their values: safe to log. */
    @Override
    public String toString() {
        return "KafkaConnection[" + bootstrapServers + ", settings " + clientSettings.keySet() + "]";
    }
}
