package io.sensorcast.ops.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"The gradient lab: vanishing and exploding gradients, clipping and gates, with charts.",
                "Not available in this build yet: it arrives with issue 9."})
public final class LabCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'lab' is not available in this build yet (issue 9)");
    }
}
