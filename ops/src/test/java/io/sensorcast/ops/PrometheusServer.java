package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (the {@code prometheus} binary of the Debian package) on 127.0.0.1 with a throwaway TSDB,
 * scraping one target and evaluating the repository's rule files, queried through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An alert as {@code /api/v1/alerts} reports it. */
    record Alert(String name, String state, Instant activeAt, Map<String, String> labels) {
        boolean firing() {
            return state.equals("firing");
        }

        @Override
        public String toString() {
            return name + " " + state + " since " + activeAt + " " + labels;
        }
    }

    private PrometheusServer(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /**
     * Starts Prometheus scraping {@code target} (host:port, path /metrics) every {@code interval}, evaluating
     * {@code ruleFiles} (globs allowed) at the same interval, and returns once it is ready to answer queries.
     */
    static PrometheusServer start(Path dir, String target, Duration interval, List<Path> ruleFiles)
            throws IOException, InterruptedException {
        String seconds = interval.toSeconds() + "s";
        StringBuilder config = new StringBuilder()
                .append("global:\n")
                .append("  scrape_interval: ").append(seconds).append('\n')
                .append("  scrape_timeout: ").append(seconds).append('\n')
                .append("  evaluation_interval: ").append(seconds).append('\n')
                .append("rule_files:\n");
        ruleFiles.forEach(f -> config.append("  - '").append(f.toAbsolutePath()).append("'\n"));
        config.append("scrape_configs:\n")
                .append("  - job_name: sensorcast-demo\n")
                .append("    static_configs:\n")
                .append("      - targets: ['").append(target).append("']\n");
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        Path log = dir.resolve("prometheus.log");
        int port = freeLoopbackPort();
        Process process = new ProcessBuilder("prometheus",
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, log, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // retried until the deadline
            }
            Thread.sleep(200);
        }
        fail("prometheus was not ready within " + within + ":\n" + log());
    }

    /** The {@code result} array of an instant query evaluated now. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return data("/api/v1/query?query=" + encode(promql)).get("result");
    }

    /** The {@code result} array of an instant query evaluated at {@code time}. */
    JsonNode query(String promql, Instant time) throws IOException, InterruptedException {
        return data("/api/v1/query?query=" + encode(promql) + "&time=" + epochSeconds(time)).get("result");
    }

    /** The {@code result} array (matrix) of a range query, as Grafana runs panels and annotations. */
    JsonNode queryRange(String promql, Instant start, Instant end, Duration step) throws IOException, InterruptedException {
        return data("/api/v1/query_range?query=" + encode(promql) + "&start=" + epochSeconds(start)
                + "&end=" + epochSeconds(end) + "&step=" + step.toSeconds()).get("result");
    }

    /** Every pending or firing alert right now. */
    List<Alert> alerts() throws IOException, InterruptedException {
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode a : data("/api/v1/alerts").get("alerts")) {
            Map<String, String> labels = new LinkedHashMap<>();
            a.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            alerts.add(new Alert(labels.get("alertname"), a.get("state").asText(),
                    Instant.parse(a.get("activeAt").asText()), labels));
        }
        return alerts;
    }

    private JsonNode data(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = get(pathAndQuery);
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("prometheus " + pathAndQuery + " answered " + response.statusCode() + ": "
                    + body.path("errorType").asText() + " " + body.path("error").asText());
        }
        return body.get("data");
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String epochSeconds(Instant t) {
        return String.format(Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
