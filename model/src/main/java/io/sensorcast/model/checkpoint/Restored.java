package io.sensorcast.model.checkpoint;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A fully verified checkpoint and the network rebuilt from it, with parameters, updater state and counters. */
public record Restored(CheckpointEnvelope envelope, MultiLayerNetwork network) implements RestoreResult {
}
