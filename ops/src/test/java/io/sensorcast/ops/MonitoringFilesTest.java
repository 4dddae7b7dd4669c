package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs ops/monitoring-check.sh: promtool check config/rules and {@code promtool test rules} for every alert, amtool
 * check-config, runbook per alert, Grafana JSON/YAML and compose syntax. CI installs the tools (.ci/run) and fails
 * without them; on another machine without them this test is skipped, not passed (see {@link InstalledTools}).
 */
class MonitoringFilesTest {

    @Test
    @Timeout(300)
    void shouldPassEveryPrometheusAlertmanagerGrafanaAndComposeCheck() throws Exception {
        InstalledTools.require("promtool", "prometheus");
        InstalledTools.require("amtool", "prometheus-alertmanager");
        InstalledTools.require("docker-compose", "docker-compose");
        InstalledTools.require("python3", "python3-yaml");
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
}
