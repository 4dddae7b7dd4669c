package io.sensorcast.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.model.checkpoint.BatchTrainer;
import io.sensorcast.model.checkpoint.QualityFigures;
import io.sensorcast.model.checkpoint.TrainOutcome;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The {@link OnlineTrainer} as the {@link io.sensorcast.model.checkpoint.TrainerLoop} drives it: test-then-train per
 * batch, gradient events handed back as DESIGN.md JSON to go out in the loop's transaction, and the quality figures
 * that gate checkpoints (prequential MSE in normalised units as {@code loss}, lower is better).
 */
public final class OnlineBatchTrainer implements BatchTrainer {
    private final OnlineTrainer trainer;
    private final List<GradientEvent> pending = new ArrayList<>();
    private double persistenceMae = Double.NaN;

    public OnlineBatchTrainer(OnlineTrainer trainer) {
        this.trainer = trainer;
        trainer.addGradientEventListener(pending::add);
    }

    @Override
    public void resume(MultiLayerNetwork network, long step) {
        trainer.restore(network, step);
    }

    @Override
    public TrainOutcome train(List<SensorSequence> batch) {
        pending.clear();
        StepReport report = trainer.testThenTrain(batch);
        if (report.prequential() != null && Double.isFinite(report.prequential().persistenceMae())) {
            double p = report.prequential().persistenceMae();
            persistenceMae = Double.isNaN(persistenceMae) ? p : 0.95 * persistenceMae + 0.05 * p;
        }
        List<String> events = new ArrayList<>(pending.size());
        pending.forEach(e -> events.add(e.toJson()));
        return new TrainOutcome(!pending.isEmpty() || report.event() != null, events);
    }

    @Override
    public MultiLayerNetwork network() {
        return trainer.network();
    }

    @Override
    public long step() {
        return trainer.step();
    }

    @Override
    public Map<String, Double> quality() {
        return Map.of(
                QualityFigures.LOSS, finiteOr(trainer.prequentialMse(), Double.MAX_VALUE),
                QualityFigures.PREQUENTIAL_MAE, finiteOr(trainer.prequentialMae(), Double.MAX_VALUE),
                QualityFigures.PERSISTENCE_MAE, finiteOr(persistenceMae, Double.MAX_VALUE));
    }

    private static double finiteOr(double v, double fallback) {
        return Double.isFinite(v) ? v : fallback;
    }

    public OnlineTrainer trainer() {
        return trainer;
    }
}
