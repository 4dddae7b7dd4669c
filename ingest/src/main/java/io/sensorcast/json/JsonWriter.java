package io.sensorcast.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes JSON into a growable byte array, for the records on the hot path ({@code sensor-sequences},
 * {@code forecasts}) where Jackson's generator, with a String per number, was most of a stream thread's CPU.
 * The output is byte for byte what Jackson's UTF-8 generator writes with {@code USE_FAST_DOUBLE_WRITER} and default
 * features: numbers in their shortest round-trip form ({@link ShortestDecimal}), non-finite numbers as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, strings escaped the same way (below).
 *
 * <p>Commas are placed by the writer: after {@link #beginObject()} or {@link #beginArray()} and after a key none is
 * needed, after a value or a closed container one is. One writer per thread; {@link #reset()} between records.
 * <pre>{@code
 * w.reset().beginObject().key(SENSOR).string("pump-7.temp").key(VALUES).beginArray();
 * for (float v : values) w.number(v);
 * byte[] json = w.endArray().endObject().toByteArray();
 * }</pre>
 */
public final class JsonWriter {
    /** A field name, encoded once: {@code "name":}. */
    public static final class Key {
        private final byte[] quotedWithColon;

        private Key(byte[] quotedWithColon) {
            this.quotedWithColon = quotedWithColon;
        }
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    /** A writer that grew past this for an unusual record gives the memory back on reset. */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private final int initialCapacity;
    private byte[] buf;
    private int size;
    private boolean needsComma;

    public JsonWriter(int initialCapacity) {
        this.initialCapacity = initialCapacity;
        this.buf = new byte[initialCapacity];
    }

    /** A key for {@link #key(Key)}; the name is escaped like any string. */
    public static Key key(String name) {
        JsonWriter w = new JsonWriter(name.length() * 6 + 3);
        w.string(name);
        w.ensure(1);
        w.buf[w.size++] = ':';
        return new Key(w.toByteArray());
    }

    public JsonWriter reset() {
        if (buf.length > RETAINED_CAPACITY) {
            buf = new byte[initialCapacity];
        }
        size = 0;
        needsComma = false;
        return this;
    }

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    public JsonWriter key(Key key) {
        byte[] k = key.quotedWithColon;
        ensure(k.length + 1);
        comma();
        System.arraycopy(k, 0, buf, size, k.length);
        size += k.length;
        needsComma = false;
        return this;
    }

    public JsonWriter nullValue() {
        ensure(NULL.length + 1);
        comma();
        System.arraycopy(NULL, 0, buf, size, NULL.length);
        size += NULL.length;
        needsComma = true;
        return this;
    }

    public JsonWriter number(long v) {
        ensure(21);
        comma();
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return raw(Long.toString(v));
            }
            buf[size++] = '-';
            v = -v;
        }
        size = ShortestDecimal.writeDigits(v, ShortestDecimal.digitCount(v), buf, size);
        needsComma = true;
        return this;
    }

    public JsonWriter number(float v) {
        if (!Float.isFinite(v)) {
            return string(Float.toString(v));
        }
        ensure(ShortestDecimal.MAX_FLOAT_CHARS + 1);
        comma();
        size = ShortestDecimal.writeFloat(v, buf, size);
        needsComma = true;
        return this;
    }

    public JsonWriter number(double v) {
        if (!Double.isFinite(v)) {
            return string(Double.toString(v));
        }
        ensure(ShortestDecimal.MAX_DOUBLE_CHARS + 1);
        comma();
        size = ShortestDecimal.writeDouble(v, buf, size);
        needsComma = true;
        return this;
    }

    /**
     * A JSON string, escaped as Jackson's UTF-8 generator does: {@code "} and {@code \} with a backslash; backspace,
     * tab, newline, form feed and carriage return as {@code \b \t \n \f \r}; other control characters as
     * {@code \}{@code u00XX}; surrogates (also paired ones) as {@code \}{@code uXXXX}; everything else as UTF-8.
     */
    public JsonWriter string(String s) {
        int n = s.length();
        ensure(n * 6 + 3);
        comma();
        byte[] b = buf;
        int p = size;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else {
                    p = escapeAscii(c, b, p);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                p = unicodeEscape(c, b, p);
            } else {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        b[p++] = '"';
        size = p;
        needsComma = true;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public int size() {
        return size;
    }

    private static int escapeAscii(char c, byte[] b, int p) {
        byte shortForm = switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
        };
        if (shortForm == 0) {
            return unicodeEscape(c, b, p);
        }
        b[p++] = '\\';
        b[p++] = shortForm;
        return p;
    }

    private static int unicodeEscape(char c, byte[] b, int p) {
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX[c >> 12 & 0xF];
        b[p++] = HEX[c >> 8 & 0xF];
        b[p++] = HEX[c >> 4 & 0xF];
        b[p++] = HEX[c & 0xF];
        return p;
    }

    private JsonWriter raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buf[size++] = (byte) ascii.charAt(i);
        }
        needsComma = true;
        return this;
    }

    private JsonWriter open(char bracket) {
        ensure(2);
        comma();
        buf[size++] = (byte) bracket;
        needsComma = false;
        return this;
    }

    private JsonWriter close(char bracket) {
        ensure(1);
        buf[size++] = (byte) bracket;
        needsComma = true;
        return this;
    }

    private void comma() {
        if (needsComma) {
            buf[size++] = ',';
        }
    }

    /** Room for {@code n} more bytes plus a comma. */
    private void ensure(int n) {
        if (size + n + 1 > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n + 1));
        }
    }
}
