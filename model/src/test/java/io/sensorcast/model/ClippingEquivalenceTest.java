package io.sensorcast.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Oracle: with plain SGD (lr η) DL4J applies {@code p ← p − η·g/B} with g the summed gradient; so after clipping the
 * applied update must equal {@code η·clip(g/B)} where clip is computed here by hand in double precision, parameter by
 * parameter. A probe listener registered before the clipper copies the raw gradient and the parameters before each
 * update; {@code iterationDone} sees the parameters after it.
 */
class ClippingEquivalenceTest {
    private static final double LR = 0.5;
    private static final int BATCH = 4;

    /** Small shape: window 16, horizon 4 → 12 input steps; hidden 5. */
    private static ModelConfig config(int tbptt) {
        return ModelConfig.defaults().withShape(16, 4).withHidden(5).withTbptt(tbptt, tbptt).withSeed(7);
    }

    private static float[][] windows(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] w = new float[BATCH][16];
        for (float[] row : w) {
            double phase = r.nextDouble() * 6.28;
            for (int t = 0; t < row.length; t++) {
                row[t] = (float) (Math.sin(t / 3.0 + phase) * 2 + r.nextGaussian() * 0.3);
            }
        }
        return w;
    }

    /** Per optimiser step: parameters before, raw summed gradient, parameters after, batch size. */
    private record Observed(double[] before, double[] rawGradient, double[] after, int batch) {
    }

    private static final class Probe extends BaseTrainingListener {
        final List<Observed> steps = new ArrayList<>();
        double[] before;
        double[] raw;
        int batch;

        @Override
        public void onGradientCalculation(Model model) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            before = net.params().toDoubleVector();
            raw = net.gradient().gradient().toDoubleVector();
            batch = net.batchSize();
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            steps.add(new Observed(before, raw, model.params().toDoubleVector(), batch));
        }
    }

    private static List<Observed> fitOnce(ClippingPolicy policy, double threshold, int tbptt, List<ClipResult> results) {
        ModelConfig c = config(tbptt).withClipping(policy, threshold);
        MultiLayerNetwork net = ForecastNetworkFactory.build(c, new Sgd(LR));
        Probe probe = new Probe();
        net.addListeners(probe, GradientClipper.of(c).listener(s -> results.add(s.clip())));
        LastValueReference.TrainingArrays a = new LastValueReference(c).trainingArrays(windows(11));
        net.fit(a.features(), a.labels());
        return probe.steps;
    }

    private static double norm(double[] g, double scale) {
        double s = 0;
        for (double v : g) {
            s += (v * scale) * (v * scale);
        }
        return Math.sqrt(s);
    }

    /** Asserts after = before − LR · factor · raw/B element-wise (relative tolerance for float arithmetic). */
    private static void assertAppliedUpdate(Observed o, double factor) {
        for (int i = 0; i < o.before.length; i++) {
            double expected = o.before[i] - LR * factor * o.rawGradient[i] / o.batch;
            double tol = 1e-5 * Math.max(1e-3, Math.abs(LR * factor * o.rawGradient[i] / o.batch)) + 1e-6;
            assertEquals(expected, o.after[i], tol, "parameter " + i);
        }
    }

    @Test
    void shouldApplyGloballyClippedGradientWhenNormExceedsThreshold() {
        double t = 0.05;
        List<ClipResult> results = new ArrayList<>();
        List<Observed> steps = fitOnce(ClippingPolicy.GLOBAL_NORM, t, 12, results);
        assertEquals(1, steps.size(), "TBPTT length 12 = sequence length: one update");
        Observed o = steps.get(0);
        double preNorm = norm(o.rawGradient, 1.0 / o.batch);
        assertTrue(preNorm > 2 * t, "input norm " + preNorm + " must exceed the threshold, or the test is vacuous");
        assertAppliedUpdate(o, t / preNorm);
        assertEquals(preNorm, results.get(0).preClipNorm(), 1e-5 * preNorm);
        assertTrue(results.get(0).clipped());
    }

    @Test
    void shouldApplyUnchangedGradientWhenNormIsBelowThreshold() {
        double t = 1e6;
        List<ClipResult> results = new ArrayList<>();
        List<Observed> steps = fitOnce(ClippingPolicy.GLOBAL_NORM, t, 12, results);
        Observed o = steps.get(0);
        double preNorm = norm(o.rawGradient, 1.0 / o.batch);
        assertTrue(preNorm < t, "input norm " + preNorm + " must be below the threshold");
        assertTrue(preNorm > 0, "a zero gradient would make the test vacuous");
        assertAppliedUpdate(o, 1.0);
        assertFalse(results.get(0).clipped());
    }

    @Test
    void shouldApplyGloballyClippedGradientInEveryTbpttSegment() {
        double t = 0.05;
        List<ClipResult> results = new ArrayList<>();
        List<Observed> steps = fitOnce(ClippingPolicy.GLOBAL_NORM, t, 4, results);
        assertEquals(3, steps.size(), "12 input steps in TBPTT segments of 4: three updates");
        assertEquals(3, results.size());
        for (int s = 0; s < steps.size(); s++) {
            Observed o = steps.get(s);
            double preNorm = norm(o.rawGradient, 1.0 / o.batch);
            assertTrue(preNorm > t, "segment " + s + " norm " + preNorm + " must exceed the threshold");
            assertAppliedUpdate(o, t / preNorm);
        }
        // segments are chained: each starts from the previous one's result
        assertEquals(steps.get(0).after[0], steps.get(1).before[0], 0.0);
    }

    @Test
    void shouldApplyLayerClippedGradientInTbpttMode() {
        double t = 0.03;
        List<ClipResult> results = new ArrayList<>();
        List<Observed> steps = fitOnce(ClippingPolicy.LAYER_NORM, t, 4, results);
        // LSTM(1→5): W 1×20, RW 5×20, b 20 = 140 params; output 5×4 + 4 = 24
        int split = 140;
        for (Observed o : steps) {
            double[] lstm = java.util.Arrays.copyOfRange(o.rawGradient, 0, split);
            double[] out = java.util.Arrays.copyOfRange(o.rawGradient, split, o.rawGradient.length);
            double nl = norm(lstm, 1.0 / o.batch);
            double no = norm(out, 1.0 / o.batch);
            assertTrue(nl > t && no > t, "both layers must exceed the threshold: " + nl + ", " + no);
            for (int i = 0; i < o.before.length; i++) {
                double f = i < split ? t / nl : t / no;
                double step = LR * f * o.rawGradient[i] / o.batch;
                assertEquals(o.before[i] - step, o.after[i], 1e-5 * Math.max(1e-3, Math.abs(step)) + 1e-6, "parameter " + i);
            }
        }
    }
}
