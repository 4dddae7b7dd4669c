package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Debian tools the monitoring tests run (promtool, amtool, prometheus, docker-compose). {@code .ci/run} installs
 * them and sets {@code SENSORCAST_CI=1}: there a missing tool fails the test, so CI can never pass by skipping it;
 * elsewhere the test is skipped (reported as skipped, not passed) with the package to install.
 */
final class InstalledTools {
    private InstalledTools() {
    }

    static void require(String command, String debianPackage) {
        if (onPath(command)) {
            return;
        }
        String message = command + " is not installed: apt-get install " + debianPackage + " (.ci/run installs it)";
        if ("1".equals(System.getenv("SENSORCAST_CI"))) {
            fail(message);
        }
        abort(message);
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
