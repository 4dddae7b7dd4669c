package io.sensorcast.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One record of {@code forecasts} (DESIGN.md), in the sensor's own units:
 * <pre>{@code {"sensor":"pump-7.temp","issuedAt":1732445700000,"stepMs":60000,"model":"default","modelVersion":7,
 *  "method":"lstm","points":[{"ts":1732445760000,"value":71.4,"lo":70.9,"hi":71.9}, ...horizon points]}}</pre>
 * {@code issuedAt} is the {@code end} of the sequence the forecast was made from, so there is one forecast per
 * (sensor, issuedAt); point {@code k} (from 0) is for {@code issuedAt + (k+1)·stepMs}. {@code modelVersion} is
 * {@code null} when {@code method} is {@code persistence} (no verified checkpoint for the sensor's model yet).
 */
public record Forecast(String sensor, long issuedAt, long stepMs, String model, Long modelVersion, String method,
                       List<Point> points) {
    public static final String LSTM = "lstm";
    public static final String PERSISTENCE = "persistence";
    // Schubfach double formatting: several times faster than Double.toString, the same shortest round-trip text
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /** One forecast step: its time, the point forecast and the prediction interval {@code [lo, hi]}. */
    public record Point(long ts, double value, double lo, double hi) {
    }

    public Forecast {
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(method, "method");
        points = List.copyOf(points);
    }

    public static Serde<Forecast> serde() {
        return Serdes.serdeFrom((Serializer<Forecast>) (topic, f) -> f == null ? null : f.toJson(),
                (Deserializer<Forecast>) (topic, b) -> b == null ? null : fromJson(b));
    }

    public byte[] toJson() {
        try (ByteArrayBuilder out = new ByteArrayBuilder(160 + points.size() * 80);
             JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sensor", sensor);
            g.writeNumberField("issuedAt", issuedAt);
            g.writeNumberField("stepMs", stepMs);
            g.writeStringField("model", model);
            if (modelVersion == null) {
                g.writeNullField("modelVersion");
            } else {
                g.writeNumberField("modelVersion", modelVersion);
            }
            g.writeStringField("method", method);
            g.writeArrayFieldStart("points");
            for (Point p : points) {
                g.writeStartObject();
                g.writeNumberField("ts", p.ts());
                g.writeNumberField("value", p.value());
                g.writeNumberField("lo", p.lo());
                g.writeNumberField("hi", p.hi());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Forecast fromJson(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            String sensor = null;
            String model = null;
            String method = null;
            Long version = null;
            long issuedAt = 0;
            long stepMs = 0;
            List<Point> points = new ArrayList<>();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("forecast is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "sensor" -> sensor = p.getText();
                    case "issuedAt" -> issuedAt = p.getLongValue();
                    case "stepMs" -> stepMs = p.getLongValue();
                    case "model" -> model = p.getText();
                    case "modelVersion" -> version = t == JsonToken.VALUE_NULL ? null : p.getLongValue();
                    case "method" -> method = p.getText();
                    case "points" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            long ts = 0;
                            double value = 0;
                            double lo = 0;
                            double hi = 0;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                switch (f) {
                                    case "ts" -> ts = p.getLongValue();
                                    case "value" -> value = p.getDoubleValue();
                                    case "lo" -> lo = p.getDoubleValue();
                                    case "hi" -> hi = p.getDoubleValue();
                                    default -> p.skipChildren();
                                }
                            }
                            points.add(new Point(ts, value, lo, hi));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new Forecast(sensor, issuedAt, stepMs, model, version, method, points);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed forecast JSON: " + e.getMessage(), e);
        }
    }
}
