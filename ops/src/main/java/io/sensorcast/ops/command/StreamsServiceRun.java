package io.sensorcast.ops.command;

import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sensorcast.ops.http.MetricsServer;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The life of a Kafka Streams service command (ingest, serve): /metrics and /health beside it, one banner line, then
 * wait for Ctrl-C — or fail in one line if Kafka Streams stops by itself (e.g. a fatal error puts it in ERROR).
 *
 * <p>The caller owns the {@link StopSignal} and calls {@link StopSignal#finished()} only after it has closed the
 * service: the JVM exits as soon as the signal says finished, and a Kafka Streams client cut off inside
 * {@code close()} writes no state checkpoints, so under exactly-once the next start wipes and rebuilds its stores.
 */
final class StreamsServiceRun {
    private StreamsServiceRun() {
    }

    /**
     * @param state     the Kafka Streams state: the command fails once it is neither running nor rebalancing
     * @param readiness what {@code /health} reports (the service's own check: processing and the cluster answering)
     */
    static int untilStopped(StopSignal stop, CommandSpec spec, MetricsOptions metrics, int defaultPort,
                            PrometheusMeterRegistry registry, String name, Supplier<KafkaStreams.State> state,
                            Supplier<MetricsServer.Readiness> readiness, String banner) throws Exception {
        try (MetricsServer http = MetricsServer.start(metrics.address(), metrics.port(defaultPort), registry, Map.of(name, readiness))) {
            spec.commandLine().getOut().printf("%s: %s; metrics at http://%s:%d/metrics. Ctrl-C stops it.%n",
                    name, banner, metrics.address(), http.port());
            spec.commandLine().getOut().flush();
            while (!stop.await(1000)) {
                KafkaStreams.State s = state.get();
                if (!s.isRunningOrRebalancing() && s != KafkaStreams.State.CREATED) {
                    throw new IllegalStateException(name + " stopped: Kafka Streams is " + s);
                }
            }
            return 0;
        }
    }
}
