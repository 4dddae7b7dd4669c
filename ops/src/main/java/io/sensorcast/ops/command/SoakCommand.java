package io.sensorcast.ops.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"A long run at a fixed reading rate, sampling heap, file descriptors, state size, lag and latency.",
                "Not available in this build yet: it arrives with issue 10."})
public final class SoakCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'soak' is not available in this build yet (issue 10)");
    }
}
