package io.sensorcast.model;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sensorcast.kafka.TopicAdministrator;
import io.sensorcast.kafka.TopicSpec;
import io.sensorcast.kafka.Topics;
import io.sensorcast.model.checkpoint.CheckpointMeters;
import io.sensorcast.model.checkpoint.TrainerLoop;
import io.sensorcast.model.checkpoint.TrainerLoopConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running trainer: an {@link OnlineTrainer} for one model id, driven by a {@link TrainerLoop} that consumes
 * {@code sensor-sequences} and publishes checkpoints and gradient events transactionally, with its metrics in the
 * given registry (every meter tagged {@code model}).
 *
 * <pre>{@code
 * TrainerService t = TrainerService.start(ModelConfig.defaults(), loopConfig, registry, Clock.systemUTC());
 * ... t.isRunning() ... t.trainer().step() ...
 * t.close();   // commits what was trained, offers a last checkpoint
 * }</pre>
 */
public final class TrainerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    private final TrainerLoop loop;
    private final OnlineBatchTrainer batchTrainer;

    private TrainerService(TrainerLoop loop, OnlineBatchTrainer batchTrainer) {
        this.loop = loop;
        this.batchTrainer = batchTrainer;
    }

    /** Creates missing topics, then starts the loop on its own thread; it restores the latest checkpoint first. */
    public static TrainerService start(ModelConfig model, TrainerLoopConfig loopConfig, MeterRegistry registry, Clock clock) {
        Set<String> ours = Set.of(loopConfig.sequencesTopic(), loopConfig.eventsTopic(), loopConfig.checkpoints().topic());
        List<TopicSpec> topics = Topics.all().stream().filter(t -> ours.contains(t.name())).toList();
        List<String> created = TopicAdministrator.ensureTopics(loopConfig.bootstrapServers(), topics, Duration.ofSeconds(30));
        if (!created.isEmpty()) {
            LOG.info("Created topics {}", created);
        }
        String modelId = loopConfig.modelId();
        TrainerMetrics metrics = new TrainerMetrics(registry, model.clipThreshold(), Tags.of("model", modelId));
        OnlineBatchTrainer batchTrainer = new OnlineBatchTrainer(new OnlineTrainer(modelId, model, metrics, clock));
        TrainerLoop loop = new TrainerLoop(loopConfig, batchTrainer, new CheckpointMeters(registry, modelId), clock);
        loop.start();
        return new TrainerService(loop, batchTrainer);
    }

    public OnlineTrainer trainer() {
        return batchTrainer.trainer();
    }

    /** See {@link OnlineBatchTrainer#injectCorruptedBatchAt(long)}. */
    public void injectCorruptedBatchAt(long step) {
        batchTrainer.injectCorruptedBatchAt(step);
    }

    public TrainerLoop loop() {
        return loop;
    }

    /** False once the loop has ended (closed, or failed: see {@link #failure()}). */
    public boolean isRunning() {
        return !loop.awaitTermination(Duration.ZERO);
    }

    public Optional<Throwable> failure() {
        return loop.failure();
    }

    @Override
    public void close() {
        loop.close();
    }
}
