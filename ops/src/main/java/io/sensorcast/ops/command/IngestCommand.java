package io.sensorcast.ops.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Runs the ingest service: sensor-readings -> sensor-sequences (+ sensor-readings.dlq).",
                "Not available in this build yet: it arrives with issue 4."})
public final class IngestCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'ingest' is not available in this build yet (issue 4)");
    }
}
