package io.sensorcast.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.core.io.schubfach.FloatToDecimal;
import org.junit.jupiter.api.Test;

/**
 * The oracles: {@link Float#parseFloat}/{@link Double#parseDouble} for "reads back as the same bits", and Jackson's own
 * Schubfach port (what {@code USE_FAST_DOUBLE_WRITER} wrote before) for "the same text".
 */
class ShortestDecimalTest {
    private static final long SEED = 20261125L;
    private static final int RANDOM_VALUES = 300_000;

    private static String text(float v) {
        byte[] b = new byte[ShortestDecimal.MAX_FLOAT_CHARS];
        return new String(b, 0, ShortestDecimal.writeFloat(v, b, 0), StandardCharsets.US_ASCII);
    }

    private static String text(double v) {
        byte[] b = new byte[ShortestDecimal.MAX_DOUBLE_CHARS];
        return new String(b, 0, ShortestDecimal.writeDouble(v, b, 0), StandardCharsets.US_ASCII);
    }

    @Test
    void shouldWriteJacksonsTextForRandomFloatBitPatterns() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < RANDOM_VALUES; i++) {
            float v = Float.intBitsToFloat(random.nextInt());
            assertEquals(FloatToDecimal.toString(v), text(v), () -> "bits " + Integer.toHexString(Float.floatToRawIntBits(v)) + ", seed " + SEED);
        }
    }

    @Test
    void shouldWriteJacksonsTextForTheSmallestSubnormalAndNormalFloats() {
        // the subnormals below 8 ulps take a separate branch; the first normals border the irregular spacing at 2^-126
        for (int bits = 0; bits < 20_000; bits++) {
            float subnormal = Float.intBitsToFloat(bits);
            float normal = Float.intBitsToFloat(bits + 0x0080_0000 - 10_000);
            assertEquals(FloatToDecimal.toString(subnormal), text(subnormal), () -> "subnormal " + subnormal);
            assertEquals(FloatToDecimal.toString(normal), text(normal), () -> "normal " + normal);
        }
    }

    @Test
    void shouldReadBackAsTheSameFloatForRandomFloatBitPatterns() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int i = 0; i < RANDOM_VALUES; i++) {
            float v = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(v)) {
                assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(Float.parseFloat(text(v))), text(v));
            }
        }
    }

    @Test
    void shouldWriteJacksonsTextForRandomDoubleBitPatterns() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int i = 0; i < RANDOM_VALUES; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            assertEquals(DoubleToDecimal.toString(v), text(v), () -> "bits " + Long.toHexString(Double.doubleToRawLongBits(v)) + ", seed " + SEED);
        }
    }

    @Test
    void shouldWriteJacksonsTextForDoublesOfSensorMagnitudes() {
        SplittableRandom random = new SplittableRandom(SEED + 3);
        for (int i = 0; i < RANDOM_VALUES; i++) {
            double v = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-12, 12));
            assertEquals(DoubleToDecimal.toString(v), text(v));
        }
    }

    @Test
    void shouldReadBackAsTheSameDoubleForRandomDoubleBitPatterns() {
        SplittableRandom random = new SplittableRandom(SEED + 4);
        for (int i = 0; i < RANDOM_VALUES; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(v)) {
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(text(v))), text(v));
            }
        }
    }

    @Test
    void shouldUsePlainNotationFromOneThousandthUpToTenMillion() {
        assertEquals("0.001", text(0.001f));
        assertEquals("9.999999E-4", text(0.0009999999f));
        assertEquals("9999999.0", text(9_999_999f));
        assertEquals("1.0E7", text(10_000_000f));
        assertEquals("71.3", text(71.3));
        assertEquals("-0.0123", text(-0.0123));
        assertEquals("1234567.0", text(1_234_567.0));
        assertEquals("1.2345678E7", text(12_345_678.0));
    }

    @Test
    void shouldWriteScientificNotationWithAtLeastOneFractionDigit() {
        assertEquals("1.0E-5", text(1e-5f));
        assertEquals("1.4E-45", text(Float.MIN_VALUE));
        assertEquals("3.4028235E38", text(Float.MAX_VALUE));
        assertEquals("4.9E-324", text(Double.MIN_VALUE));
        assertEquals("1.7976931348623157E308", text(Double.MAX_VALUE));
        assertEquals("-2.5E-4", text(-2.5e-4));
    }

    @Test
    void shouldKeepTheSignOfZeroAndNameNonFiniteValues() {
        assertEquals("0.0", text(0.0f));
        assertEquals("-0.0", text(-0.0f));
        assertEquals("-0.0", text(-0.0));
        assertEquals("NaN", text(Float.NaN));
        assertEquals("-Infinity", text(Float.NEGATIVE_INFINITY));
        assertEquals("Infinity", text(Double.POSITIVE_INFINITY));
    }
}
