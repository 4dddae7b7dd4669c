package io.sensorcast.ops.command;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT/SIGTERM) as a flag a command's loop can poll, so it can flush and close before the JVM exits:
 * the shutdown hook raises the flag, then waits (bounded) until the command says it has finished.
 */
public final class StopSignal {
    /**
     * How long the JVM waits for a command to close what it has: longer than the 30 s the Kafka Streams services give
     * their {@code close()} (a client cut off mid-close leaves its stores to be rebuilt), short enough for a service
     * manager's stop timeout (systemd's default is 90 s).
     */
    public static final long CLOSE_GRACE_SECONDS = 40;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private StopSignal() {
        hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                finished.await(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sensorcast-stop");
    }

    public static StopSignal onShutdown() {
        StopSignal s = new StopSignal();
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    public boolean stopRequested() {
        return stopRequested.getCount() == 0;
    }

    /** Blocks until Ctrl-C or until {@code timeoutMs} passes; returns true when stopped. */
    public boolean await(long timeoutMs) throws InterruptedException {
        return stopRequested.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /** The command has flushed and closed what it had; the JVM may exit. Also unregisters the hook when not stopping. */
    public void finished() {
        finished.countDown();
        if (!stopRequested()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running; it will see the latch
            }
        }
    }
}
