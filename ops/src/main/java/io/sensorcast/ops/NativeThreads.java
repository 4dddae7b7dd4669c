package io.sensorcast.ops;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J runs its native ops on OpenMP threads; on small machines two threads halve this model's speed (they spin
 * against each other and against Kafka's threads). Users start us with plain {@code java -jar}, without
 * {@code OMP_NUM_THREADS}, so commands that train or forecast call {@link #configure()} first: it keeps one
 * native thread unless the user set OMP_NUM_THREADS or {@code SENSORCAST_NATIVE_THREADS} themselves.
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    public static void configure() {
        if (System.getenv("OMP_NUM_THREADS") != null) {
            return;
        }
        String requested = System.getenv("SENSORCAST_NATIVE_THREADS");
        int threads = requested == null ? 1 : Integer.parseInt(requested.trim());
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
    }
}
