package io.sensorcast.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    private static final long SEED = 7L;
    private static final JsonFactory JACKSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final JsonWriter.Key NAME = JsonWriter.key("name");
    private static final JsonWriter.Key LIST = JsonWriter.key("list");

    private static byte[] jacksonString(String s) throws IOException {
        try (ByteArrayBuilder out = new ByteArrayBuilder(); JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeString(s);
            g.flush();
            return out.toByteArray();
        }
    }

    /** Quotes, backslashes, control characters, DEL, 2- and 3-byte UTF-8, paired and lone surrogates. */
    private static String randomString(SplittableRandom random) {
        char[] pool = {'a', 'Z', '.', '-', '/', '"', '\\', '\b', '\t', '\n', '\f', '\r', 0, 0x1F, 0x7F, 'é', 'ß', 0x7FF,
                0x800, '€', '中', 0xFFFF, 0xD83D, 0xDE00, 0xDBFF, 0xDC00};
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(0, 24);
        for (int i = 0; i < n; i++) {
            s.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : pool[random.nextInt(pool.length)]);
        }
        return s.toString();
    }

    @Test
    void shouldEscapeAndEncodeStringsAsJacksonsGeneratorDoes() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        JsonWriter w = new JsonWriter(16);
        for (int i = 0; i < 20_000; i++) {
            String s = randomString(random);
            assertArrayEquals(jacksonString(s), w.reset().string(s).toByteArray(), () -> "string " + s.chars().mapToObj(Integer::toHexString).toList() + ", seed " + SEED);
        }
    }

    @Test
    void shouldWriteControlCharactersWithTheirShortEscapesWhereJsonHasOne() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\\u001F\"",
                new String(new JsonWriter(8).string("a\"b\\c\n\t\u0001\u001f").toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldSeparateValuesAndMembersWithCommasButNotKeysFromTheirValues() {
        JsonWriter w = new JsonWriter(4);
        w.beginObject().key(NAME).string("x").key(LIST).beginArray()
                .number(1L).number(2.5f).beginObject().endObject().beginArray().endArray().nullValue()
                .endArray().endObject();
        assertEquals("{\"name\":\"x\",\"list\":[1,2.5,{},[],null]}", new String(w.toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteNonFiniteNumbersAsStringsAsJacksonDoes() {
        JsonWriter w = new JsonWriter(4).beginArray().number(Double.NaN).number(Float.NEGATIVE_INFINITY).endArray();
        assertEquals("[\"NaN\",\"-Infinity\"]", new String(w.toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldWriteExtremeLongs() {
        JsonWriter w = new JsonWriter(4).beginArray().number(Long.MIN_VALUE).number(Long.MAX_VALUE).number(0L).number(-7L).endArray();
        assertEquals("[-9223372036854775808,9223372036854775807,0,-7]", new String(w.toByteArray(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldStartEmptyAfterReset() {
        JsonWriter w = new JsonWriter(4).beginArray().number(1L).endArray();
        w.reset().beginArray().number(2L).endArray();
        assertEquals("[2]", new String(w.toByteArray(), StandardCharsets.UTF_8));
    }
}
