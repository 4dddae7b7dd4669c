package io.sensorcast.ops.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Generated hostile records for {@code sensor-readings}: every dead-letter reason of the parser, random bytes, huge
 * values, deeply nested JSON, 1 MB payloads, null keys, timestamps far in the future and the past. Each knows the
 * reason ingest must give it ({@code null}: any parse reason, for random bytes).
 */
final class HostileReadings {
    /** A hostile record and the {@code dlq.reason} it must get; {@code reasons} lists the acceptable ones. */
    record Hostile(String kind, byte[] key, byte[] value, Set<String> reasons) {
    }

    private static final long DAY = 86_400_000L;

    private HostileReadings() {
    }

    /** {@code count} hostile records that are rejected while parsing, in a seeded random order. */
    static List<Hostile> parseStage(int count, long seed) {
        Random random = new Random(seed);
        long now = System.currentTimeMillis();
        List<Hostile> out = new ArrayList<>();
        add(out, 10, i -> new Hostile("1 MB payload", key(i), json("h", now - DAY, "\"" + "A".repeat(1_000_000) + "\""), Set.of("wrong_type")));
        add(out, 5, i -> new Hostile("1 MB random bytes", key(i), randomBytes(random, 1_000_000), Set.of("malformed_json", "invalid_utf8")));
        add(out, 300, i -> new Hostile("deep JSON", key(i), deepJson(2_000 + i), Set.of("malformed_json")));
        add(out, 1000, i -> new Hostile("malformed JSON", key(i), utf8(switch (i % 5) {
            case 0 -> "{\"ts\":1,";
            case 1 -> "42";
            case 2 -> "{\"ts\":" + (now - DAY) + ",\"value\":1} trailing";
            case 3 -> "{\"ts\":" + (now - DAY) + ",\"ts\":" + (now - DAY) + ",\"value\":1}";
            default -> "";
        }), Set.of("malformed_json")));
        add(out, 700, i -> new Hostile("invalid UTF-8", key(i), concat(utf8("{\"sensor\":\"h"), new byte[] {(byte) 0xFF, (byte) 0xFE},
                utf8("\",\"ts\":" + (now - DAY) + ",\"value\":1}")), Set.of("invalid_utf8")));
        add(out, 1000, i -> new Hostile("null key, no sensor", null, utf8("{\"ts\":" + (now - DAY) + ",\"value\":" + i + "}"), Set.of("missing_field")));
        add(out, 300, i -> new Hostile("no ts", key(i), utf8("{\"value\":1}"), Set.of("missing_field")));
        add(out, 300, i -> new Hostile("no value", key(i), utf8("{\"ts\":" + (now - DAY) + "}"), Set.of("missing_field")));
        add(out, 700, i -> new Hostile("wrong type", key(i), json("h", now - DAY, i % 2 == 0 ? "\"12,5\"" : "[[4.0]]"), Set.of("wrong_type")));
        add(out, 600, i -> new Hostile("non-finite", key(i), json("h", now - DAY, i % 2 == 0 ? "NaN" : "-Infinity"), Set.of("non_finite_value")));
        add(out, 700, i -> new Hostile("huge value", key(i), json("h", now - DAY, i % 2 == 0 ? "1e999" : "-3.5e300"), Set.of("value_out_of_range")));
        add(out, 500, i -> new Hostile("future timestamp", key(i), json("h", i % 2 == 0 ? now + 30 * DAY : 253_402_300_799_000L, "1"), Set.of("timestamp_out_of_range")));
        add(out, 500, i -> new Hostile("past timestamp", key(i), json("h", i % 2 == 0 ? 0L : 600_000_000_000L, "1"), Set.of("timestamp_out_of_range")));
        add(out, 500, i -> new Hostile("invalid sensor id", null, utf8(String.format(Locale.ROOT,
                "{\"sensor\":\"%s\",\"ts\":%d,\"value\":1}", i % 2 == 0 ? "x".repeat(300) : "bad\\u0001id", now - DAY)), Set.of("invalid_sensor_id")));
        int rest = count - out.size();
        if (rest < 0) {
            throw new IllegalArgumentException("at least " + out.size() + " parse-stage records");
        }
        add(out, rest, i -> new Hostile("random bytes", key(i), randomBytes(random, 1 + random.nextInt(2_000)), Set.of("malformed_json", "invalid_utf8")));
        Collections.shuffle(out, random);
        return out;
    }

    /** A reading for a step of {@code sensor} that closed already. */
    static Hostile late(String sensor, long ts) {
        return new Hostile("late", utf8(sensor), json(sensor, ts, "1"), Set.of("late"));
    }

    private interface Maker {
        Hostile make(int i);
    }

    private static void add(List<Hostile> out, int n, Maker maker) {
        for (int i = 0; i < n; i++) {
            out.add(maker.make(i));
        }
    }

    private static byte[] key(int i) {
        return utf8("h-" + i);
    }

    private static byte[] json(String sensor, long ts, String valueLiteral) {
        return utf8("{\"sensor\":\"" + sensor + "\",\"ts\":" + ts + ",\"value\":" + valueLiteral + "}");
    }

    /** A valid-looking reading with an ignored field nested {@code depth} arrays deep. */
    private static byte[] deepJson(int depth) {
        return utf8("{\"sensor\":\"h\",\"ts\":1732440000000,\"value\":1,\"extra\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        b[0] = (byte) (0x80 | b[0]);   // never an accidental '{'
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
