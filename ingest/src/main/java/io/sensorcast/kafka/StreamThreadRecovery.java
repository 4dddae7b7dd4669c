package io.sensorcast.kafka;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Sensorcast Kafka Streams service does when an error kills one of its stream threads: a
 * {@linkplain TransientKafkaError transient} Kafka error (the broker was away longer than the producer's
 * {@code max.block.ms}, a transaction timed out meanwhile, …) replaces the thread, anything else shuts the client
 * down (the service then exits with the error, as before). Kafka Streams' default is to shut down on everything,
 * which turned a long broker restart into a dead service.
 *
 * <p><b>Why replacing a thread is safe under exactly-once v2.</b> Everything the dead thread did since its last
 * commit sits in one open transaction: the records it produced, its changelog writes and its input offsets. That
 * transaction never commits: it is aborted, by the thread's shutdown or by the coordinator (transaction timeout,
 * or fencing by the next producer), so {@code read_committed} readers never see its output. Its tasks are closed
 * dirty, and under exactly-once Kafka Streams then wipes their local state, so the replacement thread restores the
 * stores from their changelogs to the last commit and resumes from the committed input offsets: the uncommitted work
 * is redone once, as after a {@code kill -9}. (Under at-least-once a replacement can repeat output, as any restart can.)
 *
 * <p>Each replacement is logged and counted in {@code sensorcast.stream.threads.replaced{topology}}
 * ({@code sensorcast_stream_threads_replaced_total}). Replacements in quick succession (within a minute of the
 * previous one) wait 1 s, 2 s, 4 s … up to 30 s first, on the dying thread, so a persistent fault cannot spin. The
 * global thread (serve's checkpoint table) cannot be replaced: Kafka Streams shuts the client down instead.
 */
public final class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadRecovery.class);
    private static final Duration QUIET = Duration.ofMinutes(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String topology;
    private final Counter replaced;
    private long lastReplacementNanos;
    private int quickSuccession;

    public StreamThreadRecovery(String topology, MeterRegistry registry) {
        this.topology = topology;
        this.replaced = Counter.builder("sensorcast.stream.threads.replaced")
                .description("Kafka Streams threads replaced after a transient Kafka error killed them")
                .tag("topology", topology)
                .register(registry);
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable error) {
        if (!TransientKafkaError.matches(error)) {
            LOG.error("stream thread failed topology=[{}] thread=[{}] error=[{}]: shutting down", topology,
                    Thread.currentThread().getName(), error.toString(), error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        Duration wait = nextWait();
        replaced.increment();
        LOG.warn("stream thread failed on a transient Kafka error topology=[{}] thread=[{}] error=[{}]: replacing it in {} ms"
                        + " (its uncommitted transaction is aborted and redone)", topology, Thread.currentThread().getName(),
                rootMessage(error), wait.toMillis());
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The pause before this replacement: none after a quiet minute, then doubling from 1 s up to 30 s. */
    synchronized Duration nextWait() {
        long now = System.nanoTime();
        boolean quick = lastReplacementNanos != 0 && now - lastReplacementNanos < QUIET.toNanos();
        quickSuccession = quick ? quickSuccession + 1 : 0;
        lastReplacementNanos = now;
        if (quickSuccession == 0) {
            return Duration.ZERO;
        }
        long seconds = 1L << Math.min(quickSuccession - 1, 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? error.toString() : error.getClass().getSimpleName() + " caused by " + root;
    }
}
