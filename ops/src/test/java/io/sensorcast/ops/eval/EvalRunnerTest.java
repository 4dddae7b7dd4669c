package io.sensorcast.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorcast.model.ModelConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short eval (a daily sine, 1,200 hourly rows, a small LSTM) shared by the specifications below. */
class EvalRunnerTest {
    @TempDir
    static Path dir;
    static EvalReport report;
    static Path out;

    @BeforeAll
    static void runShortEval() {
        Path csv = SyntheticSeries.write(dir.resolve("sine.csv"), 1200, 0);
        // re-referenced inputs: eval's default (EvalCommand), which the serve replay must accept
        ModelConfig model = ModelConfig.defaults().withShape(48, 12).withHidden(16).withTbptt(12, 12).withReReferenceInputs(true)
                .withClipping(io.sensorcast.model.ClippingPolicy.GLOBAL_NORM, ModelConfig.pytorchEquivalentThreshold(5, 12));
        EvalSettings settings = new EvalSettings(csv, "ts", "value", null, null, "0.6,0.2,0.2", 4, 2, 5, 1, model);
        report = new EvalRunner(settings, new PrintWriter(new StringWriter())).run();
        out = dir.resolve("report");
        AccuracyReport.write(report, out);
    }

    @Test
    void shouldInferTheStepAndSeasonFromTheTimestamps() {
        assertEquals(3_600_000L, report.stepMs());
        assertEquals(24, report.season());
    }

    @Test
    void shouldBeatPersistenceOnASeasonalSeriesWithBothModelRows() {
        double persistence = report.result(EvalRunner.PERSISTENCE).mse();
        assertTrue(report.result(EvalRunner.FROZEN).mse() < persistence,
                "frozen " + report.result(EvalRunner.FROZEN).mse() + " vs persistence " + persistence);
        assertTrue(report.result(EvalRunner.ONLINE).mse() < persistence,
                "online " + report.result(EvalRunner.ONLINE).mse() + " vs persistence " + persistence);
    }

    @Test
    void shouldScoreEveryMethodOnTheSamePoints() {
        long points = report.result(EvalRunner.PERSISTENCE).points();
        // 240 test rows, origins t with t+1 in the test span and t+12 not past it: 240 − 12 + 1 = 229, 12 leads each
        // (the test span ends the file: its last step is closed by eval's closing reading, so no target is missing)
        assertEquals(229L * 12, points);
        for (MethodScore m : report.results()) {
            assertEquals(points, m.points(), m.method());
        }
    }

    @Test
    void shouldWriteReportJsonInTheDesignFormat() throws Exception {
        JsonNode json = new ObjectMapper().readTree(out.resolve(AccuracyReport.JSON).toFile());
        assertEquals(1200, json.get("rows").asInt());
        assertEquals("[720,240,240]", json.get("split").toString());
        assertEquals(12, json.get("horizon").asInt());
        assertEquals(48, json.get("window").asInt());
        Set<String> methods = new HashSet<>();
        for (JsonNode r : json.get("results")) {
            methods.add(r.get("method").asText());
            for (String field : List.of("mse", "mae", "mseRaw", "maeRaw", "mase", "maeVsPersistence")) {
                assertTrue(r.get(field).isNumber() && Double.isFinite(r.get(field).asDouble()), field + " of " + r);
            }
        }
        assertEquals(Set.of("lstm-frozen", "lstm-online", "persistence", "seasonal-naive"), methods);
    }

    @Test
    void shouldWriteEveryChartAsAPng() throws Exception {
        for (String chart : List.of(ReportCharts.FORECAST, ReportCharts.ERROR_BY_HORIZON, ReportCharts.TRAINING,
                ReportCharts.GRADIENT_NORM)) {
            BufferedImage image = ImageIO.read(out.resolve(chart).toFile());
            assertEquals(900, image.getWidth(), chart);
            assertTrue(Files.readString(out.resolve(AccuracyReport.HTML)).contains("src=\"" + chart + "\""), chart);
        }
    }

    @Test
    void shouldRenderEveryChartInHeadlessChromium() throws Exception {
        String chromium = chromium();
        Path html = out.resolve(AccuracyReport.HTML);
        String dom = run(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                "--dump-dom", html.toUri().toString());
        Matcher loaded = Pattern.compile("data-images-loaded=\"(\\d+)/(\\d+)\"").matcher(dom);
        assertTrue(loaded.find(), "the page's load script did not run:\n" + dom.substring(0, Math.min(500, dom.length())));
        assertEquals("4", loaded.group(2));
        assertEquals("4", loaded.group(1), "charts that failed to load in Chromium");

        Path shot = dir.resolve("screenshot.png");
        run(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,2400",
                "--screenshot=" + shot, html.toUri().toString());
        BufferedImage image = ImageIO.read(shot.toFile());
        int nonWhite = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != 0xFFFFFF) {
                    nonWhite++;
                }
            }
        }
        int sampled = (image.getHeight() / 2) * (image.getWidth() / 2);
        assertTrue(nonWhite > sampled / 50, "screenshot is nearly blank: " + nonWhite + " of " + sampled + " pixels drawn");
        assertTrue(colours.size() > 20, "screenshot has only " + colours.size() + " colours");
    }

    private static String chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new AssertionError("Chromium is needed to check report.html: apt-get install chromium (.ci/run does)");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium exit code");
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
