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
            note("---- start " + (++starts));
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
            long start = System.nanoTime();
            process.destroy();
            boolean exited = awaitExit(Duration.ofSeconds(StopSignal.CLOSE_GRACE_SECONDS + 5));
            long ms = (System.nanoTime() - start) / 1_000_000;
            // in the log, so a test that finds the service's close unfinished can tell a crash from our kill -9
            if (exited) {
                note("---- SIGTERM: exited with code " + process.exitValue() + " after " + ms + " ms");
            } else {
                note("---- SIGTERM: still running after " + ms + " ms, kill -9");
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

    // an interrupt of the test thread must not cut the wait short: stop() would then kill -9 a service mid-close
    private boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void note(String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a diagnostic line only
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
