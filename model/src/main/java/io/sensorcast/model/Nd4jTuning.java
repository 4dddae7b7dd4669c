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
 * <li>One OpenBLAS thread (its own pool, not OpenMP's: the {@link FusedLstmKernel}'s {@code sgemm} calls and ND4J's
 *     BLAS ops go there). These matrices are small; with OpenBLAS's default of one thread per core its idle workers
 *     spin in {@code sched_yield} between calls, measured under {@code perf} as ~15% of the CPU of an ingest + serve
 *     pipeline on two cores that a second core of real work needed.</li>
 * <li>ND4J's op profiling mode from its default {@code SCOPE_PANIC} (a workspace-scope check on every op's
 *     arguments) to {@code DISABLED}: measured as ~15% less CPU time per training step at batch 32 here
 *     (thread CPU time, interleaved rounds, on a shared and busy machine).</li>
 * <li>JavaCPP's physical-memory check off ({@code org.bytedeco.javacpp.maxPhysicalBytes=0}, unless the user set
 *     it): with its default limit (2 × the heap) every native allocation reads the process's resident size from
 *     {@code /proc}, and DL4J allocates shape buffers for every op; it showed as the serving thread's top native
 *     frame. Off, a fixed training run (bench train, batch 32, 40 steps) used about 0.6 s less system CPU of ~17 s
 *     in all (interleaved runs, busy machine). It only works before JavaCPP loads, so call this before anything touches ND4J; the heap limit
 *     ({@code maxBytes}) stays.</li>
 * </ul>
 */
public final class Nd4jTuning {
    private Nd4jTuning() {
    }

    /** Applies the settings above; returns the OpenMP thread count in force afterwards. */
    public static int forSmallRecurrentModels() {
        withoutThreadCount();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    /** The settings above except the thread count, for users who chose theirs with {@code OMP_NUM_THREADS}. */
    public static void withoutThreadCount() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase()) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        Nd4j.getExecutioner(); // loads the backend, which NativeOpsHolder needs
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
    }

    /** Whether JavaCPP's per-allocation physical-memory check is off (false when JavaCPP loaded before the setting). */
    public static boolean physicalMemoryCheckOff() {
        return org.bytedeco.javacpp.Pointer.maxPhysicalBytes() == 0;
    }

    private static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
}
