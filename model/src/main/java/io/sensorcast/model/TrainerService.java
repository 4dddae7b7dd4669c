package io.sensorcast.model;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sensorcast.kafka.ClusterReachability;
import io.sensorcast.kafka.StreamsReadiness;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.TopicSpec;
import io.sensorcast.kafka.Topics;
import io.sensorcast.kafka.TransientKafkaError;
import io.sensorcast.model.checkpoint.CheckpointMeters;
import io.sensorcast.model.checkpoint.TrainerLoop;
import io.sensorcast.model.checkpoint.TrainerLoopConfig;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running trainer: an {@link OnlineTrainer} for one model id, driven by a {@link TrainerLoop} that consumes
 * {@code sensor-sequences} and publishes checkpoints and gradient events transactionally, with its metrics in the
 * given registry (every meter tagged {@code model}).
 *
 * <p><b>Supervision.</b> When the loop ends on a {@linkplain TransientKafkaError transient} Kafka error (the broker
 * away longer than the clients' timeouts, a transaction aborted meanwhile, the partitions lost), the service starts
 * a new loop with a fresh network, exactly as a restarted process would: it restores the last verified checkpoint and
 * consumes from the offsets committed with it (checkpoint, offsets and events commit in one transaction, so nothing
 * trained after that commit was visible, and it is trained again). Restarts wait 1 s, 2 s, 4 s … up to 60 s; the
 * wait starts again from 1 s after a loop that ran for two minutes. Any other error (bad configuration,
 * authorisation, a training failure) ends the service: {@link #isRunning()} turns false and {@link #failure()} says
 * why. Restarts are logged and counted in {@code sensorcast_trainer_loop_restarts_total}.
 *
 * <pre>{@code
 * TrainerService t = TrainerService.start(ModelConfig.defaults(), loopConfig, registry, Clock.systemUTC());
 * ... t.isReady() ... t.trainer().step() ...
 * t.close();   // commits what was trained, offers a last checkpoint
 * }</pre>
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A loop that ran this long before failing was healthy: the next restart waits {@link #FIRST_BACKOFF} again. */
    private static final Duration HEALTHY_RUN = Duration.ofMinutes(2);

    private final ModelConfig model;
    private final TrainerLoopConfig loopConfig;
    private final TrainerMetrics metrics;
    private final CheckpointMeters checkpointMeters;
    private final Clock clock;
    private final ClusterReachability cluster;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread supervisor;

    private volatile boolean stopping;
    private volatile TrainerLoop loop;
    private volatile OnlineBatchTrainer batchTrainer;
    private volatile String restarting;
    private volatile Throwable failure;
    private volatile long corruptAtStep = -1;

    private TrainerService(ModelConfig model, TrainerLoopConfig loopConfig, MeterRegistry registry, Clock clock) {
        this.model = model;
        this.loopConfig = loopConfig;
        this.clock = clock;
        this.metrics = new TrainerMetrics(registry, model.clipThreshold(), Tags.of("model", loopConfig.modelId()));
        this.checkpointMeters = new CheckpointMeters(registry, loopConfig.modelId());
        this.cluster = ClusterReachability.watch(adminConfig(loopConfig), StreamsReadiness.PROBE_EVERY);
        this.supervisor = new Thread(this::supervise, loopConfig.groupId() + "-supervisor");
        this.supervisor.setDaemon(true);
        newLoop();
    }

    /** Creates missing topics, then starts the loop on its own thread; it restores the latest checkpoint first. */
    public static TrainerService start(ModelConfig model, TrainerLoopConfig loopConfig, MeterRegistry registry, Clock clock) {
        Set<String> ours = Set.of(loopConfig.sequencesTopic(), loopConfig.eventsTopic(), loopConfig.checkpoints().topic());
        List<TopicSpec> topics = Topics.all().stream().filter(t -> ours.contains(t.name())).toList();
        List<String> created = TopicAdministrator.ensureTopics(adminConfig(loopConfig), topics, Duration.ofSeconds(30));
        if (!created.isEmpty()) {
            LOG.info("Created topics {}", created);
        }
        TrainerService service = new TrainerService(model, loopConfig, registry, clock);
        service.supervisor.start();
        return service;
    }

    /** Bootstrap servers and the loop's client settings (security included), for the Admin clients. */
    private static Map<String, Object> adminConfig(TrainerLoopConfig loopConfig) {
        Map<String, Object> admin = new LinkedHashMap<>(loopConfig.clientOverrides());
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, loopConfig.bootstrapServers());
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, loopConfig.groupId() + "-admin");
        return admin;
    }

    /** The learning core of the current loop (a new one after each restart). */
    public OnlineTrainer trainer() {
        return batchTrainer.trainer();
    }

    /** See {@link OnlineBatchTrainer#injectCorruptedBatchAt(long)}; applies to loops started later too. */
    public void injectCorruptedBatchAt(long step) {
        corruptAtStep = step;
        batchTrainer.injectCorruptedBatchAt(step);
    }

    /** The version of the last checkpoint the current loop committed, else the one it resumed from; 0 if none. */
    public long publishedVersion() {
        TrainerLoop l = loop;
        return Math.max(l.publishedVersion(), l.restoredVersion());
    }

    /** False once the service has ended: closed, or given up on a non-transient error (see {@link #failure()}). */
    public boolean isRunning() {
        return supervisor.isAlive() && !stopping;
    }

    /**
     * Readiness: a loop is running (not waiting to restart) and the cluster answers. A trainer rides out a short broker
     * outage without an error, so the probe is what shows the outage.
     */
    public boolean isReady() {
        return isRunning() && restarting == null && cluster.reachable();
    }

    /** The state behind {@link #isReady()}, e.g. "RUNNING, cluster reachable" or "RESTARTING in 4 s after …". */
    public String readinessState() {
        if (!isRunning()) {
            return failure == null ? "STOPPED" : "FAILED";
        }
        String r = restarting;
        return (r == null ? "RUNNING" : r) + ", cluster " + cluster.describe();
    }

    /** The non-transient error the service gave up on, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private void newLoop() {
        OnlineBatchTrainer t = new OnlineBatchTrainer(new OnlineTrainer(loopConfig.modelId(), model, metrics, clock));
        if (corruptAtStep >= 0) {
            t.injectCorruptedBatchAt(corruptAtStep);
        }
        batchTrainer = t;
        loop = new TrainerLoop(loopConfig, t, checkpointMeters, clock);
    }

    private void supervise() {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            TrainerLoop current;
            synchronized (this) {
                if (stopping) {
                    return;
                }
                current = loop;
                current.start();
            }
            long startedAt = System.nanoTime();
            while (!current.awaitTermination(Duration.ofMinutes(1))) {
                // a loop runs until it fails or close() stops it
            }
            if (stopping) {
                return;
            }
            Throwable error = current.failure().orElseGet(() -> new IllegalStateException("trainer loop ended by itself"));
            if (!TransientKafkaError.matches(error)) {
                failure = error;
                LOG.error("trainer gave up model=[{}] error=[{}]: not a transient Kafka error", loopConfig.modelId(), error.toString());
                return;
            }
            if (System.nanoTime() - startedAt >= HEALTHY_RUN.toNanos()) {
                backoff = FIRST_BACKOFF;
            }
            restarting = "RESTARTING in " + backoff.toSeconds() + " s after " + error.getClass().getSimpleName();
            LOG.warn("trainer loop failed on a transient Kafka error model=[{}] error=[{}]: restarting from the last checkpoint"
                    + " and committed offsets in {} s", loopConfig.modelId(), error.toString(), backoff.toSeconds());
            try {
                if (stop.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            metrics.loopRestarted();
            newLoop();
            restarting = null;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            stopping = true; // no loop starts after this
        }
        stop.countDown();
        loop.close();
        try {
            supervisor.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cluster.close();
    }
}
