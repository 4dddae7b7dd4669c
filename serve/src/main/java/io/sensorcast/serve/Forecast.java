package io.sensorcast.serve;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sensorcast.json.JsonWriter;
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
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final JsonWriter.Key SENSOR = JsonWriter.key("sensor");
    private static final JsonWriter.Key ISSUED_AT = JsonWriter.key("issuedAt");
    private static final JsonWriter.Key STEP_MS = JsonWriter.key("stepMs");
    private static final JsonWriter.Key MODEL = JsonWriter.key("model");
    private static final JsonWriter.Key MODEL_VERSION = JsonWriter.key("modelVersion");
    private static final JsonWriter.Key METHOD = JsonWriter.key("method");
    private static final JsonWriter.Key POINTS = JsonWriter.key("points");
    private static final JsonWriter.Key TS = JsonWriter.key("ts");
    private static final JsonWriter.Key VALUE = JsonWriter.key("value");
    private static final JsonWriter.Key LO = JsonWriter.key("lo");
    private static final JsonWriter.Key HI = JsonWriter.key("hi");
    private static final ThreadLocal<JsonWriter> WRITER = ThreadLocal.withInitial(() -> new JsonWriter(4096));

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

    /** The record's JSON: what Jackson's generator wrote before, byte for byte, without a String per number. */
    public byte[] toJson() {
        JsonWriter w = WRITER.get().reset();
        w.beginObject()
                .key(SENSOR).string(sensor)
                .key(ISSUED_AT).number(issuedAt)
                .key(STEP_MS).number(stepMs)
                .key(MODEL).string(model)
                .key(MODEL_VERSION);
        if (modelVersion == null) {
            w.nullValue();
        } else {
            w.number(modelVersion.longValue());
        }
        w.key(METHOD).string(method).key(POINTS).beginArray();
        for (Point p : points) {
            w.beginObject()
                    .key(TS).number(p.ts())
                    .key(VALUE).number(p.value())
                    .key(LO).number(p.lo())
                    .key(HI).number(p.hi())
                    .endObject();
        }
        return w.endArray().endObject().toByteArray();
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
