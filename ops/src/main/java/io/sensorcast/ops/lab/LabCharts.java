package io.sensorcast.ops.lab;

import io.sensorcast.model.lab.ClippingExperiment;
import io.sensorcast.model.lab.FlowResult;
import io.sensorcast.model.lab.GradientLab;
import io.sensorcast.model.lab.LeadingIndicator;
import io.sensorcast.model.lab.PolicyComparison;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The lab's PNG charts, drawn with XChart; one method per chart, each returns the file name it wrote. */
public final class LabCharts {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 520;
    /** Log axes need positive values: anything smaller (an exact zero, underflow) is drawn at this floor. */
    private static final double FLOOR = 1e-30;

    private LabCharts() {
    }

    /** Writes every chart into {@code dir}; returns file name → caption. */
    public static Map<String, String> writeAll(GradientLab.Report r, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> out = new LinkedHashMap<>();
        out.put(gradientFlow(r.flow(), dir), "Gradient flow: ‖∂L/∂h_{T−k}‖ / ‖∂L/∂h_T‖ against k (log scale), with 0.99^k and 1.01^k");
        for (String cell : List.of("rnn-tanh", "lstm")) {
            List<ClippingExperiment.Result> runs = r.clipping().stream().filter(c -> c.setting().cell().code().equals(cell)).toList();
            out.put(clippingLoss(cell, runs, dir), "Training loss per step, " + cell + ", no clipping vs global-norm thresholds (log scale)");
            out.put(clippingNorms(cell, runs, dir), "Pre-clip gradient norm per step, " + cell + ", with each run's threshold (log scale)");
        }
        out.put(policies(r.policies(), dir), "Cosine between the clipped and the raw gradient, per policy (1 = direction kept)");
        out.put(indicator(r.indicator(), dir), "Leading indicator: recurrent σ₁ and pre-clip norm per step; alert and first explosion marked");
        return out;
    }

    static String gradientFlow(List<FlowResult> flow, Path dir) throws IOException {
        XYChart chart = xy("Gradient flow through time", "k (steps back from T)", "‖∂L/∂h_{T−k}‖ / ‖∂L/∂h_T‖", true);
        int maxK = 0;
        for (FlowResult f : flow) {
            double[] n = f.norms();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int k = 0; k < n.length; k++) {
                double ratio = n[k] / n[0];
                if (Double.isFinite(ratio) && ratio > 0) { // a line that stops has reached exactly 0 (IRNN: every unit off once)
                    x.add((double) k);
                    y.add(ratio);
                }
            }
            maxK = Math.max(maxK, n.length - 1);
            line(chart, f.flowCase().label() + String.format(" (σ₁ %.2f)", f.spectralNorm()), x, y);
        }
        for (double base : new double[] {0.99, 1.01}) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int k = 0; k <= maxK; k++) {
                x.add((double) k);
                y.add(Math.pow(base, k));
            }
            XYSeries s = line(chart, base + "^k", x, y);
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        return save(chart, dir, "gradient-flow.png");
    }

    static String clippingLoss(String cell, List<ClippingExperiment.Result> runs, Path dir) throws IOException {
        XYChart chart = xy("Training loss, " + cell + " on the lag-" + ClippingExperiment.LAG + " echo series", "step", "loss (MSE)", true);
        for (ClippingExperiment.Result r : runs) {
            series(chart, "clip " + r.setting().clipLabel(), r.run().losses());
        }
        return save(chart, dir, "clipping-loss-" + cell + ".png");
    }

    static String clippingNorms(String cell, List<ClippingExperiment.Result> runs, Path dir) throws IOException {
        XYChart chart = xy("Pre-clip gradient norm, " + cell, "step", "global L2 norm (trainer units)", true);
        int steps = 0;
        for (ClippingExperiment.Result r : runs) {
            series(chart, "clip " + r.setting().clipLabel(), r.run().preClipNorms());
            steps = Math.max(steps, r.run().preClipNorms().size());
        }
        for (ClippingExperiment.Result r : runs) {
            if (Double.isFinite(r.threshold())) {
                XYSeries s = line(chart, "threshold " + r.setting().clipLabel() + " (" + Math.round(r.threshold()) + ")",
                        List.of(0.0, (double) Math.max(1, steps - 1)), List.of(r.threshold(), r.threshold()));
                s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f));
            }
        }
        return save(chart, dir, "clipping-norms-" + cell + ".png");
    }

    static String policies(List<PolicyComparison.Result> policies, Path dir) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Direction of the clipped update").xAxisTitle("policy").yAxisTitle("mean cos(raw, clipped)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.05);
        List<String> names = new ArrayList<>();
        List<Double> cos = new ArrayList<>();
        for (PolicyComparison.Result p : policies) {
            names.add(p.policy());
            cos.add(Double.isFinite(p.cosine()) ? p.cosine() : 0.0);
        }
        chart.addSeries("cosine", names, cos);
        BitmapEncoder.saveBitmap(chart, dir.resolve("policies.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        return "policies.png";
    }

    static String indicator(LeadingIndicator.Result r, Path dir) throws IOException {
        XYChart chart = xy("Leading indicator: tanh RNN from spectral radius " + r.radius(), "step", "recurrent σ₁", false);
        series(chart, "recurrent σ₁", r.run().spectralNorms());
        XYSeries norms = series(chart, "pre-clip norm", r.run().preClipNorms());
        norms.setYAxisGroup(1);
        chart.getStyler().setYAxisLogarithmic(false);
        chart.setYAxisGroupTitle(0, "recurrent σ₁");
        chart.setYAxisGroupTitle(1, "pre-clip norm");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        double lo = r.run().spectralNorms().stream().filter(Double::isFinite).mapToDouble(d -> d).min().orElse(0);
        double hi = r.run().spectralNorms().stream().filter(Double::isFinite).mapToDouble(d -> d).max().orElse(1);
        if (r.alertStep() >= 0) {
            marker(chart, "SpectralNormHigh condition holds (step " + r.alertStep() + ")", r.alertStep(), lo, hi);
        }
        if (r.firstExplosionStep() >= 0) {
            marker(chart, "first explosion (step " + r.firstExplosionStep() + ")", r.firstExplosionStep(), lo, hi);
        }
        return save(chart, dir, "leading-indicator.png");
    }

    private static void marker(XYChart chart, String name, int step, double lo, double hi) {
        XYSeries s = line(chart, name, List.of((double) step, (double) step), List.of(lo, hi));
        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 4f}, 0f));
    }

    private static XYChart xy(String title, String xTitle, String yTitle, boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setXAxisTickMarkSpacingHint(80);
        chart.getStyler().setYAxisTickMarkSpacingHint(40);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    /** A per-step series with non-finite points left out (a gap) and values clamped to the log floor. */
    private static XYSeries series(XYChart chart, String name, List<Double> values) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (Double.isFinite(v)) {
                x.add((double) i);
                y.add(Math.max(FLOOR, v));
            }
        }
        if (x.isEmpty()) { // every point non-finite: keep the legend entry honest with one point at the floor
            x.add(0.0);
            y.add(FLOOR);
        }
        return line(chart, name, x, y);
    }

    private static XYSeries line(XYChart chart, String name, List<Double> x, List<Double> y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    private static String save(XYChart chart, Path dir, String name) throws IOException {
        BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return name;
    }
}
