package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PredictionIntervalTest {

    @Test
    void shouldUseStandardNormalQuantileWhenLevelIs80Percent() {
        // Φ⁻¹(0.9) = 1.2815515655 (tables)
        assertEquals(1.2815515655, new PredictionInterval(0.8, 12).z(), 1e-8);
    }

    @Test
    void shouldUseStandardNormalQuantileWhenLevelIs99Percent() {
        // Φ⁻¹(0.995) = 2.5758293035, in the approximation's tail branch
        assertEquals(2.5758293035, new PredictionInterval(0.99, 12).z(), 1e-8);
    }

    @Test
    void shouldTakeLevelQuantileOfAbsoluteResidualsWhenEnoughResidualsExist() {
        SensorLedger ledger = new SensorLedger(1, 10);
        // forecast 0 for ten steps; actuals -10, 9, -8, …, 1 (normalised, std 1): |e| = 10, 9, …, 1
        for (int i = 0; i < 10; i++) {
            ledger.add(new SensorLedger.Pending(i, 1, "m", 1.0, new float[] {0f}, new float[] {0f}));
            float actual = (i % 2 == 0 ? -1 : 1) * (10 - i);
            ledger.score(i + 1, 1, new float[] {actual}, new byte[] {1}, 0.0, 1.0, (m, k, e, c) -> { });
        }
        // 80% of 10 sorted |e| = 1..10: the 8th smallest, 8
        assertArrayEquals(new float[] {8f}, new PredictionInterval(0.8, 10).halfWidths(ledger, new float[] {0f, 0f}, 1));
        // with one residual fewer than required, the window's random-walk scale applies (flat window: 0)
        assertArrayEquals(new float[] {0f}, new PredictionInterval(0.8, 11).halfWidths(ledger, new float[] {0f, 0f}, 1));
    }

    @Test
    void shouldRestoreSameLedgerWhenEncodedAndDecoded() {
        SensorLedger ledger = new SensorLedger(2, 4);
        ledger.add(new SensorLedger.Pending(0, 10, "default", 2.0, new float[] {1f, 2f}, new float[] {0.5f, 0.7f}));
        ledger.score(10, 10, new float[] {0.25f}, new byte[] {1}, 0.0, 2.0, (m, k, e, c) -> { });   // actual 0.5 vs 1
        ledger.add(new SensorLedger.Pending(10, 10, "pumps", 2.0, new float[] {3f, 4f}, new float[] {0.1f, 0.2f}));

        SensorLedger copy = SensorLedger.decode(ledger.encode(), 2, 4);

        assertArrayEquals(ledger.encode(), copy.encode());
        assertEquals(2, copy.pendingCount());
        assertArrayEquals(new float[] {-0.25f}, copy.residuals(0));   // (0.5 − 1) / std 2
    }

    @Test
    void shouldTakeQuantileOfOnlyTheLastResidualWindowWhenTheRingOverwritesOldResiduals() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        int window = 7;
        SensorLedger ledger = new SensorLedger(1, window);
        java.util.ArrayDeque<Float> last = new java.util.ArrayDeque<>();
        for (int i = 0; i < 2_000; i++) {
            // ties and repeats too: the ring holds rounded floats
            float actual = r.nextInt(4) == 0 ? (float) (r.nextInt(5) - 2) : (float) r.nextGaussian();
            ledger.add(new SensorLedger.Pending(i, 1, "m", 1.0, new float[] {0f}, new float[] {0f}));
            ledger.score(i + 1, 1, new float[] {actual}, new byte[] {1}, 0.0, 1.0, (m, k, e, c) -> { });
            last.addLast(Math.abs(actual));
            if (last.size() > window) {
                last.removeFirst();
            }
            double level = r.nextDouble();
            float[] sorted = new float[last.size()];
            int j = 0;
            for (float v : last) {
                sorted[j++] = v;
            }
            java.util.Arrays.sort(sorted);
            float expected = sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(level * sorted.length) - 1))];
            assertEquals(expected, ledger.absQuantile(0, level), "residual " + i + ", level " + level);
        }
    }

    @Test
    void shouldKeepQuantilesWhenLedgerIsEncodedAndDecoded() {
        SensorLedger ledger = new SensorLedger(1, 4);
        float[] actuals = {3f, -1f, 2f, -5f, 4f, 0.5f};
        for (int i = 0; i < actuals.length; i++) {
            ledger.add(new SensorLedger.Pending(i, 1, "m", 1.0, new float[] {0f}, new float[] {0f}));
            ledger.score(i + 1, 1, new float[] {actuals[i]}, new byte[] {1}, 0.0, 1.0, (m, k, e, c) -> { });
        }
        SensorLedger copy = SensorLedger.decode(ledger.encode(), 1, 4);
        // the last four |residuals| are 2, 5, 4, 0.5
        for (double level : new double[] {0.1, 0.5, 0.8, 1.0}) {
            assertEquals(ledger.absQuantile(0, level), copy.absQuantile(0, level), "level " + level);
        }
        assertEquals(4f, copy.absQuantile(0, 0.75));
        assertEquals(0.5f, copy.absQuantile(0, 0.1));
    }
}
