package io.sensorcast.ops.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Serves {@code /metrics} (Prometheus text format) and {@code /health} for one process.
 *
 * <p>{@code /health} answers 200 with {@code {"status":"UP",…}} when every readiness check passes and 503 with
 * {@code "DOWN"} otherwise; each check is listed by name, e.g. {@code {"status":"DOWN","checks":{"ingest":"REBALANCING"}}}.
 * {@code /health/live} answers 200 while the process serves HTTP at all.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** A readiness check: a name and a supplier of its state; ready when {@link Readiness#ready()} is true. */
    public record Readiness(boolean ready, String state) {
        public static Readiness of(boolean ready, String state) {
            return new Readiness(ready, state);
        }
    }

    public static MetricsServer start(String address, int port, PrometheusMeterRegistry registry,
                                      Map<String, Supplier<Readiness>> checks) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sensorcast-metrics-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
            server.createContext("/health/live", ex -> respond(ex, 200, "application/json", "{\"status\":\"UP\"}"));
            server.createContext("/health", ex -> health(ex, checks));
            server.start();
            return new MetricsServer(server, executor);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on " + address + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private static void health(HttpExchange ex, Map<String, Supplier<Readiness>> checks) throws IOException {
        boolean up = true;
        StringBuilder body = new StringBuilder("{\"checks\":{");
        boolean first = true;
        for (Map.Entry<String, Supplier<Readiness>> c : checks.entrySet()) {
            Readiness r;
            try {
                r = c.getValue().get();
            } catch (RuntimeException e) {
                r = Readiness.of(false, "ERROR");
            }
            up &= r.ready();
            body.append(first ? "" : ",").append('"').append(c.getKey()).append("\":\"").append(r.state()).append('"');
            first = false;
        }
        body.append("},\"status\":\"").append(up ? "UP" : "DOWN").append("\"}");
        respond(ex, up ? 200 : 503, "application/json", body.toString());
    }

    private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
