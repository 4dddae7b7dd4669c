package io.sensorcast.ops.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Replays a CSV series through the same windowing, training and forecasting code and reports accuracy.",
                "Not available in this build yet: it arrives with issue 8."})
public final class EvalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'eval' is not available in this build yet (issue 8)");
    }
}
