package io.sensorcast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteDesignFieldsWhenSerialised() throws Exception {
        GradientEvent e = new GradientEvent("pumps", 1234, 1_732_440_000_000L, GradientEvent.Kind.NORM_SPIKE, 4500.5, 120,
                120, 3.25, 0.75, Map.of("1", 12.0, "0", 4500.0), GradientEvent.Action.CLIPPED, 1e-4);
        JsonNode n = JSON.readTree(e.toJson());
        assertEquals("pumps", n.get("model").asText());
        assertEquals(1234, n.get("step").asLong());
        assertEquals(1_732_440_000_000L, n.get("ts").asLong());
        assertEquals("norm_spike", n.get("kind").asText());
        assertEquals(4500.5, n.get("preClipNorm").asDouble());
        assertEquals(120, n.get("postClipNorm").asDouble());
        assertEquals(120, n.get("threshold").asDouble());
        assertEquals(3.25, n.get("medianNorm").asDouble());
        assertEquals(0.75, n.get("loss").asDouble());
        assertEquals(4500.0, n.get("layerNorms").get("0").asDouble());
        assertEquals(12.0, n.get("layerNorms").get("1").asDouble());
        assertEquals("clipped", n.get("action").asText());
        assertEquals(1e-4, n.get("learningRate").asDouble());
        assertEquals(12, n.size(), "exactly the DESIGN.md fields");
    }

    @Test
    void shouldWriteNullWhenNumberIsNotFinite() throws Exception {
        GradientEvent e = new GradientEvent("m\"1", 1, 2, GradientEvent.Kind.NONFINITE, Double.NaN, 0, 120, 3, Double.POSITIVE_INFINITY,
                Map.of("0", Double.NaN), GradientEvent.Action.SKIPPED, 1e-3);
        JsonNode n = JSON.readTree(e.toJson());
        assertTrue(n.get("preClipNorm").isNull());
        assertTrue(n.get("loss").isNull());
        assertTrue(n.get("layerNorms").get("0").isNull());
        assertEquals("m\"1", n.get("model").asText());
        assertEquals("skipped", n.get("action").asText());
    }
}
