package io.sensorcast.model.checkpoint;

import java.util.List;
import java.util.Map;

import io.sensorcast.ingest.SensorSequence;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What {@link TrainerLoop} needs from the learning core. Called only from the loop's thread.
 *
 * <p>Order: {@link #resume} at most once, before the first {@link #train}; then {@code train} per batch. The loop
 * reads {@link #network()}, {@link #step()} and {@link #quality()} when it offers a checkpoint.
 */
public interface BatchTrainer {

    /**
     * Continue from a verified checkpoint: use {@code network} (parameters, updater state and iteration count
     * restored) as the live model and {@code step} as the step count.
     */
    void resume(MultiLayerNetwork network, long step);

    /** Test-then-train on one batch; never null. */
    TrainOutcome train(List<SensorSequence> batch);

    /** The live network; its first layer's nIn and last layer's nOut define the shape checkpoints must have. */
    MultiLayerNetwork network();

    /** Updates applied so far (including those restored). */
    long step();

    /** Current quality figures (see {@link QualityFigures}), e.g. recent prequential loss and MAE. */
    Map<String, Double> quality();
}
