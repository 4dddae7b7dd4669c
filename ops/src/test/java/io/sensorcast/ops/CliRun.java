package io.sensorcast.ops;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the CLI through picocli, as a user would type it, with its exit code and output. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SensorcastCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
