package io.sensorcast.ops.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's four PNG charts, drawn with XChart (headless). */
public final class ReportCharts {
    public static final String FORECAST = "forecast.png";
    public static final String ERROR_BY_HORIZON = "error-by-horizon.png";
    public static final String TRAINING = "training.png";
    public static final String GRADIENT_NORM = "gradient-norm.png";
    private static final int W = 900;
    private static final int H = 420;

    private ReportCharts() {
    }

    /** Writes every chart into {@code dir}; returns their file names in report order. */
    public static List<String> write(EvalReport r, Path dir) {
        System.setProperty("java.awt.headless", "true");
        save(forecast(r), dir.resolve(FORECAST));
        save(errorByHorizon(r), dir.resolve(ERROR_BY_HORIZON));
        save(training(r), dir.resolve(TRAINING));
        save(gradientNorm(r), dir.resolve(GRADIENT_NORM));
        return List.of(FORECAST, ERROR_BY_HORIZON, TRAINING, GRADIENT_NORM);
    }

    static XYChart forecast(EvalReport r) {
        EvalReport.Stretch s = r.stretch();
        XYChart c = base("Forecast vs actual, start of the test span (origins every " + r.horizon() + " steps)",
                "step after the first test origin", "value (series units)");
        double[] x = range(s.actual().length);
        XYSeries band = c.addSeries("online 80% interval", x, s.onlineHi(), null);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.addSeries("online lo", x, s.onlineLo()).setLineColor(new Color(120, 160, 230)).setLineStyle(dashed())
                .setShowInLegend(false);
        band.setLineColor(new Color(120, 160, 230)).setLineStyle(dashed());
        c.addSeries("actual", x, s.actual()).setLineColor(Color.BLACK);
        c.addSeries("lstm-online", x, s.online()).setLineColor(new Color(30, 90, 200));
        c.addSeries("lstm-frozen", x, s.frozen()).setLineColor(new Color(230, 120, 20));
        c.addSeries("persistence", x, s.persistence()).setLineColor(Color.GRAY).setLineStyle(dashed());
        return c;
    }

    static XYChart errorByHorizon(EvalReport r) {
        XYChart c = base("Test MSE by lead (normalised, train statistics)", "lead (steps ahead)", "MSE");
        c.getStyler().setMarkerSize(5);
        double[] x = new double[r.horizon()];
        for (int k = 0; k < x.length; k++) {
            x[k] = k + 1;
        }
        Color[] colours = {new Color(230, 120, 20), new Color(30, 90, 200), Color.GRAY, new Color(40, 160, 60)};
        int i = 0;
        for (MethodScore m : r.results()) {
            XYSeries series = c.addSeries(m.method(), x, m.mseByLead());
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(colours[i % colours.length]);
            series.setMarkerColor(colours[i % colours.length]);
            i++;
        }
        return c;
    }

    static XYChart training(EvalReport r) {
        XYChart c = base("Training curve", "training step", "MSE (normalised)");
        c.getStyler().setMarkerSize(7); // for the per-pass validation points; the lines below have no markers
        List<EvalReport.TrainingStep> steps = r.stepReports();
        double[] x = range(steps.size());
        double[] loss = smoothed(steps.stream().mapToDouble(EvalReport.TrainingStep::loss).toArray(), 20);
        c.addSeries("training loss (moving mean of 20 steps)", x, loss).setMarker(SeriesMarkers.NONE);
        int perPass = Math.max(1, r.onlineFrom() / Math.max(1, r.passes()));
        double[] vx = new double[r.validationMse().size()];
        double[] vy = new double[vx.length];
        for (int i = 0; i < vx.length; i++) {
            vx[i] = Math.min(r.onlineFrom(), (long) (i + 1) * perPass) - 1;
            vy[i] = r.validationMse().get(i);
        }
        if (vx.length > 0) {
            c.addSeries("validation MSE after each pass", vx, vy).setMarker(SeriesMarkers.DIAMOND);
        }
        double top = Math.max(max(loss), max(vy));
        XYSeries start = c.addSeries("online learning starts", new double[] {r.onlineFrom(), r.onlineFrom()}, new double[] {0, top});
        start.setMarker(SeriesMarkers.NONE);
        start.setLineColor(Color.GRAY);
        start.setLineStyle(dashed());
        return c;
    }

    static XYChart gradientNorm(EvalReport r) {
        XYChart c = base("Pre-clip gradient norm per step", "training step", "global norm (DL4J units)");
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setMarkerSize(10); // for the explosion crosses; the lines have no markers
        List<EvalReport.TrainingStep> steps = r.stepReports();
        double[] x = range(steps.size());
        double[] norms = steps.stream().mapToDouble(s -> Double.isFinite(s.preClipNorm()) && s.preClipNorm() > 0
                ? s.preClipNorm() : Double.NaN).toArray();
        c.addSeries("pre-clip norm", x, norms).setMarker(SeriesMarkers.NONE);
        double t = r.model().clipThreshold();
        XYSeries threshold = c.addSeries("clip threshold " + t, new double[] {0, Math.max(1, steps.size() - 1)}, new double[] {t, t});
        threshold.setMarker(SeriesMarkers.NONE);
        threshold.setLineColor(Color.RED);
        threshold.setLineStyle(dashed());
        List<Double> ex = new ArrayList<>();
        List<Double> ey = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).explosion()) {
                ex.add((double) i);
                ey.add(Double.isFinite(norms[i]) ? norms[i] : t);
            }
        }
        if (ex.isEmpty()) {
            c.setTitle(c.getTitle() + " (no explosions)");
        } else {
            XYSeries explosions = c.addSeries("explosions (" + ex.size() + ")", unbox(ex), unbox(ey));
            explosions.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            explosions.setMarker(SeriesMarkers.CROSS);
            explosions.setMarkerColor(Color.RED);
        }
        return c;
    }

    private static XYChart base(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(0); // thousands of points: lines only (error by lead sets its own markers)
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        return c;
    }

    private static BasicStroke dashed() {
        return new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f);
    }

    private static void save(XYChart chart, Path file) {
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static double[] range(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    private static double[] smoothed(double[] v, int k) {
        double[] out = new double[v.length];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (Double.isFinite(v[i])) {
                sum += v[i];
                n++;
            }
            if (i >= k && Double.isFinite(v[i - k])) {
                sum -= v[i - k];
                n--;
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) {
            if (Double.isFinite(d)) {
                m = Math.max(m, d);
            }
        }
        return m;
    }

    private static double[] unbox(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
