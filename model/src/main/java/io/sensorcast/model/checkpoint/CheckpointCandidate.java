package io.sensorcast.model.checkpoint;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A snapshot the trainer offers for publication.
 *
 * @param network           the live network; read, not modified
 * @param trainingStep      the trainer's step count
 * @param lastExplosionStep the step of the most recent detected explosion, if any
 * @param quality           current quality figures, e.g. {@code loss}, {@code prequentialMae}, {@code persistenceMae};
 *                          non-finite values other than the gating one are left out of the envelope
 * @param sourceOffsets     {@code topic-partition → next offset} that will be committed with this snapshot
 */
public record CheckpointCandidate(MultiLayerNetwork network, long trainingStep, OptionalLong lastExplosionStep,
                                  Map<String, Double> quality, Map<String, Long> sourceOffsets) {
    public CheckpointCandidate {
        Objects.requireNonNull(network, "network");
        quality = Map.copyOf(quality);
        sourceOffsets = Map.copyOf(sourceOffsets);
    }
}
