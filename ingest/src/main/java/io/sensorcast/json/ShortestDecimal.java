package io.sensorcast.json;

import java.math.BigInteger;

/**
 * The shortest decimal that reads back as the same {@code float} or {@code double}, written as ASCII straight into a
 * byte array: the text of {@link Float#toString(float)} and {@link Double#toString(double)} as specified since Java 19
 * (which is also what Jackson writes with {@code USE_FAST_DOUBLE_WRITER}), without creating a String per number.
 *
 * <p>The digits come from Schubfach (R. Giulietti, "The Schubfach way to render doubles", 2020; the algorithm of
 * {@code Double.toString} since JDK 19): the rounding interval of the binary value is scaled by a 126-bit approximation
 * of a power of ten, after which at most two candidate decimals need checking. The layout follows the
 * {@code toString} rules: plain notation for magnitudes in [10<sup>-3</sup>, 10<sup>7</sup>) ({@code 71.25},
 * {@code 0.001}, {@code 1234567.0}), computerised scientific otherwise ({@code 1.0E7}, {@code -2.5E-4}), at least one
 * digit after the point. Non-finite values give {@code NaN}, {@code Infinity}, {@code -Infinity}.
 */
public final class ShortestDecimal {
    /** The longest float text, e.g. {@code -1.17549435E-38}. */
    public static final int MAX_FLOAT_CHARS = 15;
    /** The longest double text, e.g. {@code -2.2250738585072014E-308}. */
    public static final int MAX_DOUBLE_CHARS = 24;

    private static final int FLOAT_Q_MIN = -149;
    private static final int FLOAT_C_MIN = 1 << 23;
    private static final int DOUBLE_Q_MIN = -1074;
    private static final long DOUBLE_C_MIN = 1L << 52;
    private static final long MASK_32 = (1L << 32) - 1;
    private static final long MASK_63 = Long.MAX_VALUE;
    private static final int K_MIN = -324;
    private static final int K_MAX = 292;
    /** For each k in [K_MIN, K_MAX], g = floor(10^-k · 2^-r) + 1 with r such that 2^125 ≤ g < 2^126, as (g >> 63, g mod 2^63). */
    private static final long[] G = powersOfTen();
    private static final long[] POWERS_OF_TEN = powersOfTenAsLongs();
    /** "00", "01", … "99", back to back. */
    private static final byte[] DIGIT_PAIRS = digitPairs();
    private static final byte[] NAN = {'N', 'a', 'N'};
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};

    private ShortestDecimal() {
    }

    /** Writes {@code v} at {@code dst[pos]} (room for {@link #MAX_FLOAT_CHARS} needed) and returns the end position. */
    public static int writeFloat(float v, byte[] dst, int pos) {
        int bits = Float.floatToRawIntBits(v);
        int t = bits & (FLOAT_C_MIN - 1);
        int bq = (bits >>> 23) & 0xFF;
        if (bq == 0xFF) {
            return nonFinite(t != 0, bits < 0, dst, pos);
        }
        if (bits < 0) {
            dst[pos++] = '-';
        }
        if (bq != 0) {
            int mq = -FLOAT_Q_MIN + 1 - bq;
            int c = FLOAT_C_MIN | t;
            // an integer below 2^24 is its own shortest decimal
            if (0 < mq && mq < 24) {
                int f = c >> mq;
                if (f << mq == c) {
                    return writeDecimal(f, 0, dst, pos);
                }
            }
            return floatToDecimal(-mq, c, 0, dst, pos);
        }
        if (t != 0) {
            // the smallest subnormals have too few significant bits for the scaled interval; widen them tenfold
            return t < 8 ? floatToDecimal(FLOAT_Q_MIN, 10 * t, -1, dst, pos) : floatToDecimal(FLOAT_Q_MIN, t, 0, dst, pos);
        }
        return zero(dst, pos);
    }

    /** Writes {@code v} at {@code dst[pos]} (room for {@link #MAX_DOUBLE_CHARS} needed) and returns the end position. */
    public static int writeDouble(double v, byte[] dst, int pos) {
        long bits = Double.doubleToRawLongBits(v);
        long t = bits & (DOUBLE_C_MIN - 1);
        int bq = (int) (bits >>> 52) & 0x7FF;
        if (bq == 0x7FF) {
            return nonFinite(t != 0, bits < 0, dst, pos);
        }
        if (bits < 0) {
            dst[pos++] = '-';
        }
        if (bq != 0) {
            int mq = -DOUBLE_Q_MIN + 1 - bq;
            long c = DOUBLE_C_MIN | t;
            if (0 < mq && mq < 53) {
                long f = c >> mq;
                if (f << mq == c) {
                    return writeDecimal(f, 0, dst, pos);
                }
            }
            return doubleToDecimal(-mq, c, 0, dst, pos);
        }
        if (t != 0) {
            return t < 3 ? doubleToDecimal(DOUBLE_Q_MIN, 10 * t, -1, dst, pos) : doubleToDecimal(DOUBLE_Q_MIN, t, 0, dst, pos);
        }
        return zero(dst, pos);
    }

    /** The value c·2^q, 2^23 ≤ c < 2^24 except for subnormals; {@code dk} corrects the exponent of widened subnormals. */
    private static int floatToDecimal(int q, int c, int dk, byte[] dst, int pos) {
        int out = c & 1;
        long cb = (long) c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        // at a power of two the interval below is half as wide as the one above
        if (c != FLOAT_C_MIN || q == FLOAT_Q_MIN) {
            cbl = cb - 2;
            k = floorLog10Pow2(q);
        } else {
            cbl = cb - 1;
            k = floorLog10ThreeQuartersPow2(q);
        }
        int h = q + floorLog2Pow10(-k) + 33;
        long g = G[(k - K_MIN) << 1] + 1;
        int vb = roundOddFloat(g, cb << h);
        int vbl = roundOddFloat(g, cbl << h);
        int vbr = roundOddFloat(g, cbr << h);
        int s = vb >> 2;
        if (s >= 100) {
            int sp10 = 10 * (int) (s * 1_717_986_919L >>> 34);
            int tp10 = sp10 + 10;
            boolean upin = vbl + out <= sp10 << 2;
            boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin) {
                return writeDecimal(upin ? sp10 : tp10, k, dst, pos);
            }
        }
        int t = s + 1;
        boolean uin = vbl + out <= s << 2;
        boolean win = (t << 2) + out <= vbr;
        if (uin != win) {
            return writeDecimal(uin ? s : t, k + dk, dst, pos);
        }
        int cmp = vb - (s + t << 1);
        return writeDecimal(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, dst, pos);
    }

    private static int doubleToDecimal(int q, long c, int dk, byte[] dst, int pos) {
        int out = (int) c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != DOUBLE_C_MIN || q == DOUBLE_Q_MIN) {
            cbl = cb - 2;
            k = floorLog10Pow2(q);
        } else {
            cbl = cb - 1;
            k = floorLog10ThreeQuartersPow2(q);
        }
        int h = q + floorLog2Pow10(-k) + 2;
        long g1 = G[(k - K_MIN) << 1];
        long g0 = G[(k - K_MIN) << 1 | 1];
        long vb = roundOddDouble(g1, g0, cb << h);
        long vbl = roundOddDouble(g1, g0, cbl << h);
        long vbr = roundOddDouble(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 100) {
            long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4); // 10·floor(s/10)
            long tp10 = sp10 + 10;
            boolean upin = vbl + out <= sp10 << 2;
            boolean wpin = (tp10 << 2) + out <= vbr;
            if (upin != wpin) {
                return writeDecimal(upin ? sp10 : tp10, k, dst, pos);
            }
        }
        long t = s + 1;
        boolean uin = vbl + out <= s << 2;
        boolean win = (t << 2) + out <= vbr;
        if (uin != win) {
            return writeDecimal(uin ? s : t, k + dk, dst, pos);
        }
        long cmp = vb - (s + t << 1);
        return writeDecimal(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, dst, pos);
    }

    /** g·cp / 2^95, rounded to odd (the paper's "rop"), for the 64-bit g of floats. */
    private static int roundOddFloat(long g, long cp) {
        long x1 = Math.multiplyHigh(g, cp);
        long vbp = x1 >>> 31;
        return (int) (vbp | (x1 & MASK_32) + MASK_32 >>> 32);
    }

    /** (g1·2^63 + g0)·cp / 2^127, rounded to odd. */
    private static long roundOddDouble(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long vbp = y1 + (z >>> 63);
        return vbp | (z & MASK_63) + MASK_63 >>> 63;
    }

    /** Lays out f·10^e (f > 0) the way {@code Double.toString} does. */
    private static int writeDecimal(long f, int e, byte[] dst, int pos) {
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        int n = digitCount(f);
        int exponent = e + n - 1; // of the leading digit
        if (exponent >= 0 && exponent < 7) {
            if (n <= exponent + 1) {
                pos = writeDigits(f, n, dst, pos);
                for (int i = n; i <= exponent; i++) {
                    dst[pos++] = '0';
                }
                dst[pos++] = '.';
                dst[pos++] = '0';
                return pos;
            }
            return writeDigitsWithPoint(f, n, exponent + 1, dst, pos);
        }
        if (exponent < 0 && exponent >= -3) {
            dst[pos++] = '0';
            dst[pos++] = '.';
            for (int i = -1; i > exponent; i--) {
                dst[pos++] = '0';
            }
            return writeDigits(f, n, dst, pos);
        }
        if (n == 1) {
            dst[pos++] = (byte) ('0' + f);
            dst[pos++] = '.';
            dst[pos++] = '0';
        } else {
            pos = writeDigitsWithPoint(f, n, 1, dst, pos);
        }
        dst[pos++] = 'E';
        if (exponent < 0) {
            dst[pos++] = '-';
            exponent = -exponent;
        }
        return writeDigits(exponent, digitCount(exponent), dst, pos);
    }

    /** The n digits of f with a point after the first {@code before} of them (0 < before < n). */
    private static int writeDigitsWithPoint(long f, int n, int before, byte[] dst, int pos) {
        int end = writeDigits(f, n, dst, pos + 1);
        for (int i = 0; i < before; i++) {
            dst[pos + i] = dst[pos + i + 1];
        }
        dst[pos + before] = '.';
        return end;
    }

    /** The n decimal digits of v (v ≥ 0), most significant first; two at a time, from the right. */
    static int writeDigits(long v, int n, byte[] dst, int pos) {
        int end = pos + n;
        int i = end;
        while (v >= Integer.MAX_VALUE) {
            long q = v / 100;
            int r = (int) (v - q * 100) << 1;
            dst[--i] = DIGIT_PAIRS[r + 1];
            dst[--i] = DIGIT_PAIRS[r];
            v = q;
        }
        int u = (int) v;
        while (i - pos >= 2) {
            int q = u / 100;
            int r = u - q * 100 << 1;
            dst[--i] = DIGIT_PAIRS[r + 1];
            dst[--i] = DIGIT_PAIRS[r];
            u = q;
        }
        if (i > pos) {
            dst[--i] = (byte) ('0' + u);
        }
        return end;
    }

    /** Decimal digits of v (v ≥ 0). */
    static int digitCount(long v) {
        if (v < 10) {
            return 1;
        }
        // floor(log10(2^bits)) estimate, corrected by one comparison
        int estimate = (64 - Long.numberOfLeadingZeros(v | 1)) * 1233 >>> 12;
        return v >= POWERS_OF_TEN[estimate] ? estimate + 1 : estimate;
    }

    private static int zero(byte[] dst, int pos) {
        dst[pos++] = '0';
        dst[pos++] = '.';
        dst[pos++] = '0';
        return pos;
    }

    private static int nonFinite(boolean nan, boolean negative, byte[] dst, int pos) {
        byte[] text = nan ? NAN : INFINITY;
        if (!nan && negative) {
            dst[pos++] = '-';
        }
        System.arraycopy(text, 0, dst, pos, text.length);
        return pos + text.length;
    }

    // floor(q·log10(2)), floor(q·log10(3/4 · 2)) and floor(e·log2(10)), exact for the exponents of doubles
    private static int floorLog10Pow2(int q) {
        return (int) (q * 661_971_961_083L >> 41);
    }

    private static int floorLog10ThreeQuartersPow2(int q) {
        return (int) (q * 661_971_961_083L - 274_743_187_321L >> 41);
    }

    private static int floorLog2Pow10(int e) {
        return (int) (e * 913_124_641_741L >> 38);
    }

    private static byte[] digitPairs() {
        byte[] pairs = new byte[200];
        for (int i = 0; i < 100; i++) {
            pairs[2 * i] = (byte) ('0' + i / 10);
            pairs[2 * i + 1] = (byte) ('0' + i % 10);
        }
        return pairs;
    }

    private static long[] powersOfTenAsLongs() {
        long[] p = new long[19];
        p[0] = 1;
        for (int i = 1; i < p.length; i++) {
            p[i] = p[i - 1] * 10;
        }
        return p;
    }

    private static long[] powersOfTen() {
        long[] g = new long[(K_MAX - K_MIN + 1) << 1];
        BigInteger low63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
        for (int k = K_MIN; k <= K_MAX; k++) {
            int e = -k;
            BigInteger scaled;
            if (e >= 0) {
                BigInteger p = BigInteger.TEN.pow(e);
                int r = p.bitLength() - 126;
                scaled = r >= 0 ? p.shiftRight(r) : p.shiftLeft(-r);
            } else {
                BigInteger p = BigInteger.TEN.pow(-e);
                scaled = BigInteger.ONE.shiftLeft(125 + p.bitLength()).divide(p);
            }
            scaled = scaled.add(BigInteger.ONE);
            g[(k - K_MIN) << 1] = scaled.shiftRight(63).longValueExact();
            g[(k - K_MIN) << 1 | 1] = scaled.and(low63).longValueExact();
        }
        return g;
    }
}
