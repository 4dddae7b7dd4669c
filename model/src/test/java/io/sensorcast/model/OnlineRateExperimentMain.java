package io.sensorcast.model;

import io.sensorcast.model.support.SimulatedStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.time.Clock;
import java.time.Duration;

/**
 * Ad-hoc: does online training at 1e-3 vs 1e-4 degrade a trained model? Trains `warm` steps at 1e-3, then continues
 * two copies on the same stream for `more` steps at 1e-3 and at 1e-4; prints prequential MAE/persistence per 20 steps.
 */
public final class OnlineRateExperimentMain {
    /** An independent copy with updater state (clone() shares the updater configs). */
    static MultiLayerNetwork copy(MultiLayerNetwork net) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            org.deeplearning4j.util.ModelSerializer.writeModel(net, out, true);
            return org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(out.toByteArray()), true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        Nd4jTuning.forSmallRecurrentModels();
        int warm = Integer.parseInt(args[0]);
        int more = Integer.parseInt(args[1]);
        ModelConfig c = ModelConfig.defaults().withShape(48, 12).withHidden(32).withTbptt(12, 12).withBatchSize(16)
                .withWarmupSteps(1_000_000);
        OnlineTrainer t = new OnlineTrainer("w", c, TrainerMetrics.noop(120), Clock.systemUTC());
        SimulatedStream s = new SimulatedStream(16, 42, Duration.ofMinutes(15), 48, 12);
        for (int i = 0; i < warm; i++) {
            t.testThenTrain(s.nextBatch());
        }
        MultiLayerNetwork a = copy(t.network());
        MultiLayerNetwork b = copy(t.network());
        ModelConfig online = c.withWarmupSteps(0).withAnnealSteps(0);
        OnlineTrainer hi = new OnlineTrainer("hi", online.withOnlineLearningRate(1e-3), a, warm, TrainerMetrics.noop(120), Clock.systemUTC());
        OnlineTrainer lo = new OnlineTrainer("lo", online.withOnlineLearningRate(1e-4), b, warm, TrainerMetrics.noop(120), Clock.systemUTC());
        double mh = 0, ml = 0, p = 0;
        for (int i = 1; i <= more; i++) {
            var batch = s.nextBatch();
            Prequential ph = hi.testThenTrain(batch).prequential();
            Prequential pl = lo.testThenTrain(batch).prequential();
            mh += ph.mae();
            ml += pl.mae();
            p += ph.persistenceMae();
            if (i % 20 == 0) {
                System.out.printf("after %d: ratio lr1e-3 %.3f  lr1e-4 %.3f%n", warm + i, mh / p, ml / p);
                mh = 0;
                ml = 0;
                p = 0;
            }
        }
    }
}
