package io.sensorcast.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import org.junit.jupiter.api.Test;

/** Numbers are checked against Jackson's parser (the general path) on the same text, bit for bit. */
class JsonScannerTest {
    private static final long SEED = 11L;
    private static final JsonFactory JACKSON = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private static JsonScanner scanner(String json) {
        return new JsonScanner(json.getBytes(StandardCharsets.UTF_8));
    }

    private static float jacksonFloat(String number) throws IOException {
        try (JsonParser p = JACKSON.createParser("[" + number + "]")) {
            p.nextToken();
            p.nextToken();
            return p.getFloatValue();
        }
    }

    private static double jacksonDouble(String number) throws IOException {
        try (JsonParser p = JACKSON.createParser("[" + number + "]")) {
            p.nextToken();
            p.nextToken();
            return p.getDoubleValue();
        }
    }

    /** The same value in the many spellings JSON allows: shortest, exact, scientific, integral, padded. */
    private static String randomSpelling(SplittableRandom random, double v) {
        return switch (random.nextInt(7)) {
            case 0 -> Float.toString((float) v);
            case 1 -> Double.toString(v);
            case 2 -> String.format(Locale.ROOT, "%.6e", v);
            case 3 -> String.format(Locale.ROOT, "%.12E", v); // E+05, E-07: signed, zero-padded exponents
            case 4 -> new BigDecimal(v).round(new java.math.MathContext(random.nextInt(1, 19))).toString();
            case 5 -> Long.toString(Math.round(v));
            default -> String.format(Locale.ROOT, "%.9f", v);
        };
    }

    private static double randomMagnitude(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextGaussian();
            case 1 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-30, 30));
            case 2 -> Float.intBitsToFloat(random.nextInt());
            default -> Double.longBitsToDouble(random.nextLong());
        };
    }

    @Test
    void shouldReadFloatsAsJacksonDoesWhateverTheSpelling() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        int handled = 0;
        for (int i = 0; i < 200_000; i++) {
            double v = randomMagnitude(random);
            if (!Double.isFinite(v)) {
                continue;
            }
            String text = randomSpelling(random, v);
            if (text.endsWith("Infinity")) {
                continue; // a float spelling of a double beyond float range
            }
            float expected = jacksonFloat(text);
            float actual;
            try {
                actual = scanner(text + "]").floatValue();
                handled++;
            } catch (JsonScanner.Unsupported e) {
                continue; // left to Jackson by design
            }
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), () -> text + ", seed " + SEED);
        }
        assertTrue(handled > 150_000, "the fast path handled only " + handled);
    }

    @Test
    void shouldReadDoublesAsJacksonDoesWhateverTheSpelling() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int handled = 0;
        for (int i = 0; i < 200_000; i++) {
            double v = randomMagnitude(random);
            if (!Double.isFinite(v)) {
                continue;
            }
            String text = randomSpelling(random, v);
            if (text.endsWith("Infinity")) {
                continue; // a float spelling of a double beyond float range
            }
            double expected = jacksonDouble(text);
            double actual;
            try {
                actual = scanner(text + ",").doubleValue();
                handled++;
            } catch (JsonScanner.Unsupported e) {
                continue;
            }
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), () -> text + ", seed " + SEED);
        }
        assertTrue(handled > 150_000, "the fast path handled only " + handled);
    }

    @Test
    void shouldRoundOnceWhenTheDoubleNearestTheDecimalIsAFloatMidpoint() throws IOException {
        // 1 + 2^-24 is halfway between 1 and the next float; this decimal is 4.6e-18 above it, so the correctly rounded
        // float is the next one up, but the nearest double IS the midpoint and would round (to even) down to 1
        String justAboveMidpoint = "1.00000005960464478";
        assertEquals(1 + 0x1p-24, Double.parseDouble(justAboveMidpoint));
        assertEquals(Math.nextUp(1f), scanner(justAboveMidpoint + "]").floatValue());
        assertEquals(jacksonFloat(justAboveMidpoint), scanner(justAboveMidpoint + "]").floatValue());
    }

    @Test
    void shouldReadAnIntegerMinusZeroAsPositiveZeroLikeJackson() throws IOException {
        assertEquals(Float.floatToRawIntBits(jacksonFloat("-0")), Float.floatToRawIntBits(scanner("-0]").floatValue()));
        assertEquals(0, Float.floatToRawIntBits(scanner("-0]").floatValue()));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(scanner("-0.0]").floatValue()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(scanner("-0e3}").doubleValue()));
    }

    @Test
    void shouldReadOutOfRangeExponentsAsJacksonDoes() throws IOException {
        for (String text : new String[] {"1e999999", "-1e999999", "1e-999999", "3.4028236e38", "1.0e-46", "7e-46", "4.9e-324"}) {
            assertEquals(Float.floatToRawIntBits(jacksonFloat(text)), Float.floatToRawIntBits(scanner(text + "]").floatValue()), text);
            assertEquals(Double.doubleToRawLongBits(jacksonDouble(text)), Double.doubleToRawLongBits(scanner(text + "]").doubleValue()), text);
        }
    }

    @Test
    void shouldLeaveFormsJacksonRejectsByDefaultToJackson() {
        for (String text : new String[] {"01", "1.", ".5", "+1", "1e", "1e+", "-", "NaN", "0x10", "1.5x", "\"1\"", "12345678901234567890", "1.234567890123456789"}) {
            assertThrows(JsonScanner.Unsupported.class, () -> scanner(text + "]").floatValue(), text);
        }
    }

    @Test
    void shouldReadLongsOnlyFromIntegerTokens() {
        assertEquals(-1732445700000L, scanner(" -1732445700000 ,").longValue());
        assertEquals(Long.MIN_VALUE, scanner("-9223372036854775808,").longValue());
        assertEquals(Long.MAX_VALUE, scanner("9223372036854775807,").longValue());
        assertThrows(JsonScanner.Unsupported.class, () -> scanner("9223372036854775808,").longValue());
        assertThrows(JsonScanner.Unsupported.class, () -> scanner("-9223372036854775809,").longValue());
        assertThrows(JsonScanner.Unsupported.class, () -> scanner("1.0,").longValue());
        assertThrows(JsonScanner.Unsupported.class, () -> scanner("1e3,").longValue());
    }

    @Test
    void shouldReadPlainAsciiStringsAndLeaveEscapesAndNonAsciiToJackson() {
        assertEquals("pump-7.temp", scanner(" \"pump-7.temp\"").string());
        assertThrows(JsonScanner.Unsupported.class, () -> scanner("\"a\\nb\"").string());
        assertThrows(JsonScanner.Unsupported.class, () -> scanner("\"é\"").string());
        assertThrows(JsonScanner.Unsupported.class, () -> scanner("\"unterminated").string());
    }

    @Test
    void shouldMatchFieldNamesExactly() {
        byte[][] names = {"end".getBytes(StandardCharsets.US_ASCII), "endX".getBytes(StandardCharsets.US_ASCII)};
        assertEquals(1, scanner("\"endX\" : 1").fieldName(names));
        assertEquals(0, scanner("\n\"end\":1").fieldName(names));
        assertThrows(JsonScanner.Unsupported.class, () -> scanner("\"en\":1").fieldName(names));
    }
}
