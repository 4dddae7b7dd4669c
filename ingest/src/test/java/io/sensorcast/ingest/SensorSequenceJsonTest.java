package io.sensorcast.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.sensorcast.json.JsonScanner;
import org.junit.jupiter.api.Test;

/**
 * The hand-written codec against its reference, Jackson (the codec before it, kept as the general path): the same
 * bytes out, the same sequence (or the same rejection) in, and every sequence read back bit for bit. Randomised with
 * fixed seeds, printed on failure.
 */
class SensorSequenceJsonTest {
    private static final long SEED = 424242L;
    private static final int SEQUENCES = 3_000;
    private static final String[] WHITESPACE = {"", "", " ", "\n", "\t", "\r\n", "  "};

    private static String randomAsciiId(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(1, 40);
        for (int i = 0; i < n; i++) {
            char c;
            do {
                c = (char) random.nextInt(0x20, 0x7F);
            } while (c == '"' || c == '\\');
            s.append(c);
        }
        return s.toString();
    }

    /** Any id a Java String can hold: escapes, control characters, non-ASCII, paired and lone surrogates. */
    private static String randomId(SplittableRandom random) {
        if (random.nextBoolean()) {
            return randomAsciiId(random);
        }
        String pool = "ab.-_\"\\/\b\f\n\r\t\u0000\u001f\u007féß€中\ud83d\ude00\udbff\udc00\uffff";
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(0, 30);
        for (int i = 0; i < n; i++) {
            s.append(random.nextInt(3) == 0 ? (char) random.nextInt(0x10000) : pool.charAt(random.nextInt(pool.length())));
        }
        return s.toString();
    }

    /** Finite floats of every kind: z-scores, random bit patterns (huge, tiny), subnormals, ±0, the extremes. */
    private static float randomFloat(SplittableRandom random) {
        float v;
        do {
            v = switch (random.nextInt(8)) {
                case 0, 1, 2 -> (float) random.nextGaussian();
                case 3 -> Float.intBitsToFloat(random.nextInt());
                case 4 -> Float.intBitsToFloat(random.nextInt(1, 0x0080_0000)) * (random.nextBoolean() ? 1 : -1);
                case 5 -> random.nextBoolean() ? 0.0f : -0.0f;
                case 6 -> new float[] {Float.MIN_VALUE, Float.MAX_VALUE, Float.MIN_NORMAL, -Float.MAX_VALUE, 1e-3f, 1e7f}[random.nextInt(6)];
                default -> (float) ((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-40, 39)));
            };
        } while (!Float.isFinite(v));
        return v;
    }

    private static double randomDouble(SplittableRandom random) {
        double v;
        do {
            v = random.nextBoolean() ? random.nextGaussian() * 100 : Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(v));
        return v;
    }

    private static SensorSequence randomSequence(SplittableRandom random, boolean asciiId) {
        int w = random.nextInt(4) == 0 ? random.nextInt(0, 300) : 96;
        float[] values = new float[w];
        byte[] observed = new byte[w];
        for (int i = 0; i < w; i++) {
            values[i] = randomFloat(random);
            observed[i] = (byte) (random.nextInt(10) == 0 ? 0 : 1);
        }
        return new SensorSequence(asciiId ? randomAsciiId(random) : randomId(random), random.nextLong(), random.nextLong(),
                values, observed, randomDouble(random), randomDouble(random), random.nextLong());
    }

    private static void assertBitIdentical(SensorSequence expected, SensorSequence actual, Supplier<String> context) {
        assertEquals(expected.sensor(), actual.sensor(), context);
        assertEquals(expected.end(), actual.end(), context);
        assertEquals(expected.stepMs(), actual.stepMs(), context);
        assertArrayEquals(bits(expected.values()), bits(actual.values()), context);
        assertArrayEquals(expected.observed(), actual.observed(), context);
        assertEquals(Double.doubleToRawLongBits(expected.mean()), Double.doubleToRawLongBits(actual.mean()), context);
        assertEquals(Double.doubleToRawLongBits(expected.std()), Double.doubleToRawLongBits(actual.std()), context);
        assertEquals(expected.arrivedAt(), actual.arrivedAt(), context);
    }

    private static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Float.floatToRawIntBits(values[i]);
        }
        return b;
    }

    /** The decoded sequence, or the class of the exception: what a caller can observe. */
    private static Object outcome(Supplier<SensorSequence> decode) {
        try {
            return decode.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadBackEveryRandomSequenceBitForBit() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < SEQUENCES; i++) {
            SensorSequence s = randomSequence(random, false);
            int index = i;
            assertBitIdentical(s, SensorSequenceJson.fromBytes(SensorSequenceJson.toBytes(s)), () -> "sequence " + index + ", seed " + SEED);
        }
    }

    @Test
    void shouldWriteTheBytesJacksonWrote() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int i = 0; i < SEQUENCES; i++) {
            SensorSequence s = randomSequence(random, false);
            int index = i;
            assertArrayEquals(JacksonSequenceWriter.toBytes(s), SensorSequenceJson.toBytes(s), () -> "sequence " + index + ", seed " + SEED);
        }
    }

    @Test
    void shouldReadIngestsOwnFormWithoutJacksonAndGetJacksonsResult() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int i = 0; i < SEQUENCES; i++) {
            byte[] json = JacksonSequenceWriter.toBytes(randomSequence(random, true));
            int index = i;
            assertBitIdentical(SensorSequenceJson.fromBytesWithJackson(json), SensorSequenceJson.fromBytesWithoutJackson(json),
                    () -> "sequence " + index + ", seed " + SEED);
        }
    }

    @Test
    void shouldReadAsJacksonDoesWhateverTheFieldOrderWhitespaceAndNumberSpelling() {
        SplittableRandom random = new SplittableRandom(SEED + 3);
        int fast = 0;
        for (int i = 0; i < SEQUENCES; i++) {
            byte[] json = utf8(rewritten(randomSequence(random, random.nextInt(4) != 0), random));
            SensorSequence expected = SensorSequenceJson.fromBytesWithJackson(json);
            int index = i;
            Supplier<String> context = () -> new String(json, StandardCharsets.UTF_8) + "\nsequence " + index + ", seed " + SEED;
            assertBitIdentical(expected, SensorSequenceJson.fromBytes(json), context);
            try {
                assertBitIdentical(expected, SensorSequenceJson.fromBytesWithoutJackson(json), context);
                fast++;
            } catch (JsonScanner.Unsupported e) {
                // unknown field, escaped or non-ASCII id, or a 19-digit number: Jackson's part
            }
        }
        assertTrue(fast > SEQUENCES / 3, "only " + fast + " of " + SEQUENCES + " took the fast path");
    }

    /** The same sequence as another valid writer might send it (the values need not round-trip). */
    private static String rewritten(SensorSequence s, SplittableRandom random) {
        List<String> members = new ArrayList<>();
        members.add(member(random, "sensor", "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s.sensor())) + "\""));
        members.add(member(random, "end", Long.toString(s.end())));
        members.add(member(random, "stepMs", Long.toString(s.stepMs())));
        members.add(member(random, "values", array(random, s.values().length, i -> spelling(random, s.values()[i]))));
        if (random.nextInt(5) != 0) {
            members.add(member(random, "observed", array(random, s.observed().length,
                    i -> random.nextBoolean() ? Byte.toString(s.observed()[i]) : s.observed()[i] + ".0")));
        }
        members.add(member(random, "mean", spelling(random, s.mean())));
        members.add(member(random, "std", spelling(random, s.std())));
        members.add(member(random, "arrivedAt", Long.toString(s.arrivedAt())));
        if (random.nextInt(10) == 0) {
            members.add(member(random, "producer", "{\"name\":\"other\",\"tags\":[1,2]}"));
        }
        Collections.shuffle(members, new java.util.Random(random.nextLong()));
        return ws(random) + "{" + String.join(",", members) + ws(random) + "}" + ws(random);
    }

    private static String member(SplittableRandom random, String name, String value) {
        return ws(random) + "\"" + name + "\"" + ws(random) + ":" + ws(random) + value + ws(random);
    }

    private static String array(SplittableRandom random, int n, java.util.function.IntFunction<String> element) {
        StringBuilder a = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            a.append(i == 0 ? "" : ",").append(ws(random)).append(element.apply(i)).append(ws(random));
        }
        return a.append(ws(random)).append("]").toString();
    }

    private static String ws(SplittableRandom random) {
        return WHITESPACE[random.nextInt(WHITESPACE.length)];
    }

    private static String spelling(SplittableRandom random, double v) {
        return switch (random.nextInt(6)) {
            case 0 -> Double.toString(v);
            case 1 -> String.format(Locale.ROOT, "%.8e", v);
            case 2 -> String.format(Locale.ROOT, "%.5E", v);
            case 3 -> new BigDecimal(v).round(new java.math.MathContext(random.nextInt(1, 19))).toString();
            case 4 -> Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
            default -> Float.toString((float) v).replace("Infinity", "1e39");
        };
    }

    @Test
    void shouldRejectWhatJacksonRejectsAndAcceptWhatItAccepts() {
        String[] inputs = {
            "", "{", "[]", "{}", "null", "{\"sensor\":\"a\"}", "{\"values\":[1]}",
            "{\"sensor\":\"a\",\"values\":[1,]}", "{\"sensor\":\"a\",\"values\":[,]}", "{\"sensor\":\"a\",\"values\":\"1\"}",
            "{\"sensor\":\"a\",\"values\":[01]}", "{\"sensor\":\"a\",\"values\":[NaN]}", "{\"sensor\":\"a\",\"values\":[[1]]}",
            "{\"sensor\":\"a\",\"values\":[1] \"end\":1}", "{\"sensor\":\"a\" \"values\":[1]}", "{\"sensor\":\"a\",\"values\":[1]",
            "{\"sensor\":\"a\",\"values\":[1],}", "{\"sensor\":a,\"values\":[1]}", "{'sensor':\"a\",\"values\":[1]}",
            "{\"sensor\":\"a\",\"values\":[1],\"end\":1.5}", "{\"sensor\":\"a\",\"values\":[1],\"end\":\"1\"}",
            "{\"sensor\":\"a\",\"values\":[1],\"end\":null}", "{\"sensor\":\"a\",\"values\":null}", "{\"sensor\":7,\"values\":[1]}",
            "{\"sensor\":\"a\",\"values\":[1]} trailing", "{\"sensor\":\"a\",\"values\":[1]}}", "{\"sensor\":\"a\",\"values\":[1e999]}",
            "{\"sensor\":\"a\",\"values\":[1],\"observed\":[2.7,-1,300]}", "{\"sensor\":\"a\",\"sensor\":\"b\",\"values\":[1]}",
            "{\"sensor\":\"a\",\"values\":[1],\"values\":[2,3]}", "{\"sensor\":\"a\\u0062\",\"values\":[-0]}",
            "{\"sensor\":\"a\",\"values\":[12345678901234567890]}", "{\"sensor\":\"a\",\"values\":[1],\"end\":9223372036854775807}",
            "{\"sensor\":\"a\",\"values\":[1],\"end\":9223372036854775808}", "{\"sensor\":\"a\",\"values\":[1],\"mean\":-0}",
            "{\"sensor\":\"a\",\"values\":[1],\"std\":1E400}", "{\"sensor\":\"\u0001\",\"values\":[1]}",
            // beyond Jackson's default number length limit (1000 characters)
            "{\"sensor\":\"a\",\"values\":[0." + "0".repeat(1000) + "1]}",
        };
        for (String input : inputs) {
            byte[] json = utf8(input);
            Object expected = outcome(() -> SensorSequenceJson.fromBytesWithJackson(json));
            Object actual = outcome(() -> SensorSequenceJson.fromBytes(json));
            if (expected instanceof SensorSequence e) {
                assertBitIdentical(e, (SensorSequence) actual, () -> input);
            } else {
                assertEquals(IllegalArgumentException.class, expected, input);
                assertEquals(expected, actual, input);
            }
        }
    }

    @Test
    void shouldReadEveryStepAsObservedWhenObservedIsAbsent() {
        SensorSequence s = SensorSequenceJson.fromBytesWithoutJackson(utf8("{\"sensor\":\"a\",\"values\":[1.5,2.5]}"));
        assertArrayEquals(new byte[] {1, 1}, s.observed());
        assertEquals(1.0, s.std()); // and the other defaults Jackson's reader had
        assertEquals(0, s.end());
    }

    @Test
    void shouldThrowIllegalArgumentWithJacksonsMessageForMalformedInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SensorSequenceJson.fromBytes(utf8("{\"sensor\":\"a\",\"values\":[1,]}")));
        assertTrue(e.getMessage().startsWith("malformed sequence JSON"), e.getMessage());
    }
}
