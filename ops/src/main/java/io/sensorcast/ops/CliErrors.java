package io.sensorcast.ops;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import io.sensorcast.kafka.KafkaUnreachableException;
import picocli.CommandLine;

/**
 * Turns failures into one plain line on stderr and an exit code: 2 for a bad command line, 1 for a failure while
 * running. Stack traces go to the log only when {@code SENSORCAST_DEBUG} is set, never to the user by default.
 */
final class CliErrors {
    static final int USAGE = 2;
    static final int FAILURE = 1;

    private CliErrors() {
    }

    static int onBadParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("sensorcast: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return USAGE;
    }

    static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        cmd.getErr().println("sensorcast " + cmd.getCommandName() + ": " + describe(e));
        if (System.getenv("SENSORCAST_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        return e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException ? USAGE : FAILURE;
    }

    /** The most useful one-line description of a failure: the innermost cause that says something. */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
            return "no such file: " + t.getMessage();
        }
        if (t instanceof AccessDeniedException) {
            return "cannot read " + t.getMessage() + ": permission denied";
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Throwable cause = rootCause(t);
        if (!(t instanceof KafkaUnreachableException) && cause != t && cause.getMessage() != null
                && !message.contains(cause.getMessage())) {
            // the root, not the next one: Kafka wraps "Failed to construct kafka consumer" around "Failed to create
            // new NetworkClient" around what the user can act on ("JAAS config entry not terminated by semi-colon")
            message = message + ": " + cause.getMessage();
        }
        return message.lines().findFirst().orElse(message);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
