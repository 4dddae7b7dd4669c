package io.sensorcast.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The fast path of {@link ReadingParser} must give exactly what its Jackson path gives, for any input. */
class ReadingParserFastPathTest {
    private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long TS = 1_732_440_000_000L;   // 2024-11-24T09:20:00Z
    private static final String[] WHITESPACE = {"", "", "", " ", "\n", "\r\n", "\t", "  \t "};
    private final ReadingParser parser = new ReadingParser(IngestConfig.defaults());

    // --- the fast path is taken ---

    @Test
    void shouldTakeFastPathWhenRecordIsTheSimulatorsShape() {
        byte[] value = new Reading("sim-0007.temp", TS, 21.375).toJsonBytes();
        ParseResult fast = parser.tryFast(value, "sim-0007.temp", NOW);
        assertNotNull(fast);
        assertEquals(new ParseResult.Parsed("sim-0007.temp", TS, 21.375, true), fast);
    }

    @Test
    void shouldTakeFastPathWhenFieldsAreReorderedAndSpaced() {
        byte[] value = utf8(" {\n \"value\" : -2.5E+3 ,\t\"ts\":" + TS + ", \"sensor\":\"a b\"}\r\n");
        assertEquals(new ParseResult.Parsed("a b", TS, -2500.0, false), parser.tryFast(value, null, NOW));
    }

    @Test
    void shouldTakeFastPathForEveryGeneratedCanonicalRecord() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            double value = randomDouble(random);
            if (!(Math.abs(value) <= 1e12)) {
                continue; // NaN, infinite or beyond the bound: left to Jackson for its texts
            }
            Reading r = new Reading(plainSensorId(random), TS + random.nextInt(1_000_000), value);
            assertNotNull(parser.tryFast(r.toJsonBytes(), null, NOW), r.toJson());
        }
    }

    @Test
    void shouldLeaveRecordToJacksonWhenSensorIsMissing() {
        assertNull(parser.tryFast(utf8("{\"ts\":" + TS + ",\"value\":1}"), "s1", NOW));
    }

    @Test
    void shouldLeaveRecordToJacksonWhenSensorHasAnEscape() {
        assertNull(parser.tryFast(utf8("{\"sensor\":\"a\\u0041\",\"ts\":" + TS + ",\"value\":1}"), null, NOW));
    }

    @Test
    void shouldLeaveRecordToJacksonWhenValueExceedsTheBound() {
        assertNull(parser.tryFast(utf8("{\"sensor\":\"a\",\"ts\":" + TS + ",\"value\":2e12}"), null, NOW));
    }

    // --- same results as Jackson ---

    @Test
    void shouldReadNegativeZeroIntegerAsPositiveZeroLikeJackson() {
        // Jackson holds an integer token as a long: "-0" is +0.0, while "-0.0" is -0.0 (records compare them apart)
        assertEquals(new ParseResult.Parsed("a", TS, 0.0, false), parse(null, canonical("\"a\"", "" + TS, "-0")));
        assertEquals(new ParseResult.Parsed("a", TS, -0.0, false), parse(null, canonical("\"a\"", "" + TS, "-0.0")));
        assertSameAsJackson(null, canonical("\"a\"", "" + TS, "-0"));
        assertSameAsJackson(null, canonical("\"a\"", "" + TS, "-0.0"));
    }

    @Test
    void shouldMatchJacksonWhenCanonicalRecordsAreGenerated() {
        Random random = new Random(20_241_124);
        int fast = 0;
        for (int i = 0; i < 5_000; i++) {
            String sensor = random.nextInt(20) == 0 ? anySensorId(random) : plainSensorId(random);
            String ts = Long.toString(randomTs(random));
            String value = randomNumber(random);
            String json = spaced(random, sensor, ts, value);
            String key = switch (random.nextInt(3)) {
                case 0 -> null;
                case 1 -> sensor;
                default -> "other";
            };
            assertSameAsJackson(key, json);
            if (parser.tryFast(utf8(json), key, NOW) != null) {
                fast++;
            }
        }
        assertTrue(fast > 4_000, "fast path taken " + fast + " times of 5000");
    }

    @Test
    void shouldMatchJacksonWhenCanonicalRecordsAreMutated() {
        Random random = new Random(42);
        byte[] alphabet = utf8("{}[]\",:\\-+.0123456789eEtrufalsn \t\n\r\u000bxÜ/");
        for (int i = 0; i < 5_000; i++) {
            byte[] b = utf8(spaced(random, plainSensorId(random), Long.toString(randomTs(random)), randomNumber(random)));
            int at = random.nextInt(b.length);
            byte[] mutated = switch (random.nextInt(3)) {
                case 0 -> { // replace a byte
                    byte[] m = b.clone();
                    m[at] = alphabet[random.nextInt(alphabet.length)];
                    yield m;
                }
                case 1 -> { // drop a byte
                    byte[] m = new byte[b.length - 1];
                    System.arraycopy(b, 0, m, 0, at);
                    System.arraycopy(b, at + 1, m, at, b.length - at - 1);
                    yield m;
                }
                default -> { // insert a byte
                    byte[] m = new byte[b.length + 1];
                    System.arraycopy(b, 0, m, 0, at);
                    m[at] = alphabet[random.nextInt(alphabet.length)];
                    System.arraycopy(b, at, m, at + 1, b.length - at);
                    yield m;
                }
            };
            assertSameAsJackson(random.nextBoolean() ? null : utf8("s1"), mutated);
        }
    }

    @Test
    void shouldMatchJacksonWhenCanonicalRecordIsTruncatedAnywhere() {
        byte[] b = utf8(" {\"sensor\" : \"s1\",\"ts\":" + TS + ",\"value\":-1.25e-3 } ");
        for (int n = 0; n <= b.length; n++) {
            assertSameAsJackson(utf8("s1"), Arrays.copyOf(b, n));
        }
    }

    @Test
    void shouldMatchJacksonWhenValuesAreDecimalStringsOfManyDigits() {
        Random random = new Random(3);
        for (int i = 0; i < 3_000; i++) {
            StringBuilder v = new StringBuilder();
            if (random.nextBoolean()) {
                v.append('-');
            }
            v.append(random.nextInt(10) == 0 ? "0" : digits(random, 1 + random.nextInt(12), true));
            if (random.nextInt(4) != 0) {
                v.append('.').append(digits(random, 1 + random.nextInt(30), false));
            }
            if (random.nextInt(3) == 0) {
                v.append(random.nextBoolean() ? 'e' : 'E');
                v.append(switch (random.nextInt(3)) {
                    case 0 -> "";
                    case 1 -> "+";
                    default -> "-";
                });
                v.append(random.nextInt(330));
            }
            assertSameAsJackson(null, canonical("\"a\"", "" + TS, v.toString()));
        }
    }

    @Test
    void shouldMatchJacksonForNearMisses() {
        List<String> values = new ArrayList<>();
        String t = Long.toString(TS);
        // fields: duplicates, extras, missing ones, other names
        values.add("{\"sensor\":\"a\",\"sensor\":\"b\",\"ts\":" + t + ",\"value\":1}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"ts\":" + t + ",\"value\":1}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1,\"value\":2}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1,\"value\":1e400}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1,\"unit\":\"C\"}");
        values.add("{\"unit\":{\"x\":[1,{}]},\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":{\"v\":1}}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":[1]}");
        values.add("{\"sensor\":{\"id\":\"a\"},\"ts\":" + t + ",\"value\":1}");
        values.add("{\"ts\":" + t + ",\"value\":1}");
        values.add("{\"sensor\":\"a\",\"value\":1}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + "}");
        values.add("{\"Sensor\":\"a\",\"ts\":" + t + ",\"value\":1}");
        values.add("{\"t\\u0073\":" + t + ",\"sensor\":\"a\",\"value\":1}");
        values.add("{\"sensors\":\"a\",\"ts\":" + t + ",\"value\":1}");
        values.add("{\"\":\"a\",\"ts\":" + t + ",\"value\":1}");
        values.add("{}");
        // sensor: escapes, nulls, types, odd characters, lengths
        for (String s : List.of("\"a\\\"b\"", "\"a\\\\b\"", "\"a\\u0041\"", "\"a\\nb\"", "\"a\\/b\"", "null", "7", "true",
                "\"\"", "\" \"", "\"\t\"", "\"a\u0001b\"", "\"a\u007fb\"", "\"Kessel-Ü.temp\"", "\"日本\"", "'a'", "a",
                "\"" + "x".repeat(200) + "\"", "\"" + "x".repeat(201) + "\"", "\"" + " ".repeat(201) + "\"", "\"unterminated")) {
            values.add(canonical(s, t, "1"));
        }
        // ts: leading zeros, signs, fractions, strings, sizes, bounds
        for (String ts : List.of("0" + t, "+" + t, "-" + t, t + ".0", t + ".5", "1.73244E12", t + "e0", "\"2024-11-24T09:20:00Z\"",
                "\"2024-11-24T09:20:00\"", "\"yesterday\"", "\"" + t + "\"", "null", "true", "0", "-0", "00", "-", "",
                "631151999999", "631152000000", Long.toString(NOW + 86_400_000L), Long.toString(NOW + 86_400_001L),
                "999999999999999999", "-999999999999999999", "1000000000000000000", "9223372036854775807",
                "9223372036854775808", "99999999999999999999999", t + "x", t + " 1", "[" + t + "]")) {
            values.add(canonical("\"a\"", ts, "1"));
        }
        // value: the JSON number grammar's edges, non-numbers, non-finite, the bound
        for (String v : List.of("+1", ".5", "1.", "-.5", "01", "-01", "00", "0.", "1e", "1e+", "1E-", "-", "--1", "1.5.5", "1e5e5",
                "0x10", "1_000", "NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "\"1\"", "\"12,5\"", "null", "true", "[]",
                "1e400", "-1e400", "1e-400", "4.9e-324", "2.2250738585072014E-308", "1.7976931348623157E308", "1e12", "-1e12",
                "1.0000000000001e12", "1000000000000", "1000000000001", "2e12", "1e-7", "2.5E+3", "0.1", "-0", "-0.0", "0e0",
                "-0E-0", "123456789012345678", "1234567890123456789", "-9223372036854775808", "9223372036854775808",
                "12345678901234567890123", "0." + "1".repeat(120), "1".repeat(12) + "." + "9".repeat(90),
                "9007199254740993", "9007199254740993.0", "0.30000000000000004", "1x", "1 2", "1,")) {
            values.add(canonical("\"a\"", t, v));
        }
        // structure: whitespace, trailing data, syntax slips, other top-level values
        String ok = canonical("\"a\"", t, "1.5");
        values.add(" \t\r\n" + ok + " \t\r\n");
        values.add(ok + "x");
        values.add(ok + "{}");
        values.add(ok + ",");
        values.add(ok + "\u000b");
        values.add(ok + "\f");
        values.add("\f" + ok);
        values.add(ok + "/* c */");
        values.add("\ufeff" + ok);
        values.add("[" + ok + "]");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1,}");
        values.add("{\"sensor\":\"a\" \"ts\":" + t + ",\"value\":1}");
        values.add("{\"sensor\" \"a\",\"ts\":" + t + ",\"value\":1}");
        values.add("{\"sensor\":\"a\",,\"ts\":" + t + ",\"value\":1}");
        values.add("{,\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1}");
        values.add("{sensor:\"a\",\"ts\":" + t + ",\"value\":1}");
        values.add("{'sensor':'a','ts':" + t + ",'value':1}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1]");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\"");
        values.add("{{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1}}");
        values.add("{\"sensor\":\"a\",\"ts\":" + t + ",\"value\":1}}");
        for (String top : List.of("[]", "null", "42", "\"s\"", "{", "}", " ", "\n")) {
            values.add(top);
        }
        for (String v : values) {
            for (String key : Arrays.asList(null, "", "a", "b", "Kessel-Ü.temp")) {
                assertSameAsJackson(key, v);
            }
        }
        assertSameAsJackson(new byte[] {(byte) 0xff}, utf8(ok));
        assertSameAsJackson(null, new byte[0]);
        assertSameAsJackson((byte[]) null, null);
    }

    // --- generators and helpers ---

    /** A sensor id that the fast path takes: printable ASCII without quote or backslash, mostly the usual forms. */
    private static String plainSensorId(Random random) {
        if (random.nextInt(4) != 0) {
            return SensorSimulator.sensorId(random.nextInt(10_000));
        }
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        while (sb.length() < n) {
            char c = (char) (0x20 + random.nextInt(0x5f));
            if (c != '"' && c != '\\') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Any short id, with quotes, backslashes, controls and non-ASCII ({@link Reading#toJson()} escapes them). */
    private static String anySensorId(Random random) {
        String pool = "ab-. \"\\\u0001\u001f\u007fÜ日";
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(pool.charAt(random.nextInt(pool.length())));
        }
        return sb.toString();
    }

    /** Mostly in range, sometimes before 1990, after tomorrow, negative or zero. */
    private static long randomTs(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> random.nextLong() % 1_000_000_000_000_000_000L;
            case 1 -> 0;
            case 2 -> NOW + 86_400_000L - 5 + random.nextInt(10);
            default -> TS + random.nextInt(1_000_000_000);
        };
    }

    private static double randomDouble(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextGaussian() * 50;
            case 1 -> Math.round(random.nextGaussian() * 1000) / 8.0;
            case 2 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
            case 3 -> Double.longBitsToDouble(random.nextLong());   // any double, NaN and huge ones included
            case 4 -> random.nextInt(2001) - 1000;
            default -> 20 + random.nextDouble() * 60;
        };
    }

    /** The number forms devices send: Java's, C's %g/%e/%f, integers, and odd corner cases. */
    private static String randomNumber(Random random) {
        double d = randomDouble(random);
        return switch (random.nextInt(8)) {
            case 0, 1 -> Double.isFinite(d) ? Double.toString(d) : "1e400";
            case 2 -> Double.isFinite(d) ? String.format(Locale.ROOT, "%." + random.nextInt(18) + "e", d) : "-1e400";
            case 3 -> Double.isFinite(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%." + random.nextInt(10) + "f", d) : "1";
            case 4 -> Long.toString(random.nextInt(5) == 0 ? random.nextLong() : random.nextInt(2_000_001) - 1_000_000);
            case 5 -> Double.isFinite(d) ? Double.toString(d).replace("E", random.nextBoolean() ? "e+" : "E+").replace("+-", "-") : "0";
            case 6 -> List.of("0", "-0", "-0.0", "0.1", "1e-7", "2.5E+3", "1E0", "1e12", "-1e12", "1000000000000.0001",
                    "999999999999.9999", "4.9e-324", "1e-400", "2.2250738585072011e-308", "9007199254740993",
                    "123456789012345678", "0.000000000000000000000000000001").get(random.nextInt(17));
            default -> Float.toString((float) d);
        };
    }

    private static String digits(Random random, int n, boolean nonZeroFirst) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ((i == 0 && nonZeroFirst ? '1' + random.nextInt(9) : '0' + random.nextInt(10))));
        }
        return sb.toString();
    }

    /** A record of the three fields in a random order with random JSON whitespace around every token. */
    private static String spaced(Random random, String sensor, String ts, String value) {
        StringBuilder quoted = new StringBuilder();
        Reading.appendJsonString(quoted, sensor);
        List<String[]> fields = new ArrayList<>(List.of(
                new String[] {"sensor", quoted.toString()}, new String[] {"ts", ts}, new String[] {"value", value}));
        Collections.shuffle(fields, random);
        StringBuilder sb = new StringBuilder(ws(random)).append('{');
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(ws(random)).append(',');
            }
            sb.append(ws(random)).append('"').append(fields.get(i)[0]).append('"').append(ws(random)).append(':')
                    .append(ws(random)).append(fields.get(i)[1]);
        }
        return sb.append(ws(random)).append('}').append(ws(random)).toString();
    }

    private static String ws(Random random) {
        return WHITESPACE[random.nextInt(WHITESPACE.length)];
    }

    /** {"sensor":<sensorJson>,"ts":<ts>,"value":<value>} with the parts as given, so they may be any JSON or none. */
    private static String canonical(String sensorJson, String ts, String value) {
        return "{\"sensor\":" + sensorJson + ",\"ts\":" + ts + ",\"value\":" + value + "}";
    }

    private void assertSameAsJackson(String key, String value) {
        assertSameAsJackson(key == null ? null : utf8(key), utf8(value));
    }

    private void assertSameAsJackson(byte[] key, byte[] value) {
        ParseResult expected = parser.parseWithJackson(key, value, NOW);
        ParseResult actual = parser.parse(key, value, NOW);
        assertEquals(expected, actual, () -> "key " + (key == null ? null : new String(key, StandardCharsets.UTF_8))
                + ", value " + (value == null ? null : new String(value, StandardCharsets.UTF_8)));
    }

    private ParseResult parse(String key, String value) {
        return parser.parse(key == null ? null : utf8(key), utf8(value), NOW);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
