package io.sensorcast.model.checkpoint;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.sensorcast.kafka.Topics;

/**
 * The trainer loop's settings.
 *
 * @param bootstrapServers  Kafka bootstrap servers
 * @param clientOverrides   extra client settings for every client (e.g. security: TLS, SASL); applied before the
 *                          loop's own settings (isolation, transactions, serializers), which cannot be overridden
 * @param sequencesTopic    input topic ({@code sensor-sequences})
 * @param eventsTopic       gradient event topic ({@code gradient-events})
 * @param batchSize         sequences per training batch
 * @param maxWait           train a smaller batch once its oldest sequence has waited this long
 * @param pollTimeout       consumer poll timeout
 * @param checkpointEverySteps N: offer a checkpoint (and commit) every N steps…
 * @param checkpointEvery   …or every T, whichever comes first
 * @param startupTimeout    for reading the checkpoint topic and initialising transactions
 * @param catchUpBatches    when the consumer is behind (more sequences waiting on the broker than were just polled),
 *                          train at most this many batches of each poll, sampled by {@link BacklogSampler}; the rest
 *                          are consumed without training
 * @param checkpoints       model id, shape, signing key, gate and checkpoint topic
 */
public record TrainerLoopConfig(String bootstrapServers, Map<String, Object> clientOverrides, String sequencesTopic,
                                String eventsTopic, int batchSize, Duration maxWait, Duration pollTimeout,
                                int checkpointEverySteps, Duration checkpointEvery, Duration startupTimeout,
                                int catchUpBatches, CheckpointPublisherConfig checkpoints) {
    public TrainerLoopConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(checkpoints, "checkpoints");
        clientOverrides = Map.copyOf(clientOverrides);
        if (batchSize < 1 || checkpointEverySteps < 1 || catchUpBatches < 1 || maxWait.isNegative() || pollTimeout.isNegative()
                || checkpointEvery.isZero() || checkpointEvery.isNegative()) {
            throw new IllegalArgumentException("batch size and N must be >= 1, waits >= 0, T > 0");
        }
    }

    /**
     * Defaults: batch 32, max wait 1 s, poll 100 ms, checkpoint every 100 steps or 60 s, startup timeout 60 s, at most
     * 4 batches of each poll while behind.
     */
    public static TrainerLoopConfig defaults(String bootstrapServers, CheckpointPublisherConfig checkpoints) {
        return new TrainerLoopConfig(bootstrapServers, Map.of(), Topics.SEQUENCES, Topics.GRADIENT_EVENTS, 32,
                Duration.ofSeconds(1), Duration.ofMillis(100), 100, Duration.ofSeconds(60), Duration.ofSeconds(60), 4,
                checkpoints);
    }

    public String modelId() {
        return checkpoints.modelId();
    }

    /** {@code sensorcast-trainer-<modelId>}: the consumer group and the transactional id. */
    public String groupId() {
        return "sensorcast-trainer-" + modelId();
    }

    public TrainerLoopConfig withTopics(String sequences, String events, String checkpointTopic) {
        return new TrainerLoopConfig(bootstrapServers, clientOverrides, sequences, events, batchSize, maxWait,
                pollTimeout, checkpointEverySteps, checkpointEvery, startupTimeout, catchUpBatches, checkpoints.withTopic(checkpointTopic));
    }

    public TrainerLoopConfig withBatching(int size, Duration wait) {
        return new TrainerLoopConfig(bootstrapServers, clientOverrides, sequencesTopic, eventsTopic, size, wait,
                pollTimeout, checkpointEverySteps, checkpointEvery, startupTimeout, catchUpBatches, checkpoints);
    }

    public TrainerLoopConfig withCheckpointEvery(int steps, Duration every) {
        return new TrainerLoopConfig(bootstrapServers, clientOverrides, sequencesTopic, eventsTopic, batchSize, maxWait,
                pollTimeout, steps, every, startupTimeout, catchUpBatches, checkpoints);
    }

    public TrainerLoopConfig withClientOverrides(Map<String, Object> overrides) {
        return new TrainerLoopConfig(bootstrapServers, overrides, sequencesTopic, eventsTopic, batchSize, maxWait,
                pollTimeout, checkpointEverySteps, checkpointEvery, startupTimeout, catchUpBatches, checkpoints);
    }

    public TrainerLoopConfig withCatchUpBatches(int v) {
        return new TrainerLoopConfig(bootstrapServers, clientOverrides, sequencesTopic, eventsTopic, batchSize, maxWait,
                pollTimeout, checkpointEverySteps, checkpointEvery, startupTimeout, v, checkpoints);
    }
}
