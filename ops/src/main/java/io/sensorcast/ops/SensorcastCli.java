package io.sensorcast.ops;

import java.io.PrintWriter;

import io.sensorcast.ops.command.BenchCommand;
import io.sensorcast.ops.command.BrokerCommand;
import io.sensorcast.ops.command.ConsumeCommand;
import io.sensorcast.ops.command.DemoCommand;
import io.sensorcast.ops.command.EvalCommand;
import io.sensorcast.ops.command.IngestCommand;
import io.sensorcast.ops.command.LabCommand;
import io.sensorcast.ops.command.ProduceCommand;
import io.sensorcast.ops.command.ServeCommand;
import io.sensorcast.ops.command.SoakCommand;
import io.sensorcast.ops.command.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sensorcast} command line: one class per verb, one line per error, one exit code. */
@Command(name = "sensorcast",
        mixinStandardHelpOptions = true,
        versionProvider = SensorcastCli.Version.class,
        description = "Streaming LSTM forecasts for sensor data on Kafka.",
        subcommands = {
                DemoCommand.class, BrokerCommand.class, IngestCommand.class, TrainCommand.class, ServeCommand.class,
                ProduceCommand.class, ConsumeCommand.class, EvalCommand.class, BenchCommand.class, LabCommand.class,
                SoakCommand.class, CommandLine.HelpCommand.class
        })
public final class SensorcastCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    public static CommandLine commandLine() {
        // help texts are written as lines of up to ~110 characters; at picocli's default 80 columns they break raggedly
        return new CommandLine(new SensorcastCli())
                .setUsageHelpWidth(130)
                .setParameterExceptionHandler(CliErrors::onBadParameter)
                .setExecutionExceptionHandler(CliErrors::onFailure);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SensorcastCli.class.getPackage().getImplementationVersion();
            return new String[] {"sensorcast " + (v == null ? "dev" : v)};
        }
    }
}
