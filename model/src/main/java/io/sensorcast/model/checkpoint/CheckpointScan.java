package io.sensorcast.model.checkpoint;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@link LatestCheckpointReader#scan()} found on the checkpoint topic: the envelopes that passed the codec's
 * checks, per model id in ascending version order, and the records that did not.
 */
public record CheckpointScan(Map<String, List<CheckpointEnvelope>> verified, List<RejectedRecord> rejected) {

    /** A record of the checkpoint topic that failed verification. */
    public record RejectedRecord(String key, int partition, long offset, Rejected rejection) {
    }

    public CheckpointScan {
        Map<String, List<CheckpointEnvelope>> copy = new java.util.HashMap<>();
        verified.forEach((model, envelopes) -> copy.put(model, List.copyOf(envelopes)));
        verified = Map.copyOf(copy);
        rejected = List.copyOf(rejected);
    }

    /** The newest verified envelope of {@code modelId}, its payload not yet interpreted. */
    public Optional<CheckpointEnvelope> latest(String modelId) {
        List<CheckpointEnvelope> all = verified.getOrDefault(modelId, List.of());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The highest version of {@code modelId} among verified envelopes; 0 if none. */
    public long highestVersion(String modelId) {
        return latest(modelId).map(CheckpointEnvelope::version).orElse(0L);
    }

    /**
     * Restores the newest envelope of {@code modelId} whose payload also verifies ({@link CheckpointVerifier#restore}),
     * trying older ones when a newer one is refused; each refusal goes to {@code onRejected}.
     */
    public Optional<Restored> restoreLatest(String modelId, ModelShape expected, Consumer<Rejected> onRejected) {
        List<CheckpointEnvelope> newestFirst = verified.getOrDefault(modelId, List.of()).stream()
                .sorted(Comparator.comparingLong(CheckpointEnvelope::version).reversed()).toList();
        for (CheckpointEnvelope e : newestFirst) {
            RestoreResult result = CheckpointVerifier.restore(e, expected);
            if (result instanceof Restored r) {
                return Optional.of(r);
            }
            onRejected.accept((Rejected) result);
        }
        return Optional.empty();
    }
}
