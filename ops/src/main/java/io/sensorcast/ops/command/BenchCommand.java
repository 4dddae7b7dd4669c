package io.sensorcast.ops.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the performance suite (ingest, train, serve) and writes JSON results.",
                "Not available in this build yet: it arrives with issue 4 and 5."})
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'bench' is not available in this build yet (issue 4 and 5)");
    }
}
