package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.W;
import static io.sensorcast.serve.ServeDriver.rising;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import io.micrometer.core.instrument.DistributionSummary;
import org.junit.jupiter.api.Test;

/** Prediction intervals, and forecasts scored against the actuals later sequences bring. */
class ServeTopologyAccuracyTest {

    @Test
    void shouldUseRandomWalkScaleOfWindowForIntervalWhenSensorHasNoResidualsYet() {
        try (ServeDriver d = new ServeDriver()) {
            d.pipe(sequence("s1", T0, rising(), 10.0, 2.0));

            Forecast f = d.forecasts.readValue();
            for (int k = 0; k < 4; k++) {
                // first differences are all 0.05 ⇒ σΔ = 0.05; z(80%) = 1.2815516; half-width = z · σΔ · √(k+1) · std 2
                double half = 1.2815516 * 0.05 * Math.sqrt(k + 1) * 2.0;
                Forecast.Point p = f.points().get(k);
                assertEquals(11.0 - half, p.lo(), 1e-5, "lo at k=" + k);
                assertEquals(11.0 + half, p.hi(), 1e-5, "hi at k=" + k);
            }
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldRecordAbsErrorByHorizonBucketWhenActualArrivesInLaterSequence() {
        try (ServeDriver d = new ServeDriver()) {
            d.pipe(sequence("s1", T0, rising(), 10.0, 2.0));               // persistence: 11.0 for T0+1..T0+4 steps
            float[] next = rising();
            System.arraycopy(next, 1, next, 0, W - 1);
            next[W - 1] = 1.0f;                                            // actual at T0+1 step: 1.0 · 2 + 10 = 12
            d.pipe(sequence("s1", T0 + STEP, next, 10.0, 2.0));

            DistributionSummary oneStep = d.registry.get("sensorcast.serve.forecast.abs.error")
                    .tags("model", "default", "horizon_bucket", "1").summary();
            assertEquals(1, oneStep.count(), "only the point at T0+1 step has its actual yet");
            assertEquals(1.0, oneStep.totalAmount(), 1e-5);   // |12 − 11|
            // the 80% half-width at k=1 was 1.2816 · 0.05 · 2 = 0.128 < 1: not covered
            assertEquals(0.0, d.gauge("sensorcast.serve.interval.coverage", "model", "default"));
            assertEquals(2, d.readAll().size());
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldCoverAboutTheConfiguredLevelAndScoreEachPointOnceWhenSeriesIsKnownNoise() {
        long seed = 7;
        Random random = new Random(seed);
        int n = 611;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        try (ServeDriver d = new ServeDriver()) {
            for (int t = W - 1; t < n; t++) {
                float[] window = new float[W];
                System.arraycopy(x, t - W + 1, window, 0, W);
                d.pipe(sequence("noise", T0 + t * STEP, window, 0.0, 1.0));
            }

            // 600 forecasts of 4 points; the last 4 forecasts lack 1+2+3+4 actuals
            long oneStep = d.registry.get("sensorcast.serve.forecast.abs.error").tags("horizon_bucket", "1").summary().count();
            long laterSteps = d.registry.get("sensorcast.serve.forecast.abs.error").tags("horizon_bucket", "2-6").summary().count();
            assertEquals(599, oneStep, "seed " + seed);
            assertEquals(598 + 597 + 596, laterSteps, "seed " + seed);
            // persistence residuals of iid N(0,1) are N(0,2) at every step; the 80% empirical quantile of the last 48
            // covers ≈ 39/49 = 0.796 in expectation; 1000 points give a standard error of ≈ 0.013
            double coverage = d.gauge("sensorcast.serve.interval.coverage", "model", "default");
            assertTrue(coverage > 0.74 && coverage < 0.86, "coverage " + coverage + ", seed " + seed);
            assertEquals(600, d.readAll().size());
            assertTrue(d.forecasts.isEmpty());
        }
    }
}
