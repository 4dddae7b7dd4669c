package io.sensorcast.ops.chaos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sensorcast.ops.SensorcastCli;
import io.sensorcast.ops.command.StopSignal;

/**
 * One {@code sensorcast} command in its own JVM, as an operator would run it ({@code java … SensorcastCli ingest …}),
 * on the test's classpath so that {@code mvn verify} from a fresh clone needs no packaged jar. Output goes to a log
 * file; {@link #kill()} is {@code kill -9}.
 */
final class ServiceProcess {
    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private int starts;

    ServiceProcess(String name, String heap, Map<String, String> env, Path log, String... args) {
        this.name = name;
        this.env = env;
        this.log = log;
        command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + mainLogbackConfig(), "-cp", classpath(), SensorcastCli.class.getName()));
        command.addAll(List.of(args));
    }

    ServiceProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        try {
            Files.writeString(log, "---- start " + (++starts) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, no final commit. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: the command's shutdown path (Ctrl-C). */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!awaitExit(Duration.ofSeconds(StopSignal.CLOSE_GRACE_SECONDS + 5))) {
                kill();
            }
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String name() {
        return name;
    }

    /** The whole log of every start so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of the log, for assertion messages. */
    String tail() {
        List<String> lines = log().lines().toList();
        return name + " log (" + log + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire runs tests through a manifest-only jar; it passes the real test classpath in this property. */
    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** The services' own logging (INFO for io.sensorcast), not the tests' logback-test.xml that is also on the classpath. */
    private static String mainLogbackConfig() {
        try {
            File classes = new File(SensorcastCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new File(classes, "logback.xml").getAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
