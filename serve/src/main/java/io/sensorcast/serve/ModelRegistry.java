package io.sensorcast.serve;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The live model of each model id, swapped atomically. Written by the global-store thread that reads
 * {@code model-checkpoints} (only ever with verified checkpoints), read by the stream threads that forecast: a
 * forecast batch takes the {@link LiveModel} once and uses it for every sequence in the batch, so a swap never
 * splits one forecast between two versions.
 */
public final class ModelRegistry {
    private final Map<String, LiveModel> live = new ConcurrentHashMap<>();

    /**
     * A verified network and where it came from. The network is not thread-safe (a call keeps inputs and recurrent
     * state in its layers), so it is never run: each task forecasts with its own copy, cloned from it once per
     * installed model while holding its monitor (see {@code ForecastProcessor}).
     */
    public record LiveModel(String modelId, long version, long trainingStep, byte[] payloadSha256,
                            MultiLayerNetwork network) {
    }

    public Optional<LiveModel> get(String modelId) {
        return Optional.ofNullable(live.get(modelId));
    }

    /** The version serving {@code modelId}, or empty before any verified checkpoint. */
    public Optional<Long> version(String modelId) {
        return get(modelId).map(LiveModel::version);
    }

    /** Installs {@code model}; returns the one it replaced, if any. */
    Optional<LiveModel> swap(LiveModel model) {
        return Optional.ofNullable(live.put(model.modelId(), model));
    }

    public Map<String, LiveModel> snapshot() {
        return Map.copyOf(live);
    }
}
