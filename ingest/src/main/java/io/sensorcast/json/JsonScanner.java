package io.sensorcast.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the common forms of JSON straight from bytes, without a String per number, for decoders that keep Jackson
 * as their general path. Whatever this scanner does not handle itself it reports with {@link Unsupported}, and the
 * caller then parses the whole record with Jackson: so a scanner-based decoder returns exactly what Jackson would,
 * and rejects exactly what Jackson rejects.
 *
 * <p>Handled: whitespace, strings of printable ASCII without escapes (up to 10,000 bytes), integers within
 * {@code long} range, and other numbers of the JSON grammar with at most 18 significant digits (and 100 characters).
 * Number values are those Jackson gives for the same token: a {@code float} or {@code double} token (one with a
 * fraction or an exponent) is rounded once, correctly, as {@link Float#parseFloat} and {@link Double#parseDouble} do
 * (exact arithmetic where it is exact, Clinger 1990, else those methods); an integer token is a {@code long} converted
 * with Java's rounding, so {@code -0} is {@code +0.0} (as in Jackson) while {@code -0.0} is {@code -0.0}.
 */
public final class JsonScanner {
    /** The input uses a form this scanner leaves to a general parser; not a verdict on validity. Has no stack trace. */
    public static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Unsupported() {
            super("not handled by the fast JSON path", null, false, false);
        }
    }

    private static final Unsupported UNSUPPORTED = new Unsupported();
    /** Significant digits of a number with a fraction or exponent; any 18 digits fit a long. */
    private static final int MAX_DIGITS = 18;
    /** Digits of an integer: any 19 digits fit a long read as unsigned, and the range check follows. */
    private static final int MAX_INTEGER_DIGITS = 19;
    /** 10^0 … 10^22, each exactly a double: a product or quotient with them is correctly rounded (Clinger 1990). */
    private static final double[] EXACT_POWERS_OF_TEN = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final long TWO_TO_53 = 1L << 53;
    /** Longer numbers and strings are left to Jackson, which enforces its own limits on them (StreamReadConstraints). */
    private static final int MAX_NUMBER_CHARS = 100;
    private static final int MAX_STRING_BYTES = 10_000;
    private static final long HALFWAY_MASK = (1L << 29) - 1;
    private static final long HALFWAY_BITS = 1L << 28;

    private final byte[] in;
    private int pos;
    // the number last scanned: value = ±significand · 10^exponent
    private boolean negative;
    private long significand;
    private int exponent;
    private boolean integer;
    private int numberStart;
    /** Collects an array's numbers until its length is known; shared by the arrays of one record. */
    private float[] scratch;

    public JsonScanner(byte[] in) {
        this.in = in;
    }

    public static Unsupported unsupported() {
        return UNSUPPORTED;
    }

    /** The next byte after whitespace, without consuming it. */
    public int peek() {
        skipWhitespace();
        if (pos >= in.length) {
            throw UNSUPPORTED;
        }
        return in[pos];
    }

    /** Consumes {@code c} after whitespace, or reports {@link Unsupported}. */
    public void expect(char c) {
        if (peek() != c) {
            throw UNSUPPORTED;
        }
        pos++;
    }

    /** Consumes {@code c} after whitespace if it is next. */
    public boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Whether only whitespace is left. */
    public boolean atEnd() {
        skipWhitespace();
        return pos == in.length;
    }

    /** A field name, matched against {@code names} (plain ASCII); returns its index and consumes the colon. */
    public int fieldName(byte[][] names) {
        expect('"');
        int start = pos;
        int end = plainStringEnd();
        int length = end - start;
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i];
            if (name.length == length && regionEquals(name, start)) {
                pos = end + 1;
                expect(':');
                return i;
            }
        }
        throw UNSUPPORTED;
    }

    public String string() {
        expect('"');
        int start = pos;
        int end = plainStringEnd();
        pos = end + 1;
        return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** A JSON array of numbers, each read as {@link #floatValue()}. */
    public float[] floatArray() {
        expect('[');
        if (consume(']')) {
            return new float[0];
        }
        float[] buf = scratch == null ? new float[128] : scratch;
        int n = 0;
        do {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = floatValue();
        } while (consume(','));
        expect(']');
        scratch = buf;
        return Arrays.copyOf(buf, n);
    }

    public long longValue() {
        scanNumber();
        if (!integer) {
            throw UNSUPPORTED;
        }
        return integerValue();
    }

    public float floatValue() {
        scanNumber();
        if (integer) {
            return (float) integerValue();
        }
        if (significand == 0) {
            return negative ? -0.0f : 0.0f;
        }
        if (significand <= TWO_TO_53 && exponent >= -22 && exponent <= 22) {
            double exact = exponent >= 0
                    ? significand * EXACT_POWERS_OF_TEN[exponent]
                    : significand / EXACT_POWERS_OF_TEN[-exponent];
            // exact is the value rounded to double; rounding that to float again is the float rounding of the value
            // unless it landed exactly halfway between two floats, where the double rounding may have decided the tie.
            // In this range (1e-22 … 1e38) every float is normal, so a halfway double has the bit below the float's
            // last bit set and nothing after it: the low 29 of its 52 fraction bits are 1 followed by 28 zeros.
            if ((Double.doubleToRawLongBits(exact) & HALFWAY_MASK) != HALFWAY_BITS) {
                float f = (float) exact;
                return negative ? -f : f;
            }
        }
        return Float.parseFloat(numberText());
    }

    public double doubleValue() {
        scanNumber();
        if (integer) {
            return (double) integerValue();
        }
        if (significand == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (significand <= TWO_TO_53 && exponent >= -22 && exponent <= 22) {
            double d = exponent >= 0
                    ? significand * EXACT_POWERS_OF_TEN[exponent]
                    : significand / EXACT_POWERS_OF_TEN[-exponent];
            return negative ? -d : d;
        }
        return Double.parseDouble(numberText());
    }

    /** The integer last scanned, as Jackson holds it: a long (so {@code -0} is 0); beyond long range Jackson's part. */
    private long integerValue() {
        long unsigned = significand;
        if (negative) {
            if (Long.compareUnsigned(unsigned, Long.MIN_VALUE) > 0) {
                throw UNSUPPORTED;
            }
            return -unsigned;
        }
        if (unsigned < 0) {
            throw UNSUPPORTED;
        }
        return unsigned;
    }

    private String numberText() {
        return new String(in, numberStart, pos - numberStart, StandardCharsets.ISO_8859_1);
    }

    /**
     * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? followed by whitespace, a comma or a closing bracket; the
     * forms Jackson rejects by default (leading zeros, a bare point, a plus sign, NaN) are left to it.
     */
    private void scanNumber() {
        skipWhitespace();
        byte[] b = in;
        int p = pos;
        int n = b.length;
        numberStart = p;
        negative = p < n && b[p] == '-';
        if (negative) {
            p++;
        }
        if (p >= n) {
            throw UNSUPPORTED;
        }
        long w = 0;
        int digits = 0;
        int exp = 0;
        boolean isInteger = true;
        if (b[p] == '0') {
            p++;
            if (p < n && isDigit(b[p])) {
                throw UNSUPPORTED;
            }
        } else if (isDigit(b[p])) {
            while (p < n && isDigit(b[p])) {
                if (++digits > MAX_INTEGER_DIGITS) {
                    throw UNSUPPORTED;
                }
                w = w * 10 + (b[p++] - '0');
            }
        } else {
            throw UNSUPPORTED;
        }
        if (p < n && b[p] == '.') {
            isInteger = false;
            p++;
            if (p >= n || !isDigit(b[p])) {
                throw UNSUPPORTED;
            }
            while (p < n && isDigit(b[p])) {
                int d = b[p++] - '0';
                if (w == 0 && d == 0) {
                    exp--; // a leading zero of the fraction: no significant digit yet
                    continue;
                }
                if (++digits > MAX_DIGITS) {
                    throw UNSUPPORTED;
                }
                w = w * 10 + d;
                exp--;
            }
        }
        if (p < n && (b[p] == 'e' || b[p] == 'E')) {
            isInteger = false;
            p++;
            boolean negativeExponent = false;
            if (p < n && (b[p] == '+' || b[p] == '-')) {
                negativeExponent = b[p++] == '-';
            }
            if (p >= n || !isDigit(b[p])) {
                throw UNSUPPORTED;
            }
            int e = 0;
            int exponentDigits = 0;
            while (p < n && isDigit(b[p])) {
                if (++exponentDigits > 6) {
                    throw UNSUPPORTED;
                }
                e = e * 10 + (b[p++] - '0');
            }
            exp += negativeExponent ? -e : e;
        }
        if (!isInteger && digits > MAX_DIGITS || p - numberStart > MAX_NUMBER_CHARS) {
            throw UNSUPPORTED;
        }
        if (p < n && !isNumberEnd(b[p])) {
            throw UNSUPPORTED;
        }
        pos = p;
        significand = w;
        exponent = exp;
        integer = isInteger;
    }

    /** The index of the closing quote of a string of printable ASCII without escapes. */
    private int plainStringEnd() {
        byte[] b = in;
        int limit = Math.min(b.length, pos + MAX_STRING_BYTES);
        for (int p = pos; p < limit; p++) {
            byte c = b[p];
            if (c == '"') {
                return p;
            }
            if (c < 0x20 || c == '\\') { // negative for non-ASCII bytes
                throw UNSUPPORTED;
            }
        }
        throw UNSUPPORTED;
    }

    private boolean regionEquals(byte[] name, int start) {
        for (int i = 0; i < name.length; i++) {
            if (in[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private void skipWhitespace() {
        byte[] b = in;
        int p = pos;
        while (p < b.length && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) {
            p++;
        }
        pos = p;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNumberEnd(byte c) {
        return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
