package io.sensorcast.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import io.sensorcast.ingest.ParseResult.Parsed;
import io.sensorcast.ingest.ParseResult.Rejected;
import io.sensorcast.json.JsonScanner;

/**
 * Turns the raw key and value bytes of a {@code sensor-readings} record into a {@link ParseResult}: never throws on
 * bad input. Streams the JSON with Jackson's core parser (no trees, no reflection); the common shape first takes a
 * fast path on {@link JsonScanner} ({@link #tryFast}) that gives exactly Jackson's result, as parsing was ~15% of a
 * stream thread's CPU.
 *
 * <p>Rules (DESIGN.md): the value must be exactly one JSON object in valid UTF-8 (whitespace may follow it, nothing
 * else); {@code ts} (epoch ms, or an ISO-8601 date-time, UTC when it has no offset) and {@code value} (a finite
 * JSON number) are required; the sensor id is the {@code sensor} field when present, otherwise the key; other
 * fields are ignored; a field given twice is malformed. Examples with the defaults and a wall clock in 2026:
 * <pre>
 * key "s1", {"ts":1732440000000,"value":71.3}                → Parsed(s1, 1732440000000, 71.3, keyIsSensor=true)
 * null,     {"sensor":"s1","ts":"2024-11-24T09:20:00Z","value":1} → Parsed(s1, 1732440000000, 1.0, keyIsSensor=false)
 * "s2",     {"sensor":"s2","ts":1732440000000,"value":"12,5"} → Rejected(wrong_type, "value must be a number, found a string")
 * "s4",     {"sensor":"s4","ts":"9999-01-01T00:00:00Z","value":4} → Rejected(timestamp_out_of_range, …)
 * </pre>
 * Thread-safe; one instance may serve every stream thread.
 */
public final class ReadingParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // so NaN/Infinity are reported as such, not as syntax
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            // a per-parser child symbol table costs more to set up (~0.5 KB of tables per record) than decoding
            // three short field names does
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();
    private static final int MAX_DETAIL = 200;
    // the fields of the fast path, numbered as JsonScanner.fieldName() reports them
    private static final byte[][] FIELD_NAMES = {
            "sensor".getBytes(StandardCharsets.US_ASCII), "ts".getBytes(StandardCharsets.US_ASCII),
            "value".getBytes(StandardCharsets.US_ASCII)};
    private static final int SENSOR = 0;
    private static final int TS = 1;

    private final long minTs;
    private final long maxFutureSkewMs;
    private final int maxSensorIdLength;
    private final double maxAbsValue;

    public ReadingParser(IngestConfig config) {
        this.minTs = config.minTimestamp().toEpochMilli();
        this.maxFutureSkewMs = config.maxFutureSkew().toMillis();
        this.maxSensorIdLength = config.maxSensorIdLength();
        this.maxAbsValue = config.maxAbsValue();
    }

    /**
     * @param key   the record key (may be null or empty: then the {@code sensor} field must name the sensor)
     * @param value the record value
     * @param nowMs the wall clock, for the upper timestamp bound
     */
    public ParseResult parse(byte[] key, byte[] value, long nowMs) {
        return parse(key, value, nowMs, true);
    }

    /** {@link #parse} without the fast path: the reference the tests hold the fast path to. */
    ParseResult parseWithJackson(byte[] key, byte[] value, long nowMs) {
        return parse(key, value, nowMs, false);
    }

    private ParseResult parse(byte[] key, byte[] value, long nowMs, boolean fast) {
        if (value == null || value.length == 0) {
            return new Rejected(RejectReason.MALFORMED_JSON, "empty value");
        }
        int bad = firstInvalidUtf8(value);
        if (bad >= 0) {
            return new Rejected(RejectReason.INVALID_UTF8, "value is not valid UTF-8 at byte " + bad);
        }
        String keyString = null;
        if (key != null && key.length > 0) {
            if (firstInvalidUtf8(key) >= 0) {
                return new Rejected(RejectReason.INVALID_UTF8, "key is not valid UTF-8");
            }
            keyString = new String(key, StandardCharsets.UTF_8);
        }
        if (fast) {
            ParseResult r = tryFast(value, keyString, nowMs);
            if (r != null) {
                return r;
            }
        }
        return readWithJackson(value, keyString, nowMs);
    }

    private ParseResult readWithJackson(byte[] value, String keyString, long nowMs) {
        String sensor = null;
        long ts = 0;
        double v = 0;
        boolean hasTs = false;
        boolean hasValue = false;
        boolean hasSensor = false;
        try (JsonParser p = JSON.createParser(value)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                return new Rejected(RejectReason.MALFORMED_JSON, "expected a JSON object, found " + describe(first));
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken vt = p.nextToken();
                switch (field) {
                    case "ts" -> {
                        if (hasTs) {
                            return duplicate(field);
                        }
                        hasTs = true;
                        if (vt == JsonToken.VALUE_NUMBER_INT) {
                            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                                return new Rejected(RejectReason.TIMESTAMP_OUT_OF_RANGE, "ts " + clip(p.getText()) + " does not fit epoch milliseconds");
                            }
                            ts = p.getLongValue();
                        } else if (vt == JsonToken.VALUE_NUMBER_FLOAT) {
                            double d = p.getDoubleValue();
                            if (!(d == Math.rint(d)) || Math.abs(d) > 9.0e15) {
                                return new Rejected(RejectReason.WRONG_TYPE, "ts must be whole epoch milliseconds, found " + clip(p.getText()));
                            }
                            ts = (long) d;
                        } else if (vt == JsonToken.VALUE_STRING) {
                            String s = p.getText();
                            try {
                                ts = parseIsoTimestamp(s);
                            } catch (DateTimeException | ArithmeticException e) {
                                return new Rejected(RejectReason.WRONG_TYPE, "ts must be epoch ms or an ISO-8601 date-time, found \"" + clip(s) + "\"");
                            }
                        } else {
                            return new Rejected(RejectReason.WRONG_TYPE, "ts must be epoch ms or an ISO-8601 string, found " + describe(vt));
                        }
                    }
                    case "value" -> {
                        if (hasValue) {
                            return duplicate(field);
                        }
                        hasValue = true;
                        if (vt != JsonToken.VALUE_NUMBER_INT && vt != JsonToken.VALUE_NUMBER_FLOAT) {
                            return new Rejected(RejectReason.WRONG_TYPE, "value must be a number, found " + describe(vt));
                        }
                        v = p.getDoubleValue();
                        if (!Double.isFinite(v)) {
                            String text = p.getText();
                            return text.chars().anyMatch(Character::isDigit)
                                    ? new Rejected(RejectReason.VALUE_OUT_OF_RANGE, "value " + clip(text) + " overflows a double")
                                    : new Rejected(RejectReason.NON_FINITE_VALUE, "value is " + clip(text));
                        }
                        if (Math.abs(v) > maxAbsValue) {
                            return new Rejected(RejectReason.VALUE_OUT_OF_RANGE, "value " + v + " exceeds the bound " + maxAbsValue);
                        }
                    }
                    case "sensor" -> {
                        if (hasSensor) {
                            return duplicate(field);
                        }
                        hasSensor = true;
                        if (vt == JsonToken.VALUE_STRING) {
                            sensor = p.getText();
                        } else if (vt != JsonToken.VALUE_NULL) {
                            return new Rejected(RejectReason.WRONG_TYPE, "sensor must be a string, found " + describe(vt));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                return new Rejected(RejectReason.MALFORMED_JSON, "unexpected " + describe(p.currentToken()));
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                return new Rejected(RejectReason.MALFORMED_JSON, "trailing data after the JSON object: " + describe(trailing));
            }
        } catch (JsonProcessingException e) {
            return new Rejected(RejectReason.MALFORMED_JSON, clip(e.getOriginalMessage()));
        } catch (IOException e) {
            return new Rejected(RejectReason.MALFORMED_JSON, clip(String.valueOf(e.getMessage())));
        }
        return checkFields(sensor, hasTs, ts, hasValue, v, keyString, nowMs);
    }

    /** The checks that follow reading the fields, the same for both paths. */
    private ParseResult checkFields(String sensor, boolean hasTs, long ts, boolean hasValue, double v, String keyString, long nowMs) {
        if (!hasTs) {
            return new Rejected(RejectReason.MISSING_FIELD, "ts is missing");
        }
        if (!hasValue) {
            return new Rejected(RejectReason.MISSING_FIELD, "value is missing");
        }
        if (sensor == null) {
            if (keyString == null) {
                return new Rejected(RejectReason.MISSING_FIELD, "sensor is missing from both the key and the value");
            }
            sensor = keyString;
        }
        String invalid = sensorIdProblem(sensor);
        if (invalid != null) {
            return new Rejected(RejectReason.INVALID_SENSOR_ID, invalid);
        }
        if (ts < minTs || ts > nowMs + maxFutureSkewMs) {
            return new Rejected(RejectReason.TIMESTAMP_OUT_OF_RANGE, "ts " + ts + " is outside [" + minTs + ", " + (nowMs + maxFutureSkewMs) + "]");
        }
        return new Parsed(sensor, ts, v, sensor.equals(keyString));
    }

    /**
     * The fast path, for the shape devices and {@link SensorSimulator} send ({@link Reading#toJson()}): exactly the
     * fields {@code sensor} (plain ASCII, no escapes), {@code ts} (an integer) and {@code value} (a finite number
     * within the bound), once each and in any order. Returns null for anything else, which Jackson then decides: so
     * whatever this returns is what {@link #parseWithJackson} returns, rejection texts included. Package-private for
     * the tests.
     */
    ParseResult tryFast(byte[] json, String keyString, long nowMs) {
        JsonScanner in = new JsonScanner(json);
        String sensor = null;
        long ts = 0;
        double v = 0;
        boolean hasTs = false;
        boolean hasValue = false;
        try {
            in.expect('{');
            do {
                // a repeated field or any other form: Jackson's texts
                switch (in.fieldName(FIELD_NAMES)) {
                    case SENSOR -> {
                        if (sensor != null) {
                            return null;
                        }
                        sensor = in.string();
                    }
                    case TS -> {
                        if (hasTs) {
                            return null;
                        }
                        ts = in.longValue();
                        hasTs = true;
                    }
                    default -> {
                        if (hasValue) {
                            return null;
                        }
                        v = in.doubleValue();
                        hasValue = true;
                    }
                }
            } while (in.consume(','));
            in.expect('}');
            if (!in.atEnd()) {
                return null;
            }
        } catch (JsonScanner.Unsupported e) {
            return null;
        }
        if (sensor == null || !hasTs || !hasValue || !Double.isFinite(v) || Math.abs(v) > maxAbsValue) {
            return null;
        }
        return checkFields(sensor, true, ts, true, v, keyString, nowMs);
    }

    private String sensorIdProblem(String id) {
        if (id.isBlank()) {
            return "sensor id is empty";
        }
        if (id.length() > maxSensorIdLength) {
            return "sensor id has " + id.length() + " chars, more than " + maxSensorIdLength;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                return "sensor id contains control character U+" + String.format("%04X", (int) c);
            }
        }
        return null;
    }

    /** Epoch ms of an ISO-8601 date-time; without an offset it is taken as UTC. */
    static long parseIsoTimestamp(String s) {
        TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
        return t instanceof OffsetDateTime o ? o.toInstant().toEpochMilli()
                : ((LocalDateTime) t).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Index of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, max U+10FFFF), or -1. */
    static int firstInvalidUtf8(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            int len;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                len = 2;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                len = 3;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                len = 4;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + len > n) {
                return i;
            }
            int cp = c & (0xff >> (len + 1));
            for (int k = 1; k < len; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return i;
            }
            i += len;
        }
        return -1;
    }

    private static Rejected duplicate(String field) {
        return new Rejected(RejectReason.MALFORMED_JSON, "field " + field + " appears more than once");
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }
}
