package io.sensorcast.kafka;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.streams.errors.TaskMigratedException;

/**
 * Whether an error that stopped a Kafka client's work will go away by itself, so that starting the work again (after
 * a pause) is the right answer: a broker that is away or slow (timeouts, disconnects, no leader, no coordinator) and
 * the transactional fallout of such an outage (a transaction the coordinator aborted or fenced while we waited).
 *
 * <p>Never transient, whatever else the cause chain holds: authentication and authorisation failures, bad or
 * unsupported configuration, another member taking our static group membership (a second instance of the same
 * trainer: restarting would fight it), and JVM {@link Error}s. Errors from our own code (a bug, a model that cannot be
 * trained) are not transient either: repeating them would only repeat them.
 */
public final class TransientKafkaError {
    private TransientKafkaError() {
    }

    /** True when {@code error} or one of its causes is transient and none of them is one of the fatal kinds. */
    public static boolean matches(Throwable error) {
        boolean transientCause = false;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (isFatal(t)) {
                return false;
            }
            transientCause |= isTransient(t);
        }
        return transientCause;
    }

    private static boolean isFatal(Throwable t) {
        return t instanceof Error
                || t instanceof AuthenticationException
                || t instanceof AuthorizationException
                || t instanceof SecurityDisabledException
                || t instanceof ConfigException
                || t instanceof InvalidConfigurationException
                || t instanceof UnsupportedVersionException
                || t instanceof FencedInstanceIdException;
    }

    private static boolean isTransient(Throwable t) {
        return t instanceof RetriableException
                || t instanceof TaskMigratedException
                // a transaction that outlived transaction.timeout.ms while the broker was away is aborted and our
                // producer epoch bumped: a new producer (a new thread, a restarted loop) starts clean
                || t instanceof ProducerFencedException
                || t instanceof InvalidProducerEpochException
                || t instanceof InvalidPidMappingException
                || t instanceof InvalidTxnStateException
                || t instanceof TransactionAbortedException;
    }
}
