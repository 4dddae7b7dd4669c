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
 * that gate checkpoints (an exponentially weighted prequential MSE in normalised units as {@code loss}, lower is
 * better; batches that raised a gradient event are left out of it).
 */
public final class OnlineBatchTrainer implements BatchTrainer {
    private final OnlineTrainer trainer;
    private final ReplayBuffer replay;
    private final double replayPerWindow;
    private final List<GradientEvent> pending = new ArrayList<>();
    private double persistenceMae = Double.NaN;
    private double prequentialMse = Double.NaN;
    private double prequentialMae = Double.NaN;
    private volatile long corruptAtStep = -1;

    public OnlineBatchTrainer(OnlineTrainer trainer) {
        this(trainer, null, 0);
    }

    /**
     * With replay: each step trains on the fresh batch plus {@code replayPerWindow} × its size windows drawn from
     * {@code replay}, which is then offered the fresh batch (only the fresh windows are scored).
     */
    public OnlineBatchTrainer(OnlineTrainer trainer, ReplayBuffer replay, double replayPerWindow) {
        if (!(replayPerWindow >= 0) || (replayPerWindow > 0 && replay == null)) {
            throw new IllegalArgumentException("replayPerWindow must be >= 0 and needs a buffer, got " + replayPerWindow);
        }
        this.trainer = trainer;
        this.replay = replay;
        this.replayPerWindow = replayPerWindow;
        trainer.addGradientEventListener(pending::add);
    }

    @Override
    public void resume(MultiLayerNetwork network, long step) {
        trainer.restore(network, step);
    }

    @Override
    public TrainOutcome train(List<SensorSequence> batch) {
        pending.clear();
        if (trainer.step() == corruptAtStep) {
            batch = corrupted(batch);
        }
        StepReport report;
        if (replay == null) {
            report = trainer.testThenTrain(batch);
        } else {
            report = trainer.testThenTrain(batch, replay.sample((int) Math.round(replayPerWindow * batch.size())));
            replay.offer(batch);
        }
        // A batch that exploded says something about the batch, not the model: it stays out of the quality figures
        // that gate checkpoints, or one corrupted batch would block publishing for hundreds of steps.
        Prequential p = report.prequential();
        if (p != null && report.event() == null && Double.isFinite(p.mse()) && Double.isFinite(p.persistenceMae())) {
            prequentialMse = ewma(prequentialMse, p.mse());
            prequentialMae = ewma(prequentialMae, p.mae());
            persistenceMae = ewma(persistenceMae, p.persistenceMae());
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
                QualityFigures.LOSS, finiteOr(prequentialMse, Double.MAX_VALUE),
                QualityFigures.PREQUENTIAL_MAE, finiteOr(prequentialMae, Double.MAX_VALUE),
                QualityFigures.PERSISTENCE_MAE, finiteOr(persistenceMae, Double.MAX_VALUE));
    }

    /**
     * A drill: the batch trained at {@code step} has its values multiplied by 10^6, as a broken sensor or a unit
     * mix-up would, so a real gradient explosion happens and goes through detection, event, metrics and alerts.
     */
    public void injectCorruptedBatchAt(long step) {
        corruptAtStep = step;
    }

    private static List<SensorSequence> corrupted(List<SensorSequence> batch) {
        List<SensorSequence> out = new ArrayList<>(batch.size());
        for (SensorSequence s : batch) {
            float[] v = s.values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] *= 1e6f;
            }
            out.add(new SensorSequence(s.sensor(), s.end(), s.stepMs(), v, s.observed(), s.mean(), s.std(), s.arrivedAt()));
        }
        return out;
    }

    private static double ewma(double current, double sample) {
        return Double.isNaN(current) ? sample : 0.95 * current + 0.05 * sample;
    }

    private static double finiteOr(double v, double fallback) {
        return Double.isFinite(v) ? v : fallback;
    }

    public OnlineTrainer trainer() {
        return trainer;
    }
}
