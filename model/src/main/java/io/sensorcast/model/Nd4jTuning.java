package io.sensorcast.model;

import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Process-wide ND4J settings for this small recurrent model on a few cores; call once at start-up of a trainer
 * process or benchmark (libraries do not change global state on their own).
 *
 * <ul>
 * <li>One OpenMP thread per op (the same as {@code OMP_NUM_THREADS=1}, which {@code java -jar} does not get from
 *     Maven's surefire settings): with two, this model trains at about half the speed on two cores
 *     (NOTES.md). Use the second core for a second thread of work (serving), not for intra-op parallelism.</li>
 * <li>ND4J's op profiling mode from its default {@code SCOPE_PANIC} (a workspace-scope check on every op's
 *     arguments) to {@code DISABLED}: measured as ~15% less CPU time per training step at batch 32 here
 *     (thread CPU time, interleaved rounds, on a shared and busy machine).</li>
 * </ul>
 */
public final class Nd4jTuning {
    private Nd4jTuning() {
    }

    /** Applies the settings above; returns the OpenMP thread count in force afterwards. */
    public static int forSmallRecurrentModels() {
        Nd4j.getExecutioner(); // loads the backend, which NativeOpsHolder needs
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }
}
