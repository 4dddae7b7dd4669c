package io.sensorcast.ops.command;

import java.nio.file.Path;

import io.sensorcast.ops.Settings;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} for commands whose only settings are Kafka client ones ({@code produce}, {@code consume},
 * {@code demo} and {@code soak} against an external cluster): {@code kafka.<client key>} lines, layered under
 * {@code SENSORCAST_KAFKA_<KEY>} environment variables as for the services.
 */
public final class KafkaClientConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with Kafka client settings, e.g. kafka.security.protocol=SSL (env SENSORCAST_KAFKA_<KEY> overrides; keep secrets there).")
    Path config;

    public Settings settings() {
        return Settings.kafkaClientOnly(config, System.getenv());
    }
}
