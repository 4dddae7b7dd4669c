package io.sensorcast.model;

import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/** Ad-hoc A/B: ND4J profiling mode SCOPE_PANIC (default) vs DISABLED, interleaved rounds, trainer.train at batch B. */
public final class ProfilingModeAbMain {
    public static void main(String[] args) {
        int b = Integer.parseInt(args[0]);
        Nd4j.create(1);
        System.out.println("omp threads before " + org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()
                + ", after tuning " + Nd4jTuning.forSmallRecurrentModels());
        int reps = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        ModelConfig c = ModelConfig.defaults();
        float[][] w = TrainBenchmark.windows(b, c.window(), 1);
        OnlineTrainer t = new OnlineTrainer("p", c, TrainerMetrics.noop(c.clipThreshold()), java.time.Clock.systemUTC());
        for (int i = 0; i < 5; i++) t.train(w);
        for (int r = 0; r < rounds; r++) {
            for (OpExecutioner.ProfilingMode m : new OpExecutioner.ProfilingMode[]{OpExecutioner.ProfilingMode.SCOPE_PANIC, OpExecutioner.ProfilingMode.DISABLED}) {
                Nd4j.getExecutioner().setProfilingMode(m);
                t.train(w);
                var mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpu = mx.getCurrentThreadCpuTime();
                long s = System.nanoTime();
                for (int i = 0; i < reps; i++) t.train(w);
                System.out.printf("round %d %-12s %8.2f ms/batch wall %8.2f ms/batch cpu%n", r, m, (System.nanoTime() - s) / 1e6 / reps,
                        (mx.getCurrentThreadCpuTime() - cpu) / 1e6 / reps);
            }
        }
    }
}
