package io.sensorcast.ops.command;

import picocli.CommandLine.Option;

/** Where a service serves /metrics and /health: localhost by default, so nothing is exposed unless asked. */
public final class MetricsOptions {
    @Option(names = "--metrics-port", paramLabel = "PORT", description = "Port for /metrics and /health (0 = any free port, printed at start; default: the command's own).")
    Integer port;

    @Option(names = {"--metrics-address", "--metrics-bind"}, paramLabel = "ADDRESS", defaultValue = "${env:SENSORCAST_METRICS_ADDRESS:-127.0.0.1}",
            description = "Address to bind /metrics and /health to (env SENSORCAST_METRICS_ADDRESS; default: ${DEFAULT-VALUE}).")
    String address;

    public int port(int commandDefault) {
        return port == null ? commandDefault : port;
    }

    public String address() {
        return address;
    }
}
