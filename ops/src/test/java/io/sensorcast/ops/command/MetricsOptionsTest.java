package io.sensorcast.ops.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MetricsOptionsTest {

    @Test
    void shouldBindMetricsAndHealthToLoopbackWhenNoAddressIsConfigured() {
        assumeTrue(System.getenv("SENSORCAST_METRICS_ADDRESS") == null, "an address is configured in this environment");
        IngestCommand ingest = new IngestCommand();
        TrainCommand train = new TrainCommand();
        ServeCommand serve = new ServeCommand();
        new CommandLine(ingest).parseArgs();
        new CommandLine(train).parseArgs();
        new CommandLine(serve).parseArgs();

        assertEquals("127.0.0.1", ingest.metrics.address());
        assertEquals("127.0.0.1", train.metrics.address());
        assertEquals("127.0.0.1", serve.metrics.address());
    }

    @Test
    void shouldBindToTheGivenAddressWhenOneIsConfigured() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--metrics-address", "0.0.0.0");
        assertEquals("0.0.0.0", serve.metrics.address());
    }
}
