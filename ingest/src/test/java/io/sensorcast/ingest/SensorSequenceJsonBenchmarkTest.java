package io.sensorcast.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints encode and decode cost per 96-value sequence, Jackson (the codec before) against the hand-written one, on
 * z-score values as ingest produces them. A figure for the report, not a goal check; single-threaded, best of 15
 * interleaved rounds after a warm-up, so a busy machine shows as slower figures rather than noise in one of them.
 */
@Tag("slow")
class SensorSequenceJsonBenchmarkTest {
    private static final int SEQUENCES = 1_000;
    private static final int WARM_UP_ROUNDS = 5;
    private static final int ROUNDS = 15;
    private static final int PASSES_PER_ROUND = 5;

    private static SensorSequence[] sequences() {
        Random random = new Random(5);
        SensorSequence[] out = new SensorSequence[SEQUENCES];
        for (int i = 0; i < SEQUENCES; i++) {
            float[] values = new float[96];
            for (int t = 0; t < values.length; t++) {
                values[t] = (float) random.nextGaussian();
            }
            byte[] observed = new byte[96];
            Arrays.fill(observed, (byte) 1);
            out[i] = new SensorSequence("sim-" + i + ".temp", 1_764_000_000_000L + i * 60_000L, 60_000L, values, observed,
                    20 + random.nextGaussian(), 1 + random.nextDouble(), 1_764_000_012_345L + i);
        }
        return out;
    }

    /** One timed pass of {@code work} over the items, in nanoseconds per call; the sum it returns keeps the JIT honest. */
    private static <T> double nanosPerCall(T[] items, ToLongFunction<T> work, long[] sink) {
        long start = System.nanoTime();
        for (int pass = 0; pass < PASSES_PER_ROUND; pass++) {
            for (T item : items) {
                sink[0] += work.applyAsLong(item);
            }
        }
        return (System.nanoTime() - start) / (double) (PASSES_PER_ROUND * items.length);
    }

    @Test
    void shouldPrintEncodeAndDecodeCostPerSequenceForJacksonAndTheHandWrittenCodec() {
        SensorSequence[] sequences = sequences();
        byte[][] json = Arrays.stream(sequences).map(SensorSequenceJson::toBytes).toArray(byte[][]::new);
        assertEquals(sequences[0], SensorSequenceJson.fromBytes(json[0]));

        // rounds interleave the four so that a busy spell on the machine hits them alike; the best round counts
        double encodeJackson = Double.MAX_VALUE;
        double encodeNew = Double.MAX_VALUE;
        double decodeJackson = Double.MAX_VALUE;
        double decodeNew = Double.MAX_VALUE;
        long[] sink = new long[1];
        for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
            double ej = nanosPerCall(sequences, s -> JacksonSequenceWriter.toBytes(s).length, sink);
            double en = nanosPerCall(sequences, s -> SensorSequenceJson.toBytes(s).length, sink);
            double dj = nanosPerCall(json, b -> SensorSequenceJson.fromBytesWithJackson(b).end(), sink);
            double dn = nanosPerCall(json, b -> SensorSequenceJson.fromBytes(b).end(), sink);
            if (round >= 0) {
                encodeJackson = Math.min(encodeJackson, ej);
                encodeNew = Math.min(encodeNew, en);
                decodeJackson = Math.min(decodeJackson, dj);
                decodeNew = Math.min(decodeNew, dn);
            }
        }
        assertTrue(sink[0] != 0);
        System.out.printf("sensor-sequences JSON, W=96, %d bytes on average, ns per sequence (best of %d rounds):%n",
                Arrays.stream(json).mapToInt(b -> b.length).sum() / json.length, ROUNDS);
        System.out.printf("  encode: Jackson %8.0f   hand-written %8.0f   (%.1fx)%n", encodeJackson, encodeNew, encodeJackson / encodeNew);
        System.out.printf("  decode: Jackson %8.0f   hand-written %8.0f   (%.1fx)%n", decodeJackson, decodeNew, decodeJackson / decodeNew);
    }
}
