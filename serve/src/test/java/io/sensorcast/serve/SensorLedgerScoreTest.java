package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link SensorLedger#score} against its definition, computed the slow way: every pending point whose time is after
 * the last scored one and at most the window's end, that falls on one of the window's steps and whose step was
 * observed, is scored once against that step's actual value.
 */
class SensorLedgerScoreTest {
    private static final int H = 24;
    private static final int W = 96;
    private static final long STEP = 60_000L;
    private static final long T0 = 1_732_440_000_000L;

    @Test
    void shouldScoreExactlyThePointsTheDefinitionNamesWhenForecastsAndWindowsShareTheStepGrid() {
        assertMatchesDefinition(new Random(1), false);
    }

    @Test
    void shouldScoreExactlyThePointsTheDefinitionNamesWhenSomeForecastsAreOffTheGridOrOnAnotherStep() {
        assertMatchesDefinition(new Random(2), true);
    }

    private static void assertMatchesDefinition(Random random, boolean offGrid) {
        for (int trial = 0; trial < 300; trial++) {
            SensorLedger ledger = new SensorLedger(H, 48);
            long lastActual = Long.MIN_VALUE;
            List<SensorLedger.Pending> pending = new ArrayList<>();
            long end = T0 + W * STEP;
            for (int round = 0; round < 40; round++) {
                // a forecast issued at the current end (sometimes a late or skipped one, sometimes off the grid)
                long issuedAt = end - (random.nextInt(4) == 0 ? random.nextInt(3) * STEP : 0);
                long step = STEP;
                if (offGrid && random.nextInt(5) == 0) {
                    issuedAt += random.nextInt(3) == 0 ? 1_000 : 0;
                    step = random.nextBoolean() ? 2 * STEP : STEP / 2;
                }
                SensorLedger.Pending f = new SensorLedger.Pending(issuedAt, step, "m", 1.5, randomFloats(random, H, 5),
                        randomFloats(random, H, 2));
                ledger.add(f);
                pending.add(f);
                while (pending.size() > H) {
                    pending.remove(0);
                }
                end += STEP * (1 + (random.nextInt(6) == 0 ? random.nextInt(4) : 0));   // now and then a gap
                float[] values = randomFloats(random, W, 2);
                byte[] observed = new byte[W];
                for (int i = 0; i < W; i++) {
                    observed[i] = (byte) (random.nextInt(10) == 0 ? 0 : 1);
                }
                double mean = 20;
                double std = 3;

                List<String> expected = new ArrayList<>();
                for (SensorLedger.Pending p : pending) {
                    for (int k = 0; k < p.values().length; k++) {
                        long ts = p.issuedAt() + (k + 1) * p.stepMs();
                        if (ts <= lastActual || ts > end) {
                            continue;
                        }
                        for (int idx = 0; idx < W; idx++) {
                            if (end - (long) (W - 1 - idx) * STEP == ts && observed[idx] == 1) {
                                double error = values[idx] * std + mean - p.values()[k];
                                expected.add(point(p.model(), k + 1, Math.abs(error), Math.abs(error) <= p.halfWidths()[k]));
                            }
                        }
                    }
                }
                List<String> actual = new ArrayList<>();
                ledger.score(end, STEP, values, observed, mean, std, (m, ahead, abs, covered) -> actual.add(point(m, ahead, abs, covered)));

                assertEquals(expected, actual, "trial " + trial + ", round " + round);
                lastActual = Math.max(lastActual, end);
                long scoredUpTo = lastActual;
                pending.removeIf(p -> p.issuedAt() + p.values().length * p.stepMs() <= scoredUpTo);
            }
        }
    }

    private static String point(String model, int ahead, double absError, boolean covered) {
        return model + "/" + ahead + "/" + absError + "/" + covered;
    }

    private static float[] randomFloats(Random random, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (20 + scale * random.nextGaussian());
        }
        return out;
    }
}
