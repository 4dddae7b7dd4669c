package io.sensorcast.ops.command;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.sensorcast.kafka.EmbeddedKafkaBroker;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs a single-node Apache Kafka broker (KRaft) in this process until Ctrl-C.",
                "Storage is formatted on first start and kept in --data-dir across restarts."})
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", description = "Client port on localhost; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "sensorcast-data/kafka", description = "Log directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "" + Topics.DEFAULT_PARTITIONS,
            description = "Partitions of the sensor-keyed topics created at start (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--no-topics", negatable = false, description = "Do not create Sensorcast's topics at start.")
    boolean noTopics;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dataDir);
        Thread hook = new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "sensorcast-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!noTopics) {
            TopicAdministrator.ensureTopics(broker.bootstrapServers(), Topics.all(partitions), java.time.Duration.ofSeconds(30));
        }
        spec.commandLine().getOut().printf("Kafka broker ready at %s (data in %s). Ctrl-C stops it.%n",
                broker.bootstrapServers(), dataDir.toAbsolutePath());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
