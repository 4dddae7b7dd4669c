package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sensorcast demo} in its own JVM, started from the test classpath as a user starts the jar: its console goes
 * to a file, /metrics is served on a free port (read from the "Ready" line), and {@link #close()} stops it the way
 * Ctrl-C does. A child process rather than an in-process run, so the demo can be stopped at any moment and its
 * threads, ports and native memory go away with it.
 */
final class DemoProcess implements AutoCloseable {
    private static final Pattern METRICS_URL = Pattern.compile("metrics at http://([^:/\\s]+):(\\d+)/metrics");

    private final Process process;
    private final Path console;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String address;
    private int metricsPort;

    private DemoProcess(Process process, Path console) {
        this.process = process;
        this.console = console;
    }

    /** Starts {@code demo --metrics-port 0 <args>} and returns once it prints where its metrics are. */
    static DemoProcess start(Path dir, Duration readyWithin, String... args) throws IOException, InterruptedException {
        Path console = dir.resolve("demo-console.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", testClasspath(),
                SensorcastCli.class.getName(), "demo", "--metrics-port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().put("SENSORCAST_METRICS_ADDRESS", "127.0.0.1");
        DemoProcess demo = new DemoProcess(builder.start(), console);
        try {
            demo.awaitMetricsUrl(readyWithin);
        } catch (RuntimeException | Error e) {
            demo.close();
            throw e;
        }
        return demo;
    }

    /** Surefire's own record of the test classpath; java.class.path can be a manifest-only booter jar. */
    private static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void awaitMetricsUrl(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = METRICS_URL.matcher(Files.readString(console, StandardCharsets.UTF_8));
            if (m.find()) {
                address = m.group(1);
                metricsPort = Integer.parseInt(m.group(2));
                return;
            }
            if (!process.isAlive()) {
                fail("demo exited with " + process.exitValue() + " before serving metrics:\n" + consoleTail(40));
            }
            Thread.sleep(200);
        }
        fail("demo did not print its metrics URL within " + within + ":\n" + consoleTail(40));
    }

    /** host:port of /metrics, as a Prometheus scrape target. */
    String metricsTarget() {
        return address + ":" + metricsPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The sum of every sample of {@code family} (all tag values) in a scrape of /metrics right now, or NaN when the
     * family is not there (yet).
     */
    double scrape(String family) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + metricsTarget() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        double sum = Double.NaN;
        for (String line : body.split("\n")) {
            if (line.startsWith(family + " ") || line.startsWith(family + "{")) {
                String rest = line.substring(line.startsWith(family + "{") ? line.lastIndexOf('}') + 1 : family.length());
                double v = Double.parseDouble(rest.trim().split("\\s+")[0]);
                sum = Double.isNaN(sum) ? v : sum + v;
            }
        }
        return sum;
    }

    String consoleTail(int lines) {
        try {
            List<String> all = Files.readAllLines(console, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(console unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, which the demo handles like Ctrl-C (clean stop); killed if it has not exited after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
