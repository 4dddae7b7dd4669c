package io.sensorcast.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sensorcast lab --quick}, once for the class, as a user runs it: the report files and the physics in them. */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class LabCommandTest {
    @TempDir
    static Path dir;
    private static CliRun run;
    private static Map<String, JsonNode> experiments;

    @BeforeAll
    static void runQuickLab() throws IOException {
        run = CliRun.of("lab", "--quick", "--out", dir.toString());
        experiments = new HashMap<>();
        if (Files.exists(dir.resolve("lab.json"))) {
            for (JsonNode e : new ObjectMapper().readTree(dir.resolve("lab.json").toFile()).get("experiments")) {
                experiments.put(e.get("name").asText(), e.get("runs"));
            }
        }
    }

    @Test
    void shouldPrintTheSummaryAndWriteJsonHtmlAndCharts() {
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("1. gradient flow"), run.out());
        assertTrue(run.out().contains("4. leading indicator"), run.out());
        String html = read("lab.html");
        for (String png : new String[] {"gradient-flow.png", "clipping-loss-rnn-tanh.png", "clipping-norms-lstm.png", "policies.png", "leading-indicator.png"}) {
            assertTrue(Files.isRegularFile(dir.resolve(png)) && size(png) > 1000, png);
            assertTrue(html.contains("src=\"" + png + "\""), png + " linked from lab.html");
        }
    }

    @Test
    void shouldRecordOneNormPerStepBackForEveryGradientFlowRun() {
        JsonNode flow = experiments.get("gradient-flow");
        assertEquals(6, flow.size());
        for (JsonNode r : flow) {
            assertEquals(81, r.get("norms").size(), r.get("cell").asText()); // k = 0…T, T = 80 in --quick
        }
    }

    @Test
    void shouldShowVanishingForTanhBelowOneAndLessForTheLstm() {
        double low = decay(flow("rnn-tanh", "spectralRadius", 0.9));
        double high = decay(flow("rnn-tanh", "spectralRadius", 1.1));
        double lstm = decay(flow("lstm", "forgetBias", 1.0));
        assertTrue(low < -1, "tanh 0.9 loses > 10x in 50 steps: " + low);
        assertTrue(high > low + 1, "tanh 1.1 decays far less: " + high + " vs " + low);
        assertTrue(lstm > low, "LSTM forget bias 1 keeps more: " + lstm + " vs " + low);
    }

    @Test
    void shouldKeepGlobalNormClippedTrainingFiniteWhereUnclippedTrainingHasTrouble() {
        int worstUnclipped = 0;
        for (JsonNode r : experiments.get("clipping")) {
            int trouble = r.get("explosions").asInt() + r.get("nonFiniteSteps").asInt();
            if (r.get("clip").isTextual()) {
                worstUnclipped = Math.max(worstUnclipped, trouble);
            } else {
                assertEquals("global-norm", r.get("policy").asText());
                assertEquals(0, r.get("nonFiniteSteps").asInt(), "clipped run " + r.get("cell") + " " + r.get("clip"));
            }
        }
        assertTrue(worstUnclipped > 0, "an unclipped run shows explosions or non-finite steps");
    }

    @Test
    void shouldKeepTheDirectionOnlyUnderGlobalNormClipping() {
        Map<String, Double> cosine = new HashMap<>();
        for (JsonNode r : experiments.get("policies")) {
            cosine.put(r.get("policy").asText(), r.get("cosine").asDouble());
        }
        assertEquals(1.0, cosine.get("global-norm"), 1e-6);
        assertEquals(4, cosine.size());
    }

    @Test
    void shouldRaiseTheSpectralNormConditionBeforeTheFirstExplosion() {
        JsonNode r = experiments.get("leading-indicator").get(0);
        assertFalse(r.get("spectralNormAlertStep").isNull(), "the condition fired");
        assertFalse(r.get("firstExplosionStep").isNull(), "an explosion happened");
        assertTrue(r.get("spectralNormAlertStep").asInt() < r.get("firstExplosionStep").asInt(), r.toString());
    }

    private static JsonNode flow(String cell, String field, double value) {
        for (JsonNode r : experiments.get("gradient-flow")) {
            if (r.get("cell").asText().equals(cell) && !r.get(field).isNull() && r.get(field).asDouble() == value) {
                return r;
            }
        }
        throw new AssertionError("no gradient-flow run " + cell + " " + field + "=" + value);
    }

    private static double decay(JsonNode run) {
        JsonNode n = run.get("norms");
        assertNotNull(n);
        return Math.log10(n.get(50).asDouble() / n.get(0).asDouble());
    }

    private static String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            throw new AssertionError(name + " missing", e);
        }
    }

    private static long size(String name) {
        try {
            return Files.size(dir.resolve(name));
        } catch (IOException e) {
            return -1;
        }
    }
}
