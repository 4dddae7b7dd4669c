package io.sensorcast.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The JSON wire form of {@link SensorSequence}, streamed with Jackson's core API (no reflection, no boxing). */
public final class SensorSequenceJson {
    // Schubfach float formatting: several times faster than Float.toString, and still the shortest round-trip form
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private SensorSequenceJson() {
    }

    public static Serde<SensorSequence> serde() {
        return Serdes.serdeFrom((Serializer<SensorSequence>) (topic, s) -> s == null ? null : toBytes(s),
                (Deserializer<SensorSequence>) (topic, b) -> b == null ? null : fromBytes(b));
    }

    public static byte[] toBytes(SensorSequence s) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(64 + s.values().length * 14);
             JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sensor", s.sensor());
            g.writeNumberField("end", s.end());
            g.writeNumberField("stepMs", s.stepMs());
            g.writeArrayFieldStart("values");
            for (float v : s.values()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("observed");
            for (byte o : s.observed()) {
                g.writeNumber(o);
            }
            g.writeEndArray();
            g.writeNumberField("mean", s.mean());
            g.writeNumberField("std", s.std());
            g.writeNumberField("arrivedAt", s.arrivedAt());
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SensorSequence fromBytes(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            String sensor = null;
            long end = 0;
            long stepMs = 0;
            float[] values = null;
            byte[] observed = null;
            double mean = 0;
            double std = 1;
            long arrivedAt = 0;
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "sensor" -> sensor = p.getText();
                    case "end" -> end = p.getLongValue();
                    case "stepMs" -> stepMs = p.getLongValue();
                    case "values" -> values = readFloats(p);
                    case "observed" -> observed = readBytes(p);
                    case "mean" -> mean = p.getDoubleValue();
                    case "std" -> std = p.getDoubleValue();
                    case "arrivedAt" -> arrivedAt = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            if (sensor == null || values == null) {
                throw new IllegalArgumentException("sequence without sensor or values");
            }
            if (observed == null) {
                observed = new byte[values.length];
                java.util.Arrays.fill(observed, (byte) 1);
            }
            return new SensorSequence(sensor, end, stepMs, values, observed, mean, std, arrivedAt);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed sequence JSON: " + e.getMessage(), e);
        }
    }

    private static float[] readFloats(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY);
        float[] buf = new float[128];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = p.getFloatValue();
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    private static byte[] readBytes(JsonParser p) throws IOException {
        float[] f = readFloats(p);
        byte[] b = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = (byte) f[i];
        }
        return b;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
