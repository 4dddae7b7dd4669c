package io.sensorcast.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Ad-hoc A/B by thread CPU time: plain fit ('c' arrays), plain fit ('f' arrays), trainer.train. */
public final class ArrayOrderAbMain {
    public static void main(String[] args) {
        Nd4jTuning.forSmallRecurrentModels();
        int b = Integer.parseInt(args[0]);
        int reps = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        ModelConfig c = ModelConfig.defaults();
        float[][] w = TrainBenchmark.windows(b, c.window(), 1);
        LastValueReference.TrainingArrays a = new LastValueReference(c).trainingArrays(w);
        INDArray ff = a.features().dup('f');
        INDArray lf = a.labels().dup('f');
        MultiLayerNetwork net = ForecastNetworkFactory.build(c);
        OnlineTrainer t = new OnlineTrainer("p", c, TrainerMetrics.noop(c.clipThreshold()), java.time.Clock.systemUTC());
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 5; i++) { t.train(w); net.fit(a.features(), a.labels()); }
        for (int r = 0; r < rounds; r++) {
            for (int mode = 0; mode < 3; mode++) {
                long cpu = mx.getCurrentThreadCpuTime();
                long s = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    switch (mode) {
                        case 0 -> net.fit(a.features(), a.labels());
                        case 1 -> net.fit(ff, lf);
                        default -> t.train(w);
                    }
                }
                System.out.printf("round %d %-10s %8.2f ms wall %8.2f ms cpu%n", r, new String[]{"fit-c", "fit-f", "trainer"}[mode],
                        (System.nanoTime() - s) / 1e6 / reps, (mx.getCurrentThreadCpuTime() - cpu) / 1e6 / reps);
            }
        }
    }
}
