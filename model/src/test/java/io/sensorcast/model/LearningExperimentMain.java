package io.sensorcast.model;

import io.sensorcast.model.support.SimulatedStream;

import java.time.Clock;
import java.time.Duration;

/** Ad-hoc: prequential MAE vs persistence over steps on the simulator stream. Args: window horizon hidden sensors steps hop. */
public final class LearningExperimentMain {
    public static void main(String[] args) {
        int window = Integer.parseInt(args[0]);
        int horizon = Integer.parseInt(args[1]);
        int hidden = Integer.parseInt(args[2]);
        int sensors = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        int hop = Integer.parseInt(args[5]);
        boolean reref = args.length > 6 && Boolean.parseBoolean(args[6]);
        ModelConfig c = ModelConfig.defaults().withShape(window, horizon).withHidden(hidden).withTbptt(horizon, horizon)
                .withBatchSize(sensors).withReReferenceInputs(reref);
        OnlineTrainer t = new OnlineTrainer("x", c, TrainerMetrics.noop(c.clipThreshold()), Clock.systemUTC());
        t.addGradientEventListener(e -> System.out.println("step event " + e.toJson()));
        SimulatedStream s = new SimulatedStream(sensors, 42, Duration.ofMinutes(15), window, hop);
        double m = 0, p = 0;
        long start = System.nanoTime();
        for (int i = 1; i <= steps; i++) {
            StepReport r = t.testThenTrain(s.nextBatch());
            m += r.prequential().mae();
            p += r.prequential().persistenceMae();
            if (i % 20 == 0) {
                System.out.printf("step %4d  mae %.4f  persistence %.4f  ratio %.3f  loss %.4f  norm %.3f  %.0f ms/step%n", i, m / 20, p / 20, m / p,
                        r.loss(), r.preClipNorm(), (System.nanoTime() - start) / 1e6 / i);
                m = 0;
                p = 0;
            }
        }
    }
}
