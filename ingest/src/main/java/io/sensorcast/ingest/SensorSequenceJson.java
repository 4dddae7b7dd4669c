package io.sensorcast.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.sensorcast.json.JsonScanner;
import io.sensorcast.json.JsonWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON wire form of {@link SensorSequence} (DESIGN.md, {@code sensor-sequences}).
 *
 * <p>Both directions are hand-written for the hot path: ingest writes one of these per reading and serve parses one
 * per forecast, and through Jackson the 96 numbers of a window cost most of serve's stream thread (a String per
 * number each way). The writer gives exactly the bytes Jackson's generator gave (numbers in their shortest
 * round-trip form); the reader handles the form ingest writes, and any field order and whitespace, without a String
 * per number, and hands everything else (escaped or non-ASCII sensor ids, unknown fields, integers beyond long range,
 * other numbers with over 18 significant digits, malformed input) to Jackson, so it returns what Jackson returns and rejects what Jackson rejects. A sequence read back equals
 * the one written, bit for bit.
 */
public final class SensorSequenceJson {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    private static final JsonWriter.Key SENSOR = JsonWriter.key("sensor");
    private static final JsonWriter.Key END = JsonWriter.key("end");
    private static final JsonWriter.Key STEP_MS = JsonWriter.key("stepMs");
    private static final JsonWriter.Key VALUES = JsonWriter.key("values");
    private static final JsonWriter.Key OBSERVED = JsonWriter.key("observed");
    private static final JsonWriter.Key MEAN = JsonWriter.key("mean");
    private static final JsonWriter.Key STD = JsonWriter.key("std");
    private static final JsonWriter.Key ARRIVED_AT = JsonWriter.key("arrivedAt");
    private static final byte[][] FIELDS = names("sensor", "end", "stepMs", "values", "observed", "mean", "std", "arrivedAt");
    private static final ThreadLocal<JsonWriter> WRITER = ThreadLocal.withInitial(() -> new JsonWriter(2048));

    private SensorSequenceJson() {
    }

    public static Serde<SensorSequence> serde() {
        return Serdes.serdeFrom((Serializer<SensorSequence>) (topic, s) -> s == null ? null : toBytes(s),
                (Deserializer<SensorSequence>) (topic, b) -> b == null ? null : fromBytes(b));
    }

    public static byte[] toBytes(SensorSequence s) {
        JsonWriter w = WRITER.get().reset();
        w.beginObject()
                .key(SENSOR).string(s.sensor())
                .key(END).number(s.end())
                .key(STEP_MS).number(s.stepMs())
                .key(VALUES).beginArray();
        for (float v : s.values()) {
            w.number(v);
        }
        w.endArray().key(OBSERVED).beginArray();
        for (byte o : s.observed()) {
            w.number(o);
        }
        return w.endArray()
                .key(MEAN).number(s.mean())
                .key(STD).number(s.std())
                .key(ARRIVED_AT).number(s.arrivedAt())
                .endObject()
                .toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a sequence (Jackson's message) */
    public static SensorSequence fromBytes(byte[] bytes) {
        try {
            return fromBytesWithoutJackson(bytes);
        } catch (JsonScanner.Unsupported e) {
            return fromBytesWithJackson(bytes);
        }
    }

    /** The fast path alone: the sequence, or {@link JsonScanner.Unsupported} for what only Jackson reads. */
    static SensorSequence fromBytesWithoutJackson(byte[] bytes) {
        JsonScanner in = new JsonScanner(bytes);
        String sensor = null;
        long end = 0;
        long stepMs = 0;
        float[] values = null;
        byte[] observed = null;
        double mean = 0;
        double std = 1;
        long arrivedAt = 0;
        in.expect('{');
        do {
            switch (in.fieldName(FIELDS)) {
                case 0 -> sensor = in.string();
                case 1 -> end = in.longValue();
                case 2 -> stepMs = in.longValue();
                case 3 -> values = in.floatArray();
                case 4 -> observed = narrowed(in.floatArray());
                case 5 -> mean = in.doubleValue();
                case 6 -> std = in.doubleValue();
                case 7 -> arrivedAt = in.longValue();
                default -> throw new IllegalStateException("field index out of FIELDS");
            }
        } while (in.consume(','));
        in.expect('}');
        // bytes after the object are not read, as with Jackson's
        if (sensor == null || values == null) {
            throw JsonScanner.unsupported(); // Jackson's exception, with its message
        }
        return new SensorSequence(sensor, end, stepMs, values, observedOrAll(observed, values.length), mean, std, arrivedAt);
    }

    /** A record without {@code observed} had every step observed. */
    private static byte[] observedOrAll(byte[] observed, int length) {
        if (observed != null) {
            return observed;
        }
        byte[] all = new byte[length];
        Arrays.fill(all, (byte) 1);
        return all;
    }

    /** As Jackson's reader does it: each number read as a float, then narrowed. */
    private static byte[] narrowed(float[] numbers) {
        byte[] b = new byte[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            b[i] = (byte) numbers[i];
        }
        return b;
    }

    private static byte[][] names(String... names) {
        byte[][] b = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            b[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return b;
    }

    /** The general path: Jackson's streaming parser, for everything the scanner leaves to it. */
    static SensorSequence fromBytesWithJackson(byte[] bytes) {
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
            return new SensorSequence(sensor, end, stepMs, values, observedOrAll(observed, values.length), mean, std, arrivedAt);
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
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = p.getFloatValue();
        }
        return Arrays.copyOf(buf, n);
    }

    private static byte[] readBytes(JsonParser p) throws IOException {
        return narrowed(readFloats(p));
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
