package io.sensorcast.ops.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Runs the online LSTM trainer: sensor-sequences -> model-checkpoints + gradient-events.",
                "Not available in this build yet: it arrives with issue 5."})
public final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'train' is not available in this build yet (issue 5)");
    }
}
