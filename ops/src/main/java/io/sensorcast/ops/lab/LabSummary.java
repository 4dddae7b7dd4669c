package io.sensorcast.ops.lab;

import io.sensorcast.model.lab.ClippingExperiment;
import io.sensorcast.model.lab.FlowResult;
import io.sensorcast.model.lab.GradientLab;
import io.sensorcast.model.lab.LeadingIndicator;
import io.sensorcast.model.lab.PolicyComparison;

import java.util.Locale;

/** The console summary: one block per experiment, the figures that carry its point. */
public final class LabSummary {
    private LabSummary() {
    }

    public static String table(GradientLab.Report r) {
        StringBuilder b = new StringBuilder();
        int t = r.settings().sequenceLength();
        int k50 = Math.min(50, t);
        b.append(String.format(Locale.ROOT, "1. gradient flow, T = %d: ‖∂L/∂h_{T−k}‖ / ‖∂L/∂h_T‖%n", t));
        b.append(String.format(Locale.ROOT, "   %-28s %8s %10s %10s %10s%n", "network", "σ₁", "k=10", "k=" + k50, "k=" + t));
        for (FlowResult f : r.flow()) {
            double[] n = f.norms();
            b.append(String.format(Locale.ROOT, "   %-28s %8.3f %10.3g %10.3g %10.3g%n", f.flowCase().label(), f.spectralNorm(),
                    n[Math.min(10, t)] / n[0], n[k50] / n[0], n[t] / n[0]));
        }
        b.append(String.format(Locale.ROOT, "   reference 0.99^k: %.3g at k=%d, 1.01^k: %.3g%n%n", Math.pow(0.99, t), t, Math.pow(1.01, t)));

        b.append(String.format(Locale.ROOT, "2. clipping, lag-%d echo series, %d steps, SGD %.3g, same seed each run%n",
                ClippingExperiment.LAG, r.settings().clippingSteps(), ClippingExperiment.LEARNING_RATE));
        b.append(String.format(Locale.ROOT, "   %-10s %-6s %10s %11s %10s %12s%n", "cell", "clip", "threshold", "explosions", "non-finite", "final MSE"));
        for (ClippingExperiment.Result c : r.clipping()) {
            b.append(String.format(Locale.ROOT, "   %-10s %-6s %10s %11d %10d %12.4g%n", c.setting().cell().code(), c.setting().clipLabel(),
                    Double.isFinite(c.threshold()) ? String.format(Locale.ROOT, "%.0f", c.threshold()) : "-",
                    c.run().explosions(), c.run().nonFiniteSteps(), c.finalLoss()));
        }
        b.append(String.format(Locale.ROOT, "%n3. clipping policies on the default forecaster, spiky stream%n"));
        b.append(String.format(Locale.ROOT, "   %-30s %10s %10s %12s%n", "policy", "mean cos", "min cos", "clipped"));
        for (PolicyComparison.Result p : r.policies()) {
            b.append(String.format(Locale.ROOT, "   %-30s %10.6f %10.6f %6d / %-5d%n", p.policy(), p.cosine(), p.minCosine(),
                    p.clippedSegments(), p.segments()));
        }
        LeadingIndicator.Result i = r.indicator();
        b.append(String.format(Locale.ROOT, "%n4. leading indicator, tanh RNN from spectral radius %.2f (σ₁ %.3f)%n", i.radius(), i.initialSpectralNorm()));
        b.append(String.format(Locale.ROOT, "   SpectralNormHigh condition first holds at step %s (fires after its for: at %s); first explosion at step %s; lead %s steps%n",
                step(i.alertStep()), step(i.firingStep()), step(i.firstExplosionStep()),
                i.alertStep() >= 0 && i.firstExplosionStep() >= 0 ? String.valueOf(i.firstExplosionStep() - i.alertStep()) : "-"));
        b.append(String.format(Locale.ROOT, "%nelapsed %.1f s%n", r.elapsed().toMillis() / 1000.0));
        return b.toString();
    }

    private static String step(int s) {
        return s < 0 ? "never" : String.valueOf(s);
    }
}
