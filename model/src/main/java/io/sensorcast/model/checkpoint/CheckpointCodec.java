package io.sensorcast.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The binary form of a {@link CheckpointEnvelope}; no Java serialisation anywhere. All integers are big-endian.
 *
 * <pre>
 * offset     size  field
 * 0          4     magic "SCKP" (0x53 0x43 0x4B 0x50)
 * 4          2     format version, uint16 (1)
 * 6          2     flags, uint16: bit 0 = HMAC present; every other bit must be 0
 * 8          4     header length H, int32, 2 ≤ H ≤ 65,536
 * 12         H     header: one UTF-8 JSON object
 *                    {"modelId":"default","version":7,"trainingStep":4200,"createdAtMs":1732440000000,
 *                     "window":96,"horizon":24,"modelConfig":"{…}","quality":{"loss":0.41,…},
 *                     "sourceOffsets":{"sensor-sequences-0":1234,…},"payloadLength":209715}
 * 12+H       32    SHA-256 of the payload
 * 44+H       32    HMAC-SHA256 over bytes [0, 44+H) — only when flag bit 0 is set. The header and the digest it
 *                  covers bind the payload, so the payload is authenticated without a second pass.
 * 44+H(+32)  4     payload length P, int32; equals the header's payloadLength and exactly the bytes that remain
 * …          P     payload: the model ({@link ModelPayload})
 * </pre>
 *
 * <p>{@link #decode} checks, in this order, and before interpreting a single payload byte: total size against the
 * limit ({@code too_large}), magic ({@code bad_magic}), format version ({@code unknown_format}), structure, lengths
 * and header fields ({@code malformed}), SHA-256 ({@code digest_mismatch}), then, when a key is configured, the
 * HMAC ({@code hmac_missing}, {@code hmac_mismatch}). An envelope signed with a key is accepted by a reader with
 * none: without a key there is nothing to check it against. The HMAC comparison is constant-time.
 */
public final class CheckpointCodec {
    public static final int FORMAT_VERSION = 1;
    /** The default size limit: the checkpoint topic's {@code max.message.bytes}. */
    public static final int DEFAULT_MAX_BYTES = io.sensorcast.kafka.Topics.CHECKPOINT_MAX_MESSAGE_BYTES;
    public static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int DIGEST_BYTES = 32;
    static final byte[] MAGIC = {'S', 'C', 'K', 'P'};
    private static final int FLAG_HMAC = 1;
    private static final int FIXED_PREFIX = 12; // magic, version, flags, header length

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper HEADER_READER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private CheckpointCodec() {
    }

    /** Decodes with the default size limit; see {@link #decode(byte[], Optional, int)}. */
    public static DecodeResult decode(byte[] bytes, Optional<byte[]> hmacKey) {
        return decode(bytes, hmacKey, DEFAULT_MAX_BYTES);
    }

    /**
     * Checks and parses an envelope. Never throws on bad input and never interprets the payload.
     *
     * @param hmacKey  when present, the envelope must carry a matching HMAC-SHA256
     * @param maxBytes envelopes larger than this are rejected before anything else is read
     */
    public static DecodeResult decode(byte[] bytes, Optional<byte[]> hmacKey, int maxBytes) {
        if (bytes == null) {
            return reject(CheckpointRejectReason.MALFORMED, "no bytes (null record value)");
        }
        if (bytes.length > maxBytes) {
            return reject(CheckpointRejectReason.TOO_LARGE, bytes.length + " bytes, limit " + maxBytes);
        }
        if (bytes.length < MAGIC.length || !MessageDigest.isEqual(MAGIC, java.util.Arrays.copyOf(bytes, MAGIC.length))) {
            return reject(CheckpointRejectReason.BAD_MAGIC, "not a Sensorcast checkpoint envelope (no SCKP magic)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(MAGIC.length);
        if (in.remaining() < 2) {
            return reject(CheckpointRejectReason.MALFORMED, "truncated before the format version");
        }
        int format = Short.toUnsignedInt(in.getShort());
        if (format != FORMAT_VERSION) {
            return reject(CheckpointRejectReason.UNKNOWN_FORMAT, "envelope format " + format + ", this reader knows " + FORMAT_VERSION);
        }
        if (in.remaining() < 6) {
            return reject(CheckpointRejectReason.MALFORMED, "truncated before the header");
        }
        int flags = Short.toUnsignedInt(in.getShort());
        if ((flags & ~FLAG_HMAC) != 0) {
            return reject(CheckpointRejectReason.MALFORMED, "unknown flags 0x" + Integer.toHexString(flags));
        }
        int headerLength = in.getInt();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > in.remaining()) {
            return reject(CheckpointRejectReason.MALFORMED, "header length " + headerLength + " out of range");
        }
        byte[] headerBytes = new byte[headerLength];
        in.get(headerBytes);
        boolean signed = (flags & FLAG_HMAC) != 0;
        int tail = DIGEST_BYTES + (signed ? DIGEST_BYTES : 0) + 4;
        if (in.remaining() < tail) {
            return reject(CheckpointRejectReason.MALFORMED, "truncated after the header");
        }
        byte[] digest = new byte[DIGEST_BYTES];
        in.get(digest);
        int signedPrefixLength = in.position();
        byte[] mac = null;
        if (signed) {
            mac = new byte[DIGEST_BYTES];
            in.get(mac);
        }
        int payloadLength = in.getInt();
        if (payloadLength < 0 || payloadLength != in.remaining()) {
            return reject(CheckpointRejectReason.MALFORMED, "payload length " + payloadLength + " but "
                    + in.remaining() + " bytes remain");
        }
        Header header;
        try {
            header = Header.parse(headerBytes);
        } catch (IllegalArgumentException | IOException e) {
            return reject(CheckpointRejectReason.MALFORMED, "header: " + oneLine(e.getMessage()));
        }
        if (header.payloadLength != payloadLength) {
            return reject(CheckpointRejectReason.MALFORMED, "header says payload is " + header.payloadLength
                    + " bytes, envelope carries " + payloadLength);
        }
        byte[] payload = new byte[payloadLength];
        in.get(payload);
        if (!MessageDigest.isEqual(digest, sha256(payload))) {
            return reject(CheckpointRejectReason.DIGEST_MISMATCH, "payload SHA-256 differs from the envelope's");
        }
        if (hmacKey.isPresent()) {
            if (mac == null) {
                return reject(CheckpointRejectReason.HMAC_MISSING, "a signing key is configured but the envelope is unsigned");
            }
            byte[] expected = hmac(hmacKey.get(), java.util.Arrays.copyOf(bytes, signedPrefixLength));
            if (!MessageDigest.isEqual(expected, mac)) {
                return reject(CheckpointRejectReason.HMAC_MISMATCH, "HMAC-SHA256 does not match the configured key");
            }
        }
        try {
            return new Verified(new CheckpointEnvelope(format, header.modelId, header.version, header.trainingStep,
                    header.createdAtMs, header.window, header.horizon, header.modelConfig, header.quality,
                    header.sourceOffsets, digest, Optional.ofNullable(mac), payload));
        } catch (IllegalArgumentException e) {
            return reject(CheckpointRejectReason.MALFORMED, "header: " + oneLine(e.getMessage()));
        }
    }

    static byte[] encode(CheckpointEnvelope e) {
        if (e.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("can only write format " + FORMAT_VERSION);
        }
        byte[] prefix = signedPrefix(e);
        byte[] payload = e.payload();
        int macLength = e.signed() ? DIGEST_BYTES : 0;
        ByteBuffer out = ByteBuffer.allocate(prefix.length + macLength + 4 + payload.length);
        out.put(prefix);
        e.hmac().ifPresent(out::put);
        out.putInt(payload.length);
        out.put(payload);
        return out.array();
    }

    /** Bytes [0, 44+H): what the HMAC covers. The flags already say whether an HMAC follows. */
    static byte[] signedPrefix(CheckpointEnvelope e) {
        byte[] header = Header.write(e);
        if (header.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("envelope header is " + header.length + " bytes, limit " + MAX_HEADER_BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate(FIXED_PREFIX + header.length + DIGEST_BYTES);
        out.put(MAGIC);
        out.putShort((short) FORMAT_VERSION);
        out.putShort((short) (e.signed() ? FLAG_HMAC : 0));
        out.putInt(header.length);
        out.put(header);
        out.put(e.payloadSha256());
        return out.array();
    }

    /** The prefix as it will be signed, i.e. with the HMAC flag set. */
    static byte[] signedPrefixForSigning(CheckpointEnvelope unsigned) {
        return signedPrefix(unsigned.withHmac(new byte[DIGEST_BYTES]));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        if (key.length == 0) {
            throw new IllegalArgumentException("empty HMAC key");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static Rejected reject(CheckpointRejectReason reason, String detail) {
        return new Rejected(reason, detail);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** The JSON header, written field by field in a fixed order so the signed bytes are deterministic. */
    private record Header(String modelId, long version, long trainingStep, long createdAtMs, int window, int horizon,
                          String modelConfig, Map<String, Double> quality, Map<String, Long> sourceOffsets,
                          long payloadLength) {

        static byte[] write(CheckpointEnvelope e) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + e.modelConfig().length());
            try (JsonGenerator g = JSON.createGenerator(bytes)) {
                g.writeStartObject();
                g.writeStringField("modelId", e.modelId());
                g.writeNumberField("version", e.version());
                g.writeNumberField("trainingStep", e.trainingStep());
                g.writeNumberField("createdAtMs", e.createdAtMs());
                g.writeNumberField("window", e.window());
                g.writeNumberField("horizon", e.horizon());
                g.writeStringField("modelConfig", e.modelConfig());
                g.writeObjectFieldStart("quality");
                for (Map.Entry<String, Double> q : e.quality().entrySet()) {
                    g.writeNumberField(q.getKey(), q.getValue());
                }
                g.writeEndObject();
                g.writeObjectFieldStart("sourceOffsets");
                for (Map.Entry<String, Long> o : e.sourceOffsets().entrySet()) {
                    g.writeNumberField(o.getKey(), o.getValue());
                }
                g.writeEndObject();
                g.writeNumberField("payloadLength", e.payload().length);
                g.writeEndObject();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return bytes.toByteArray();
        }

        static Header parse(byte[] bytes) throws IOException {
            JsonNode root = HEADER_READER.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, Double> quality = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "quality").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> q = it.next();
                if (!q.getValue().isNumber()) {
                    throw new IllegalArgumentException("quality." + q.getKey() + " is not a number");
                }
                quality.put(q.getKey(), q.getValue().doubleValue());
            }
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "sourceOffsets").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> o = it.next();
                if (!o.getValue().isIntegralNumber() || !o.getValue().canConvertToLong()) {
                    throw new IllegalArgumentException("sourceOffsets." + o.getKey() + " is not an integer");
                }
                offsets.put(o.getKey(), o.getValue().longValue());
            }
            return new Header(text(root, "modelId"), integer(root, "version"), integer(root, "trainingStep"),
                    integer(root, "createdAtMs"), int32(root, "window"),
                    int32(root, "horizon"), text(root, "modelConfig"), quality, offsets,
                    integer(root, "payloadLength"));
        }

        private static String text(JsonNode root, String field) {
            JsonNode n = root.get(field);
            if (n == null || !n.isTextual()) {
                throw new IllegalArgumentException(field + " missing or not a string");
            }
            return n.textValue();
        }

        private static long integer(JsonNode root, String field) {
            JsonNode n = root.get(field);
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
                throw new IllegalArgumentException(field + " missing or not an integer");
            }
            return n.longValue();
        }

        private static int int32(JsonNode root, String field) {
            long v = integer(root, field);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(field + " out of range");
            }
            return (int) v;
        }

        private static JsonNode object(JsonNode root, String field) {
            JsonNode n = root.get(field);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException(field + " missing or not an object");
            }
            return n;
        }
    }
}
