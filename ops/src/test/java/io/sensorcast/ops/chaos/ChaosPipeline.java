package io.sensorcast.ops.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Broker, ingest, trainer and serve as separate JVMs, as in production: each {@code sensorcast} command in its own
 * process with its own state directory and metrics port, the broker on a fixed port and data directory so that it
 * can be stopped and started again under the services' feet.
 */
final class ChaosPipeline implements AutoCloseable {
    enum Service { INGEST, TRAIN, SERVE }

    private final Path dir;
    private final int brokerPort = freePort();
    private final ServiceProcess broker;
    private final Map<Service, ServiceProcess> services = new EnumMap<>(Service.class);
    private final Map<Service, Integer> metricsPorts = new EnumMap<>(Service.class);

    private ChaosPipeline(Path dir, Map<String, String> env, List<String> serveFlags, Service... which) throws IOException {
        this.dir = dir;
        Map<String, String> childEnv = new HashMap<>(env);
        childEnv.put("OMP_NUM_THREADS", "1");
        childEnv.put("SENSORCAST_BOOTSTRAP_SERVERS", bootstrapServers());
        broker = new ServiceProcess("broker", "512m", childEnv, dir.resolve("broker.log"),
                "broker", "--port", String.valueOf(brokerPort), "--data-dir", dir.resolve("kafka").toString());
        // checkpoints every 5 training steps or 5 s, so a short run sees several versions
        Path trainConfig = Files.writeString(dir.resolve("train.properties"),
                "train.checkpoint-every-steps=5\ntrain.checkpoint-every=5s\n");
        for (Service s : which) {
            int port = freePort();
            metricsPorts.put(s, port);
            String cmd = s.name().toLowerCase(java.util.Locale.ROOT);
            List<String> args = new java.util.ArrayList<>(List.of(cmd, "--metrics-port", String.valueOf(port)));
            switch (s) {
                case INGEST -> args.addAll(List.of("--state-dir", dir.resolve("ingest-state").toString()));
                case SERVE -> {
                    args.addAll(List.of("--state-dir", dir.resolve("serve-state").toString()));
                    args.addAll(serveFlags);
                }
                case TRAIN -> args.addAll(List.of("--config", trainConfig.toString()));
            }
            services.put(s, new ServiceProcess(cmd, s == Service.INGEST ? "512m" : "1g", childEnv,
                    dir.resolve(cmd + ".log"), args.toArray(String[]::new)));
        }
    }

    /** Starts the broker, waits until it answers, then starts the given services. */
    static ChaosPipeline start(Path dir, Service... which) throws IOException {
        return start(dir, Map.of(), List.of(), which);
    }

    static ChaosPipeline start(Path dir, Map<String, String> env, List<String> serveFlags, Service... which) throws IOException {
        ChaosPipeline p = new ChaosPipeline(dir, env, serveFlags, which);
        try {
            p.startBroker();
            p.services.values().forEach(ServiceProcess::start);
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    ServiceProcess service(Service s) {
        return services.get(s);
    }

    /** Stops the broker cleanly (SIGTERM); {@link #startBrokerAgain()} brings it back on the same port and data directory. */
    void stopBroker() {
        broker.stop();
    }

    /** Starts the stopped broker on the same port and data directory; returns once it answers. */
    Duration startBrokerAgain() {
        long t0 = System.nanoTime();
        startBroker();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** The HTTP status of the service's readiness check ({@code /health}): 200 ready, 503 not. */
    int health(Service s) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPorts.get(s) + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The service's Prometheus scrape. */
    String scrape(Service s) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPorts.get(s) + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every service process still alive, or an assertion message with the dead one's log. */
    void assertAllAlive() {
        for (ServiceProcess p : services.values()) {
            if (!p.isAlive()) {
                throw new AssertionError(p.name() + " died\n" + p.tail());
            }
        }
    }

    /** Everything's logs, for a failure message. */
    String logs() {
        StringBuilder b = new StringBuilder(broker.tail()).append('\n');
        services.values().forEach(p -> b.append(p.tail()).append('\n'));
        return b.toString();
    }

    private void startBroker() {
        broker.start();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        awaitTrue(Duration.ofSeconds(90), () -> {
            if (!broker.isAlive()) {
                throw new AssertionError("broker died\n" + broker.tail());
            }
            try (Admin admin = Admin.create(p)) {
                return admin.listTopics().names().get().contains("forecasts");
            } catch (Exception notYet) {
                return false;
            }
        }, "broker answering on " + bootstrapServers());
    }

    static void awaitTrue(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::kill);
        broker.stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
