package io.sensorcast.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The envelope's own checks: structure, digest and HMAC, in order, before the payload is interpreted. */
class CheckpointCodecTest {
    private static final Optional<byte[]> KEY = Optional.of("test-signing-key".getBytes(StandardCharsets.UTF_8));
    private static final Optional<byte[]> OTHER_KEY = Optional.of("another-key".getBytes(StandardCharsets.UTF_8));
    private static final Optional<byte[]> NO_KEY = Optional.empty();

    private static CheckpointEnvelope unsigned;
    private static CheckpointEnvelope signed;

    @BeforeAll
    static void buildEnvelopes() {
        MultiLayerNetwork net = TestNetworks.trained(7, 2);
        unsigned = TestNetworks.envelope(net, 3, NO_KEY);
        signed = TestNetworks.envelope(net, 3, KEY);
    }

    @Test
    void shouldReturnAnEqualEnvelopeWhenEncodedAndDecoded() {
        DecodeResult result = CheckpointCodec.decode(signed.encode(), KEY);

        CheckpointEnvelope decoded = assertInstanceOf(Verified.class, result).envelope();
        assertEquals(signed, decoded);
        assertEquals(Map.of("loss", 0.5, "prequentialMae", 0.25), decoded.quality());
        assertEquals(Map.of("sensor-sequences-0", 42L), decoded.sourceOffsets());
        assertEquals("{\"cell\":\"lstm\",\"hidden\":4}", decoded.modelConfig());
    }

    @Test
    void shouldAcceptUnsignedEnvelopeWhenNoKeyIsConfigured() {
        assertInstanceOf(Verified.class, CheckpointCodec.decode(unsigned.encode(), NO_KEY));
    }

    @Test
    void shouldRejectWithDigestMismatchWhenAPayloadByteIsFlipped() {
        byte[] bytes = signed.encode();
        bytes[bytes.length - 10] ^= 0x01; // last bytes are updater state: inside the payload

        assertRejected(CheckpointRejectReason.DIGEST_MISMATCH, CheckpointCodec.decode(bytes, KEY));
    }

    @Test
    void shouldRejectWithHmacMissingWhenAKeyIsConfiguredAndTheEnvelopeIsUnsigned() {
        assertRejected(CheckpointRejectReason.HMAC_MISSING, CheckpointCodec.decode(unsigned.encode(), KEY));
    }

    @Test
    void shouldRejectWithHmacMismatchWhenSignedWithAnotherKey() {
        assertRejected(CheckpointRejectReason.HMAC_MISMATCH, CheckpointCodec.decode(signed.encode(), OTHER_KEY));
    }

    @Test
    void shouldRejectWithHmacMismatchWhenASignedHeaderFieldIsAltered() {
        byte[] bytes = signed.encode();
        // "version":3 → "version":9 keeps every length and the payload digest valid: only the HMAC can tell
        replaceOnce(bytes, "\"version\":3", "\"version\":9");

        assertInstanceOf(Verified.class, CheckpointCodec.decode(bytes, NO_KEY), "the edit must leave a well-formed envelope");
        assertRejected(CheckpointRejectReason.HMAC_MISMATCH, CheckpointCodec.decode(bytes, KEY));
    }

    @Test
    void shouldRejectWithUnknownFormatWhenTheFormatVersionIsNotOne() {
        byte[] bytes = signed.encode();
        ByteBuffer.wrap(bytes).putShort(4, (short) 2);

        assertRejected(CheckpointRejectReason.UNKNOWN_FORMAT, CheckpointCodec.decode(bytes, KEY));
    }

    @Test
    void shouldRejectWithBadMagicWhenTheBytesAreNotAnEnvelope() {
        byte[] json = "{\"modelId\":\"default\"}".getBytes(StandardCharsets.UTF_8);

        assertRejected(CheckpointRejectReason.BAD_MAGIC, CheckpointCodec.decode(json, NO_KEY));
    }

    @Test
    void shouldRejectWithTooLargeWhenTheEnvelopeExceedsTheLimit() {
        byte[] fiftyMegabytes = new byte[50 * 1024 * 1024];
        CheckpointEnvelope huge = CheckpointEnvelope.create("default", 1, 0, 0, 8, 2, "{}", Map.of(), Map.of(),
                fiftyMegabytes, KEY);

        Rejected rejected = assertRejected(CheckpointRejectReason.TOO_LARGE, CheckpointCodec.decode(huge.encode(), KEY));
        assertTrue(rejected.detail().contains("limit " + CheckpointCodec.DEFAULT_MAX_BYTES), rejected.detail());
    }

    @Test
    void shouldRejectWithMalformedWhenTheEnvelopeIsTruncated() {
        byte[] bytes = signed.encode();

        assertRejected(CheckpointRejectReason.MALFORMED, CheckpointCodec.decode(Arrays.copyOf(bytes, bytes.length - 1), KEY));
    }

    @Test
    void shouldRejectWithMalformedWhenTheHeaderIsNotJson() {
        byte[] bytes = signed.encode();
        replaceOnce(bytes, "{\"modelId\"", "[\"modelId\"");

        assertRejected(CheckpointRejectReason.MALFORMED, CheckpointCodec.decode(bytes, NO_KEY));
    }

    static Rejected assertRejected(CheckpointRejectReason expected, CheckpointResult result) {
        Rejected rejected = assertInstanceOf(Rejected.class, result);
        assertEquals(expected, rejected.reason(), rejected.detail());
        assertEquals(expected.code(), rejected.code());
        return rejected;
    }

    private static void replaceOnce(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        assertEquals(f.length, t.length);
        for (int i = 0; i + f.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, bytes, i, t.length);
                return;
            }
        }
        throw new AssertionError(from + " not found in the envelope");
    }

    static void assertSameBits(float[] expected, float[] actual) {
        assertArrayEquals(expected, actual); // assertArrayEquals on floats compares floatToIntBits: exact
    }
}
