package io.sensorcast.ops.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sensorcast.model.lab.GradientLab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes {@code DIR/lab.json}, the PNG charts and {@code DIR/lab.html} that shows them with the summary table. */
public final class LabReportFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LabReportFiles() {
    }

    public static void write(GradientLab.Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("lab.json"), JSON.writeValueAsString(LabJson.document(report)), StandardCharsets.UTF_8);
        Map<String, String> charts = LabCharts.writeAll(report, dir);
        Files.writeString(dir.resolve("lab.html"), html(report, charts), StandardCharsets.UTF_8);
    }

    static String html(GradientLab.Report report, Map<String, String> charts) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sensorcast gradient lab</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;line-height:1.45}")
                .append("pre{background:#f6f6f6;padding:1em;overflow-x:auto}img{max-width:100%;border:1px solid #ddd}</style>")
                .append("</head><body>\n<h1>Sensorcast gradient lab</h1>\n")
                .append("<p>Every number below comes from the project's own network builder, trainer, clipper and explosion ")
                .append("detector (see README, \"The gradient lab\"). Machine-readable: <a href=\"lab.json\">lab.json</a>.</p>\n")
                .append("<h2>Summary</h2>\n<pre>").append(escape(LabSummary.table(report))).append("</pre>\n");
        for (Map.Entry<String, String> c : charts.entrySet()) {
            b.append("<h3>").append(escape(c.getValue())).append("</h3>\n<img src=\"").append(c.getKey())
                    .append("\" alt=\"").append(escape(c.getValue())).append("\">\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
