package io.sensorcast.ops.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The three faces of an {@link EvalReport}: the console table, {@code report.json} (DESIGN.md "Machine-readable
 * results", extended with the validation figures and the run's settings) and {@code report.html} with
 * {@link ReportCharts}.
 */
public final class AccuracyReport {
    public static final String JSON = "report.json";
    public static final String HTML = "report.html";
    /** Informer paper (Zhou et al., AAAI 2021), univariate ETTh1, LSTMa at horizon 24. */
    static final String PUBLISHED = "published LSTMa (Informer, ETTh1 h=24): MSE 0.114, MAE 0.272";

    private AccuracyReport() {
    }

    public static void printTable(EvalReport r, PrintWriter out) {
        out.println(String.format(Locale.ROOT, "%s: %d rows, split %d/%d/%d, step %s, window %d, horizon %d, season %d steps",
                r.series(), r.rows(), r.split().train(), r.split().validation(), r.split().test(),
                Duration.ofMillis(r.stepMs()), r.window(), r.horizon(), r.season()));
        out.println(String.format(Locale.ROOT, "frozen model: best of %d passes = pass %d; %d test origins; %d sequences, "
                        + "%d dead letters; %.0f s", r.passes(), r.bestPass(), r.testOrigins(), r.sequences(), r.deadLetters(),
                r.seconds()));
        out.println(table("test", r.results()));
        out.println(table("validation (used to choose settings)", r.validation()));
        out.println("normalised = z-score with the train rows' mean and std; " + PUBLISHED);
        out.flush();
    }

    static String table(String title, List<MethodScore> scores) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append('\n');
        sb.append(String.format(Locale.ROOT, "  %-15s %9s %9s %11s %11s %7s %9s%n", "method", "MSE", "MAE", "MSE raw",
                "MAE raw", "MASE", "MAE/pers"));
        double pers = persistenceMae(scores);
        for (MethodScore m : scores) {
            sb.append(String.format(Locale.ROOT, "  %-15s %9.4f %9.4f %11.4f %11.4f %7.3f %9.3f%n", m.method(), m.mse(),
                    m.mae(), m.mseRaw(), m.maeRaw(), m.mase(), m.mae() / pers));
        }
        return sb.toString().stripTrailing();
    }

    private static double persistenceMae(List<MethodScore> scores) {
        return scores.stream().filter(s -> s.method().equals(EvalRunner.PERSISTENCE)).findFirst().orElseThrow().mae();
    }

    /** Writes report.json, the charts and report.html into {@code dir} (created if missing). */
    public static void write(EvalReport r, Path dir) {
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(), json(r));
            List<String> charts = ReportCharts.write(r, dir);
            Files.writeString(dir.resolve(HTML), html(r, charts), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Object> json(EvalReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("series", r.series());
        m.put("rows", r.rows());
        m.put("split", r.split().asArray());
        m.put("horizon", r.horizon());
        m.put("window", r.window());
        m.put("stepMs", r.stepMs());
        m.put("season", r.season());
        m.put("normalisation", Map.of("method", "z-score with the train rows' mean and population std",
                "mean", r.statistics().mean(), "std", r.statistics().std(), "naiveScale", r.statistics().naiveScale()));
        m.put("results", rows(r.results()));
        m.put("validation", rows(r.validation()));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("passes", r.passes());
        training.put("bestPass", r.bestPass());
        training.put("validationMseByPass", r.validationMse());
        training.put("steps", r.stepReports().size());
        training.put("onlineSteps", r.stepReports().size() - r.onlineFrom());
        training.put("explosions", r.stepReports().stream().filter(EvalReport.TrainingStep::explosion).count());
        m.put("training", training);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("cell", r.model().cell().code());
        model.put("hidden", r.model().hidden());
        model.put("layers", r.model().layers());
        model.put("batchSize", r.model().batchSize());
        model.put("learningRate", r.model().learningRate());
        model.put("onlineLearningRate", r.model().onlineLearningRate());
        model.put("warmupSteps", r.model().warmupSteps());
        model.put("annealSteps", r.model().annealSteps());
        model.put("relativeToLastValue", r.model().relativeToLastValue());
        model.put("reReferenceInputs", r.model().reReferenceInputs());
        model.put("clipping", r.model().clippingPolicy().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        model.put("clipThreshold", r.model().clipThreshold());
        model.put("seed", r.model().seed());
        m.put("model", model);
        m.put("sequences", r.sequences());
        m.put("deadLetters", r.deadLetters());
        m.put("testOrigins", r.testOrigins());
        m.put("seconds", r.seconds());
        return m;
    }

    private static List<Map<String, Object>> rows(List<MethodScore> scores) {
        double pers = persistenceMae(scores);
        List<Map<String, Object>> out = new ArrayList<>();
        for (MethodScore s : scores) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("method", s.method());
            row.put("mse", s.mse());
            row.put("mae", s.mae());
            row.put("mseRaw", s.mseRaw());
            row.put("maeRaw", s.maeRaw());
            row.put("mase", s.mase());
            row.put("maeVsPersistence", s.mae() / pers);
            row.put("points", s.points());
            row.put("mseByLead", s.mseByLead());
            out.add(row);
        }
        return out;
    }

    static String html(EvalReport r, List<String> charts) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sensorcast eval: ")
                .append(escape(r.series())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:960px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}img{display:block;margin:1em 0;border:1px solid #eee}"
                        + "</style></head>\n<body>\n");
        sb.append("<h1>Accuracy of ").append(escape(r.series())).append("</h1>\n");
        sb.append(String.format(Locale.ROOT, "<p>%d rows, split %d / %d / %d (train / validation / test), step %s, window %d, "
                        + "horizon %d, season %d steps. Frozen model: best of %d passes on validation (pass %d). %d test origins.</p>%n",
                r.rows(), r.split().train(), r.split().validation(), r.split().test(), Duration.ofMillis(r.stepMs()),
                r.window(), r.horizon(), r.season(), r.passes(), r.bestPass(), r.testOrigins()));
        sb.append(String.format(Locale.ROOT, "<p>Model: %s %d×%d, inputs %s, batch %d, Adam %.0e → %.0e, %s clipping at %.0f.</p>%n",
                r.model().cell().code(), r.model().layers(), r.model().hidden(),
                r.model().reReferenceInputs() ? "re-referenced to the last value" : "plain", r.model().batchSize(),
                r.model().learningRate(), r.model().onlineLearningRate(),
                r.model().clippingPolicy().name().toLowerCase(Locale.ROOT).replace('_', '-'), r.model().clipThreshold()));
        sb.append("<h2>Test span</h2>\n").append(htmlTable(r.results()));
        sb.append("<p>MSE and MAE are z-scored with the train rows' mean and std (the published tables' convention); "
                + "raw columns are in the series' units; MASE scales MAE by the train span's one-step naive MAE. ")
                .append(escape(PUBLISHED)).append(".</p>\n");
        sb.append("<h2>Validation span</h2>\n").append(htmlTable(r.validation()));
        sb.append("<h2>Charts</h2>\n");
        for (String c : charts) {
            sb.append("<img src=\"").append(c).append("\" alt=\"").append(c).append("\" width=\"900\" height=\"420\">\n");
        }
        // lets a headless browser report how many charts actually decoded (the CI check reads this attribute)
        sb.append("<script>window.addEventListener('load',function(){var n=0;for(var i of document.images)"
                + "{if(i.complete&&i.naturalWidth>0)n++;}document.body.setAttribute('data-images-loaded',n+'/'+document.images.length);});"
                + "</script>\n");
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static String htmlTable(List<MethodScore> scores) {
        double pers = persistenceMae(scores);
        StringBuilder sb = new StringBuilder("<table><tr><th>method</th><th>MSE</th><th>MAE</th><th>MSE raw</th>"
                + "<th>MAE raw</th><th>MASE</th><th>MAE / persistence</th></tr>\n");
        for (MethodScore m : scores) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.4f</td>"
                            + "<td>%.3f</td><td>%.3f</td></tr>%n", m.method(), m.mse(), m.mae(), m.mseRaw(), m.maeRaw(),
                    m.mase(), m.mae() / pers));
        }
        return sb.append("</table>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
