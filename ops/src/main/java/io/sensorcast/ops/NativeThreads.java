package io.sensorcast.ops;

import io.sensorcast.model.Nd4jTuning;

/**
 * Users start us with plain {@code java -jar}, without {@code OMP_NUM_THREADS}; commands that train or forecast call
 * {@link #configure()} first so ND4J gets {@link Nd4jTuning}'s settings (one OpenMP thread unless the user chose a
 * thread count with {@code OMP_NUM_THREADS} themselves).
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    public static void configure() {
        if (System.getenv("OMP_NUM_THREADS") == null) {
            Nd4jTuning.forSmallRecurrentModels();
        } else {
            Nd4jTuning.withoutThreadCount();
        }
    }
}
