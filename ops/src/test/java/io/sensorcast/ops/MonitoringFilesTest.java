package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs ops/monitoring-check.sh: promtool check config/rules and {@code promtool test rules} for every alert, amtool
 * check-config, runbook per alert, Grafana JSON/YAML and compose syntax. CI installs the tools (.ci/run); on a
 * machine without them this test is skipped, not passed.
 */
class MonitoringFilesTest {

    @Test
    @Timeout(300)
    void shouldPassEveryPrometheusAlertmanagerGrafanaAndComposeCheck() throws Exception {
        for (String tool : List.of("promtool", "amtool", "docker-compose", "python3")) {
            assumeTrue(onPath(tool), tool + " is not installed (.ci/run installs it)");
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", "ops/monitoring-check.sh")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(240, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), output);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
