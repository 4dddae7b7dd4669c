package io.sensorcast.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Factor 10, medians over 8, verdicts from 4 samples, roll back after 3 explosions within 10 steps. */
class ExplosionDetectorTest {
    private static ExplosionDetector detector() {
        return new ExplosionDetector(10, 8, 4, 3, 10);
    }

    private static void feed(ExplosionDetector d, long fromStep, int n) {
        for (int i = 0; i < n; i++) {
            assertFalse(d.assess(fromStep + i, 1.0 + 0.01 * i, 0.5, false).explosion());
        }
    }

    @Test
    void shouldReportNormSpikeWhenNormExceedsFactorTimesMedian() {
        ExplosionDetector d = detector();
        feed(d, 0, 5); // norms 1.00 … 1.04, median 1.02
        ExplosionDetector.Verdict v = d.assess(5, 10.3, 0.5, false); // 10.3 > 10 × 1.02
        assertEquals(GradientEvent.Kind.NORM_SPIKE, v.kind());
        assertEquals(GradientEvent.Action.CLIPPED, v.action());
        assertEquals(1.02, v.medianNorm(), 1e-12);
    }

    @Test
    void shouldNotReportSpikeWhenNormIsJustBelowFactorTimesMedian() {
        ExplosionDetector d = detector();
        feed(d, 0, 5);
        assertNull(d.assess(5, 10.1, 0.5, false).kind()); // 10.1 < 10.2
    }

    @Test
    void shouldNotJudgeSpikesWhenHistoryIsShorterThanMinimum() {
        ExplosionDetector d = detector();
        feed(d, 0, 3);
        assertNull(d.assess(3, 1e6, 0.5, false).kind());
    }

    @Test
    void shouldReportLossSpikeWhenOnlyLossJumps() {
        ExplosionDetector d = detector();
        feed(d, 0, 5);
        ExplosionDetector.Verdict v = d.assess(5, 1.0, 6.0, false); // 6 > 10 × 0.5
        assertEquals(GradientEvent.Kind.LOSS_SPIKE, v.kind());
    }

    @Test
    void shouldReportNonFiniteAndSkipWhenGradientIsNonFinite() {
        ExplosionDetector d = detector();
        ExplosionDetector.Verdict v = d.assess(0, Double.NaN, 0.5, true); // even without history
        assertEquals(GradientEvent.Kind.NONFINITE, v.kind());
        assertEquals(GradientEvent.Action.SKIPPED, v.action());
    }

    @Test
    void shouldReportNonFiniteWhenLossIsInfinite() {
        ExplosionDetector d = detector();
        feed(d, 0, 5);
        assertEquals(GradientEvent.Kind.NONFINITE, d.assess(5, 1.0, Double.POSITIVE_INFINITY, false).kind());
    }

    @Test
    void shouldRollBackWhenThirdExplosionFallsWithinWindow() {
        ExplosionDetector d = detector();
        feed(d, 0, 5);
        assertEquals(GradientEvent.Action.CLIPPED, d.assess(5, 1e3, 0.5, false).action());
        assertEquals(GradientEvent.Action.SKIPPED, d.assess(8, Double.NaN, 0.5, true).action());
        assertEquals(GradientEvent.Action.ROLLED_BACK, d.assess(14, 1e3, 0.5, false).action()); // 5, 8, 14 within 10
    }

    @Test
    void shouldNotRollBackWhenExplosionsAreFurtherApartThanWindow() {
        ExplosionDetector d = detector();
        feed(d, 0, 5);
        d.assess(5, 1e3, 0.5, false);
        d.assess(10, 1e3, 0.5, false);
        // step 15: the one at 5 left the window (15 − 10 = 5), leaving 10 and 15
        assertEquals(GradientEvent.Action.CLIPPED, d.assess(15, 1e3, 0.5, false).action());
    }
}
