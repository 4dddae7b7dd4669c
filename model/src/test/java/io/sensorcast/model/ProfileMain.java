package io.sensorcast.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Ad-hoc: where does the time of one training step go? */
public final class ProfileMain {
    public static void main(String[] args) {
        int b = Integer.parseInt(args[0]);
        int reps = Integer.parseInt(args[1]);
        ModelConfig c = ModelConfig.defaults();
        float[][] w = TrainBenchmark.windows(b, c.window(), 1);
        LastValueReference ref = new LastValueReference(c);
        LastValueReference.TrainingArrays a = ref.trainingArrays(w);
        MultiLayerNetwork net = ForecastNetworkFactory.build(c);
        time("plain fit", reps, () -> net.fit(a.features(), a.labels()));
        time("arrays", reps, () -> ref.trainingArrays(w));
        MultiLayerNetwork net2 = ForecastNetworkFactory.build(c);
        net2.addListeners(GradientClipper.of(c).listener(s -> { }));
        time("fit+clip listener", reps, () -> net2.fit(a.features(), a.labels()));
        time("output", reps, () -> net2.output(a.features(), false));
        time("params sum", reps, () -> net2.params().sumNumber());
        time("norms", reps, () -> GradientNorms.of(net2));
        time("spectral", reps, () -> SpectralNorm.recurrentLayers(net2));
        OnlineTrainer t = new OnlineTrainer("p", c, TrainerMetrics.noop(c.clipThreshold()), java.time.Clock.systemUTC());
        time("trainer.train", reps, () -> t.train(w));
        time("plain fit again", reps, () -> net.fit(a.features(), a.labels()));
        System.out.println("profiling mode " + org.nd4j.linalg.factory.Nd4j.getExecutioner().getProfilingMode());
        org.nd4j.linalg.factory.Nd4j.getExecutioner().setProfilingMode(org.nd4j.linalg.api.ops.executioner.OpExecutioner.ProfilingMode.DISABLED);
        time("fit profiling off", reps, () -> net.fit(a.features(), a.labels()));
        time("trainer profiling off", reps, () -> t.train(w));
        time("plain fit again", reps, () -> net.fit(a.features(), a.labels()));
        time("trainer again", reps, () -> t.train(w));
    }

    static void time(String name, int reps, Runnable r) {
        for (int i = 0; i < 3; i++) r.run();
        long s = System.nanoTime();
        for (int i = 0; i < reps; i++) r.run();
        System.out.printf("%-20s %8.2f ms%n", name, (System.nanoTime() - s) / 1e6 / reps);
    }
}
