package io.sensorcast.ops.lab;

import io.sensorcast.model.lab.ClippingExperiment;
import io.sensorcast.model.lab.FlowResult;
import io.sensorcast.model.lab.GradientLab;
import io.sensorcast.model.lab.LeadingIndicator;
import io.sensorcast.model.lab.PolicyComparison;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lab.json} (DESIGN.md "Machine-readable results"): the four experiments with the fields DESIGN names, plus
 * a few more per run for the charts (pre-clip norms, thresholds, σ₁ series). Non-finite numbers become null.
 */
public final class LabJson {
    private LabJson() {
    }

    public static Map<String, Object> document(GradientLab.Report r) {
        List<Object> experiments = new ArrayList<>();
        experiments.add(experiment("gradient-flow", r.flow().stream().map(LabJson::flow).toList()));
        experiments.add(experiment("clipping", r.clipping().stream().map(LabJson::clipping).toList()));
        experiments.add(experiment("policies", r.policies().stream().map(LabJson::policy).toList()));
        experiments.add(experiment("leading-indicator", List.of(indicator(r.indicator()))));
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sequenceLength", r.settings().sequenceLength());
        settings.put("clippingSteps", r.settings().clippingSteps());
        settings.put("policySteps", r.settings().policySteps());
        settings.put("indicatorSteps", r.settings().indicatorSteps());
        settings.put("seed", r.settings().seed());
        settings.put("elapsedSeconds", r.elapsed().toMillis() / 1000.0);
        doc.put("settings", settings);
        doc.put("experiments", experiments);
        return doc;
    }

    private static Map<String, Object> experiment(String name, List<Map<String, Object>> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("runs", runs);
        return m;
    }

    private static Map<String, Object> flow(FlowResult f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cell", f.flowCase().cell().code());
        m.put("spectralRadius", f.flowCase().spectralRadius());
        m.put("forgetBias", f.flowCase().forgetBias());
        m.put("spectralNorm", number(f.spectralNorm()));
        m.put("norms", numbers(f.norms()));
        return m;
    }

    private static Map<String, Object> clipping(ClippingExperiment.Result c) {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean clipped = c.setting().torchThreshold() != null;
        m.put("cell", c.setting().cell().code());
        m.put("clip", clipped ? c.setting().torchThreshold() : "none");
        m.put("policy", clipped ? "global-norm" : "none");
        m.put("threshold", number(c.threshold()));
        m.put("explosions", c.run().explosions());
        m.put("nonFiniteSteps", c.run().nonFiniteSteps());
        m.put("finalLoss", number(c.finalLoss()));
        m.put("losses", numbers(c.run().losses()));
        m.put("preClipNorms", numbers(c.run().preClipNorms()));
        return m;
    }

    private static Map<String, Object> policy(PolicyComparison.Result p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", p.policy());
        m.put("cosine", number(p.cosine()));
        m.put("minCosine", number(p.minCosine()));
        m.put("threshold", number(p.threshold()));
        m.put("clippedSegments", p.clippedSegments());
        m.put("segments", p.segments());
        return m;
    }

    private static Map<String, Object> indicator(LeadingIndicator.Result i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spectralNormAlertStep", i.alertStep() < 0 ? null : i.alertStep());
        m.put("firstExplosionStep", i.firstExplosionStep() < 0 ? null : i.firstExplosionStep());
        m.put("spectralNormFiringStep", i.firingStep() < 0 ? null : i.firingStep());
        m.put("spectralRadius", i.radius());
        m.put("initialSpectralNorm", number(i.initialSpectralNorm()));
        m.put("spectralNorms", numbers(i.run().spectralNorms()));
        m.put("preClipNorms", numbers(i.run().preClipNorms()));
        m.put("explosionSteps", i.run().explosionSteps());
        return m;
    }

    static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Double> numbers(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double d : v) {
            out.add(number(d));
        }
        return out;
    }

    private static List<Double> numbers(List<Double> v) {
        return v.stream().map(d -> number(d)).toList();
    }
}
