package io.sensorcast.ops.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the forecast service: sensor-sequences + model-checkpoints -> forecasts.",
                "Not available in this build yet: it arrives with issue 6."})
public final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'serve' is not available in this build yet (issue 6)");
    }
}
