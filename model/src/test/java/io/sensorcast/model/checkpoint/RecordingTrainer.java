package io.sensorcast.model.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sensorcast.ingest.SensorSequence;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tiny real trainer for the loop tests: a 4-unit LSTM fitted on each batch (first W−h steps in, the next h values
 * at every step as targets). Records what it trained on and emits one gradient event per batch.
 */
final class RecordingTrainer implements BatchTrainer {
    /** {@code sensor@end} of every trained sequence, in order. */
    final List<String> trained = new CopyOnWriteArrayList<>();
    private final long explosionAtStep;
    private MultiLayerNetwork network;
    private long step;
    private volatile long resumedStep = -1;
    private volatile MultiLayerNetwork resumedNetwork;
    private volatile long completedSteps;

    RecordingTrainer(long seed, long explosionAtStep) {
        this.network = TestNetworks.lstm(seed);
        this.explosionAtStep = explosionAtStep;
    }

    @Override
    public void resume(MultiLayerNetwork restored, long restoredStep) {
        network = restored;
        step = restoredStep;
        resumedStep = restoredStep;
        resumedNetwork = restored.clone();
    }

    @Override
    public TrainOutcome train(List<SensorSequence> batch) {
        int w = TestNetworks.WINDOW;
        int h = TestNetworks.HORIZON;
        int t = w - h;
        INDArray features = Nd4j.create(DataType.FLOAT, batch.size(), 1, t);
        INDArray labels = Nd4j.create(DataType.FLOAT, batch.size(), h, t);
        for (int b = 0; b < batch.size(); b++) {
            float[] v = batch.get(b).values();
            for (int i = 0; i < t; i++) {
                features.putScalar(new long[] {b, 0, i}, v[i]);
                for (int k = 0; k < h; k++) {
                    labels.putScalar(new long[] {b, k, i}, v[i + 1 + k]);
                }
            }
        }
        network.fit(new DataSet(features, labels));
        step++;
        List<String> ids = new ArrayList<>();
        batch.forEach(s -> ids.add(s.sensor() + "@" + s.end()));
        trained.addAll(ids);
        completedSteps = step;
        boolean explosion = step == explosionAtStep;
        String event = "{\"model\":\"test\",\"step\":" + step + ",\"kind\":\"norm_spike\",\"action\":\""
                + (explosion ? "clipped" : "none") + "\"}";
        return new TrainOutcome(explosion, List.of(event));
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    public long step() {
        return step;
    }

    @Override
    public Map<String, Double> quality() {
        return Map.of(QualityFigures.LOSS, network.score());
    }

    long completedSteps() {
        return completedSteps;
    }

    long resumedStep() {
        return resumedStep;
    }

    MultiLayerNetwork resumedNetwork() {
        return resumedNetwork;
    }
}
