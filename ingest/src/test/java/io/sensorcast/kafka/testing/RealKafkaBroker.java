package io.sensorcast.kafka.testing;

import io.sensorcast.kafka.EmbeddedKafkaBroker;
import io.sensorcast.kafka.TemporaryDirectory;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * JUnit extension giving each test class one real Kafka broker: Testcontainers' Kafka container when a Docker
 * engine is reachable, otherwise Sensorcast's embedded KRaft broker. Tests ask for a {@link KafkaCluster}
 * parameter and see only its bootstrap address, so the same test runs on either.
 *
 * <pre>{@code
 * @ExtendWith(RealKafkaBroker.class)
 * class ProduceCommandIT {
 *     @Test void shouldRoundTrip(KafkaCluster kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class RealKafkaBroker implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RealKafkaBroker.class);
    private static final String KAFKA_IMAGE = "apache/kafka-native:4.1.0";

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    private static KafkaCluster cluster(ExtensionContext context) {
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getParent().isPresent()
                && context.getTestMethod().isPresent() ? context.getParent().get() : context;
        return classContext.getStore(NS).computeIfAbsent("cluster", k -> start(), RunningCluster.class);
    }

    private static RunningCluster start() {
        if (dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
            container.start();
            return new RunningCluster(container.getBootstrapServers(), "testcontainers", container::stop);
        }
        TemporaryDirectory dir = TemporaryDirectory.create("sensorcast-test-kafka-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir.path());
        return new RunningCluster(broker.bootstrapServers(), "embedded", () -> {
            broker.close();
            dir.close();
        });
    }

    private static boolean dockerAvailable() {
        if ("embedded".equals(System.getProperty("sensorcast.test.kafka"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }



    private record RunningCluster(String bootstrapServers, String kind, Runnable stop)
            implements KafkaCluster, AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }
    }
}
