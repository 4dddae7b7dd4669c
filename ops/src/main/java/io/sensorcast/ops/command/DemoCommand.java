package io.sensorcast.ops.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs everything in one JVM: embedded broker, ingest, trainer, serve and a simulator, with live progress.",
                "Not available in this build yet: it arrives with issue 7."})
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'demo' is not available in this build yet (issue 7)");
    }
}
