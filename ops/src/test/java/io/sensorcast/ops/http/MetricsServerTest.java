package io.sensorcast.ops.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldServePrometheusTextWithTotalSuffixedCounters() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("sensorcast.ingest.readings").increment(3);
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry, Map.of())) {
            HttpResponse<String> r = get(server, "/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("sensorcast_ingest_readings_total 3.0"), r.body());
        }
    }

    @Test
    void shouldAnswer503NamingTheCheckWhenAReadinessCheckFails() throws Exception {
        AtomicBoolean running = new AtomicBoolean(false);
        Map<String, Supplier<MetricsServer.Readiness>> checks = new LinkedHashMap<>();
        checks.put("ingest", () -> MetricsServer.Readiness.of(running.get(), running.get() ? "RUNNING" : "REBALANCING"));
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), checks)) {
            HttpResponse<String> down = get(server, "/health");
            assertEquals(503, down.statusCode());
            assertEquals("{\"checks\":{\"ingest\":\"REBALANCING\"},\"status\":\"DOWN\"}", down.body());

            running.set(true);
            HttpResponse<String> up = get(server, "/health");
            assertEquals(200, up.statusCode());
            assertEquals("{\"checks\":{\"ingest\":\"RUNNING\"},\"status\":\"UP\"}", up.body());
        }
    }

    private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
