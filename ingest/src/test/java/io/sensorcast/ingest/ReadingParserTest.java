package io.sensorcast.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReadingParserTest {
    private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long TS = 1_732_440_000_000L;   // 2024-11-24T09:20:00Z
    private final ReadingParser parser = new ReadingParser(IngestConfig.defaults());

    // --- the acceptance sample, line by line (key|value, as kcat -K'|' sends it) ---

    @Test
    void shouldRejectEveryLineOfTheBadReadingsSampleWithItsReason() throws IOException {
        List<String> reasons = new ArrayList<>();
        for (byte[] line : lines("/bad-readings-sample.txt")) {
            reasons.add(reasonOf(line));
        }
        assertEquals(List.of(
                "malformed_json",          // s1: truncated after "ts":…,
                "wrong_type",              // s2: "value":"12,5"
                "missing_field",           // s3: no ts
                "timestamp_out_of_range",  // s4: year 9999
                "value_out_of_range",      // s5: 1e999 overflows a double
                "wrong_type",              // s6: "value":[[4.0]]
                "malformed_json",          // s7: 42 is not an object
                "missing_field"),          // empty key and no "sensor"
                reasons);
    }

    @Test
    void shouldRejectTheBinarySampleAsInvalidUtf8() throws IOException {
        List<byte[]> lines = lines("/bad-readings-sample-binary.bin");
        assertEquals(1, lines.size());
        assertEquals("invalid_utf8", reasonOf(lines.get(0)));
    }

    // --- accepted forms ---

    @Test
    void shouldParseEpochMillisWhenKeyEqualsSensor() {
        ParseResult r = parse("s1", "{\"sensor\":\"s1\",\"ts\":" + TS + ",\"value\":71.3}");
        assertEquals(new ParseResult.Parsed("s1", TS, 71.3, true), r);
    }

    @Test
    void shouldParseIsoTimestampWhenTsIsAString() {
        ParseResult r = parse(null, "{\"sensor\":\"s1\",\"ts\":\"2024-11-24T09:20:00Z\",\"value\":1}");
        assertEquals(new ParseResult.Parsed("s1", TS, 1.0, false), r);
    }

    @Test
    void shouldReadIsoTimestampWithoutOffsetAsUtc() {
        ParseResult r = parse("s1", "{\"ts\":\"2024-11-24T09:20:00\",\"value\":1}");
        assertEquals(new ParseResult.Parsed("s1", TS, 1.0, true), r);
    }

    @Test
    void shouldTakeSensorFromKeyWhenValueHasNoSensor() {
        assertEquals(new ParseResult.Parsed("pump-7.temp", TS, 2.5, true), parse("pump-7.temp", "{\"ts\":" + TS + ",\"value\":2.5}"));
    }

    @Test
    void shouldPreferSensorFieldAndFlagRepartitionWhenKeyDiffers() {
        assertEquals(new ParseResult.Parsed("a", TS, 1.0, false), parse("b", "{\"sensor\":\"a\",\"ts\":" + TS + ",\"value\":1}"));
    }

    @Test
    void shouldIgnoreExtraFieldsAndTrailingWhitespace() {
        ParseResult r = parse("s", "{\"unit\":{\"x\":[1,2,{}]},\"ts\":" + TS + ",\"value\":-3,\"q\":null}  \n");
        assertEquals(new ParseResult.Parsed("s", TS, -3.0, true), r);
    }

    @Test
    void shouldAcceptWholeFloatTimestamp() {
        assertEquals(new ParseResult.Parsed("s", TS, 1.0, true), parse("s", "{\"ts\":1.73244E12,\"value\":1}"));
    }

    // --- rejections ---

    @Test
    void shouldRejectAsMalformedWhenTrailingBytesFollowTheObject() {
        assertReason("malformed_json", parse("s", "{\"ts\":" + TS + ",\"value\":1}x"));
    }

    @Test
    void shouldRejectAsMalformedWhenASecondObjectFollows() {
        assertReason("malformed_json", parse("s", "{\"ts\":" + TS + ",\"value\":1}{}"));
    }

    @Test
    void shouldRejectAsMalformedWhenAFieldRepeats() {
        assertReason("malformed_json", parse("s", "{\"ts\":" + TS + ",\"value\":1,\"value\":2}"));
    }

    @Test
    void shouldRejectAsMalformedWhenValueIsEmpty() {
        assertReason("malformed_json", parser.parse(utf8("s"), new byte[0], NOW));
        assertReason("malformed_json", parser.parse(utf8("s"), null, NOW));
    }

    @Test
    void shouldRejectAsMalformedWhenTopLevelIsAnArray() {
        assertReason("malformed_json", parse("s", "[{\"ts\":" + TS + ",\"value\":1}]"));
    }

    @Test
    void shouldRejectAsNonFiniteWhenValueIsInfinity() {
        assertReason("non_finite_value", parse("s", "{\"ts\":" + TS + ",\"value\":-Infinity}"));
    }

    @Test
    void shouldRejectAsOutOfRangeWhenValueExceedsTheBound() {
        assertReason("value_out_of_range", parse("s", "{\"ts\":" + TS + ",\"value\":2e12}"));
    }

    @Test
    void shouldRejectAsWrongTypeWhenValueIsNull() {
        assertReason("wrong_type", parse("s", "{\"ts\":" + TS + ",\"value\":null}"));
    }

    @Test
    void shouldRejectAsWrongTypeWhenValueIsBoolean() {
        assertReason("wrong_type", parse("s", "{\"ts\":" + TS + ",\"value\":true}"));
    }

    @Test
    void shouldRejectAsWrongTypeWhenTsHasAFraction() {
        assertReason("wrong_type", parse("s", "{\"ts\":1732440000000.5,\"value\":1}"));
    }

    @Test
    void shouldRejectAsWrongTypeWhenTsIsNotADate() {
        assertReason("wrong_type", parse("s", "{\"ts\":\"yesterday\",\"value\":1}"));
    }

    @Test
    void shouldRejectAsWrongTypeWhenSensorIsANumber() {
        assertReason("wrong_type", parse(null, "{\"sensor\":7,\"ts\":" + TS + ",\"value\":1}"));
    }

    @Test
    void shouldRejectAsMissingFieldWhenValueIsAbsent() {
        assertReason("missing_field", parse("s", "{\"ts\":" + TS + "}"));
    }

    @Test
    void shouldRejectAsTimestampOutOfRangeWhenTsIsBefore1990() {
        assertReason("timestamp_out_of_range", parse("s", "{\"ts\":631151999999,\"value\":1}")); // 1989-12-31T23:59:59.999Z
    }

    @Test
    void shouldRejectAsTimestampOutOfRangeWhenTsIsMoreThanADayAhead() {
        assertReason("timestamp_out_of_range", parse("s", "{\"ts\":" + (NOW + 86_400_001L) + ",\"value\":1}"));
    }

    @Test
    void shouldAcceptTimestampExactlyADayAhead() {
        assertInstanceOf(ParseResult.Parsed.class, parse("s", "{\"ts\":" + (NOW + 86_400_000L) + ",\"value\":1}"));
    }

    @Test
    void shouldRejectAsTimestampOutOfRangeWhenTsOverflowsALong() {
        assertReason("timestamp_out_of_range", parse("s", "{\"ts\":99999999999999999999999,\"value\":1}"));
    }

    @Test
    void shouldRejectAsInvalidSensorIdWhenLongerThanTheLimit() {
        assertReason("invalid_sensor_id", parse(null, "{\"sensor\":\"" + "x".repeat(201) + "\",\"ts\":" + TS + ",\"value\":1}"));
    }

    @Test
    void shouldRejectAsInvalidSensorIdWhenItHasAControlCharacter() {
        assertReason("invalid_sensor_id", parse(null, "{\"sensor\":\"a\\u0000b\",\"ts\":" + TS + ",\"value\":1}"));
    }

    @Test
    void shouldRejectAsInvalidUtf8WhenKeyIsNotUtf8() {
        assertReason("invalid_utf8", parser.parse(new byte[] {(byte) 0xff}, utf8("{\"ts\":" + TS + ",\"value\":1}"), NOW));
    }

    @Test
    void shouldRejectAsInvalidUtf8WhenValueHasAnEncodedSurrogate() {
        byte[] head = utf8("{\"sensor\":\"");
        byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80}; // U+D800, which UTF-8 forbids
        byte[] tail = utf8("\",\"ts\":" + TS + ",\"value\":1}");
        byte[] value = new byte[head.length + surrogate.length + tail.length];
        System.arraycopy(head, 0, value, 0, head.length);
        System.arraycopy(surrogate, 0, value, head.length, surrogate.length);
        System.arraycopy(tail, 0, value, head.length + surrogate.length, tail.length);
        assertReason("invalid_utf8", parser.parse(null, value, NOW));
    }

    @Test
    void shouldAcceptMultibyteSensorIds() {
        assertEquals(new ParseResult.Parsed("Kessel-Ü.temp", TS, 1.0, false), parse(null, "{\"sensor\":\"Kessel-Ü.temp\",\"ts\":" + TS + ",\"value\":1}"));
    }

    private ParseResult parse(String key, String value) {
        return parser.parse(key == null ? null : utf8(key), utf8(value), NOW);
    }

    private String reasonOf(byte[] line) {
        int bar = indexOf(line, (byte) '|');
        byte[] key = Arrays.copyOfRange(line, 0, bar);
        byte[] value = Arrays.copyOfRange(line, bar + 1, line.length);
        ParseResult r = parser.parse(key.length == 0 ? null : key, value, NOW);
        return r instanceof ParseResult.Rejected rej ? rej.reason().code() : "accepted";
    }

    private static void assertReason(String reason, ParseResult r) {
        ParseResult.Rejected rej = assertInstanceOf(ParseResult.Rejected.class, r);
        assertEquals(reason, rej.reason().code(), rej.detail());
        assertTrue(!rej.detail().isBlank());
    }

    private static List<byte[]> lines(String resource) throws IOException {
        try (InputStream in = ReadingParserTest.class.getResourceAsStream(resource)) {
            byte[] all = in.readAllBytes();
            List<byte[]> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= all.length; i++) {
                if (i == all.length || all[i] == '\n') {
                    if (i > start) {
                        out.add(Arrays.copyOfRange(all, start, i));
                    }
                    start = i + 1;
                }
            }
            return out;
        }
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
