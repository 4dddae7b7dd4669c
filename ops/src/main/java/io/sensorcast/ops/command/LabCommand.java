package io.sensorcast.ops.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.sensorcast.model.lab.GradientLab;
import io.sensorcast.ops.NativeThreads;
import io.sensorcast.ops.lab.LabReportFiles;
import io.sensorcast.ops.lab.LabSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The gradient lab: vanishing and exploding gradients, clipping and gates, shown on the project's own",
                "networks, trainer, clipping policies and explosion detector. Four experiments: gradient flow through time",
                "(tanh RNN at spectral radius 0.9/1.0/1.1, IRNN, LSTM with forget bias 0/1), clipping on a long-range task,",
                "clipping policies side by side, and the spectral norm as a leading indicator. Prints a summary table and",
                "writes DIR/lab.json, DIR/lab.html and PNG charts. --quick does about a third of the work of a full run.",
                "Example:  sensorcast lab --quick --out lab-report"})
public final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "lab-report", description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Smaller sizes (T = 80, 100 steps per clipping run): the same effects, about a third of the work.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of every network and series (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "Runs in parallel, one ND4J thread each (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        NativeThreads.configure();
        GradientLab.Settings settings = quick ? GradientLab.Settings.quick(seed, threads) : GradientLab.Settings.full(seed, threads);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "gradient lab%s: T=%d, %d clipping steps per run, seed %d, %d thread(s)%n",
                quick ? " (quick)" : "", settings.sequenceLength(), settings.clippingSteps(), seed, threads);
        o.flush();
        ProgressBar bar = new ProgressBar(o);
        GradientLab.Report report = GradientLab.run(settings, bar::update);
        bar.finish();
        o.println();
        o.print(LabSummary.table(report));
        LabReportFiles.write(report, out);
        o.println("wrote " + out.resolve("lab.json") + " and " + out.resolve("lab.html"));
        return 0;
    }

    /** A one-line bar redrawn in place (carriage return), at most once per percent. */
    static final class ProgressBar {
        private static final int WIDTH = 40;
        private final PrintWriter out;
        private int lastPercent = -1;

        ProgressBar(PrintWriter out) {
            this.out = out;
        }

        synchronized void update(long done, long total) {
            int percent = (int) (100 * done / Math.max(1, total));
            if (percent == lastPercent) {
                return;
            }
            lastPercent = percent;
            int filled = percent * WIDTH / 100;
            out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
            out.flush();
        }

        synchronized void finish() {
            update(1, 1);
            out.println();
        }
    }
}
