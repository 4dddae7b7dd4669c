package io.sensorcast.model.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model inside an envelope: a DL4J {@link MultiLayerNetwork} as raw numbers plus its JSON configuration, so that
 * reading it never goes near {@code ObjectInputStream} (DL4J's own {@code ModelSerializer} zip calls
 * {@code readObject} on a {@code preprocessor.bin} entry). Big-endian throughout:
 *
 * <pre>
 * offset  size   field
 * 0       4      magic "SCNW" (0x53 0x43 0x4E 0x57)
 * 4       2      payload version, uint16 (1)
 * 6       1      element type: 1 = FLOAT (IEEE-754 binary32), 2 = DOUBLE (binary64); s = 4 or 8 bytes
 * 7       4      iteration count, int32 (Adam's bias correction depends on it)
 * 11      4      epoch count, int32
 * 15      4      configuration length C, int32
 * 19      C      {@code MultiLayerConfiguration.toJson()}, UTF-8
 * 19+C    4      parameter count N, int32 ≥ 1
 * 23+C    N·s    {@code network.params()}, the flattened parameter vector, element by element
 * …       4      updater state count U, int32 ≥ 0 (0 for stateless updaters such as SGD)
 * …       U·s    the updater's state view array (e.g. Adam's m and v), element by element
 * </pre>
 * No trailing bytes. Values are copied bit for bit, so a round trip is exact.
 */
public final class ModelPayload {
    public static final int PAYLOAD_VERSION = 1;
    static final byte[] MAGIC = {'S', 'C', 'N', 'W'};
    private static final byte FLOAT = 1;
    private static final byte DOUBLE = 2;
    private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

    private ModelPayload() {
    }

    /** Serialises {@code network} with its updater state and counters. */
    public static byte[] write(MultiLayerNetwork network) {
        INDArray params = network.params();
        DataType type = params.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("only FLOAT and DOUBLE networks can be checkpointed, not " + type);
        }
        int size = type == DataType.FLOAT ? 4 : 8;
        Updater updater = network.getUpdater();
        INDArray state = updater == null ? null : updater.getStateViewArray();
        byte[] config = network.getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8);
        long n = params.length();
        long u = state == null ? 0 : state.length();
        long total = 19L + config.length + 4 + n * size + 4 + u * size;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("network too large for a checkpoint: " + total + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.put(MAGIC);
        out.putShort((short) PAYLOAD_VERSION);
        out.put(type == DataType.FLOAT ? FLOAT : DOUBLE);
        out.putInt(network.getIterationCount());
        out.putInt(network.getEpochCount());
        out.putInt(config.length);
        out.put(config);
        putArray(out, params);
        if (state == null) {
            out.putInt(0);
        } else {
            putArray(out, state);
        }
        return out.array();
    }

    /** The first non-finite parameter or updater value of {@code network}, as text, or null if all are finite. */
    public static String firstNonFinite(MultiLayerNetwork network) {
        String p = firstNonFinite("parameter", network.params());
        if (p != null) {
            return p;
        }
        Updater updater = network.getUpdater(false);
        return updater == null || updater.getStateViewArray() == null ? null
                : firstNonFinite("updater state", updater.getStateViewArray());
    }

    private static String firstNonFinite(String what, INDArray a) {
        if (a.dataType() == DataType.DOUBLE) {
            double[] d = a.toDoubleVector();
            for (int i = 0; i < d.length; i++) {
                if (!Double.isFinite(d[i])) {
                    return what + " " + i + " is " + d[i];
                }
            }
        } else {
            float[] f = a.toFloatVector();
            for (int i = 0; i < f.length; i++) {
                if (!Float.isFinite(f[i])) {
                    return what + " " + i + " is " + f[i];
                }
            }
        }
        return null;
    }

    private static void putArray(ByteBuffer out, INDArray a) {
        INDArray flat = a.reshape(a.length());
        out.putInt((int) flat.length());
        if (flat.dataType() == DataType.DOUBLE) {
            for (double d : flat.toDoubleVector()) {
                out.putDouble(d);
            }
        } else {
            for (float f : flat.toFloatVector()) {
                out.putFloat(f);
            }
        }
    }

    /**
     * The payload read but not yet turned into a network: the configuration is still text and the numbers are
     * raw, checked finite; {@link CheckpointVerifier} builds the network.
     */
    record Parsed(DataType dataType, int iterationCount, int epochCount, String configJson, float[] floatParams,
                  double[] doubleParams, float[] floatState, double[] doubleState) {

        int paramCount() {
            return dataType == DataType.FLOAT ? floatParams.length : doubleParams.length;
        }

        int stateCount() {
            return dataType == DataType.FLOAT ? floatState.length : doubleState.length;
        }

        /** Parses the DL4J configuration (Jackson, no Java serialisation). Throws on an invalid one. */
        MultiLayerConfiguration configuration() {
            MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(configJson);
            conf.setDataType(dataType);
            return conf;
        }
    }

    /** Expected parameter count of a configuration, computed by DL4J's own initialisers without allocating. */
    static long expectedParams(MultiLayerConfiguration conf) {
        long n = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            n += layer.getLayer().initializer().numParams(layer);
        }
        return n;
    }

    /** Reads and checks the structure; classifies anything that is not our format as unsafe. */
    static Parsed parse(byte[] payload) throws PayloadRejectedException {
        if (!startsWith(payload, MAGIC)) {
            throw new PayloadRejectedException(CheckpointRejectReason.UNSAFE_PAYLOAD, describeForeign(payload));
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            in.position(MAGIC.length);
            int version = Short.toUnsignedInt(in.getShort());
            if (version != PAYLOAD_VERSION) {
                throw new PayloadRejectedException(CheckpointRejectReason.UNKNOWN_FORMAT,
                        "payload version " + version + ", this reader knows " + PAYLOAD_VERSION);
            }
            byte type = in.get();
            if (type != FLOAT && type != DOUBLE) {
                throw malformed("unknown element type " + type);
            }
            int size = type == FLOAT ? 4 : 8;
            int iterations = in.getInt();
            int epochs = in.getInt();
            if (iterations < 0 || epochs < 0) {
                throw malformed("negative iteration or epoch count");
            }
            int configLength = in.getInt();
            if (configLength < 2 || configLength > MAX_CONFIG_BYTES || configLength > in.remaining()) {
                throw malformed("configuration length " + configLength + " out of range");
            }
            byte[] config = new byte[configLength];
            in.get(config);
            int n = count(in, size, 1, "parameter");
            float[] fp = null;
            double[] dp = null;
            if (type == FLOAT) {
                fp = new float[n];
                in.asFloatBuffer().get(fp);
                requireFinite(fp, "parameter");
            } else {
                dp = new double[n];
                in.asDoubleBuffer().get(dp);
                requireFinite(dp, "parameter");
            }
            in.position(in.position() + n * size);
            int u = count(in, size, 0, "updater state");
            float[] fs = null;
            double[] ds = null;
            if (type == FLOAT) {
                fs = new float[u];
                in.asFloatBuffer().get(fs);
                requireFinite(fs, "updater state");
            } else {
                ds = new double[u];
                in.asDoubleBuffer().get(ds);
                requireFinite(ds, "updater state");
            }
            in.position(in.position() + u * size);
            if (in.hasRemaining()) {
                throw malformed(in.remaining() + " trailing bytes");
            }
            return new Parsed(type == FLOAT ? DataType.FLOAT : DataType.DOUBLE, iterations, epochs,
                    new String(config, StandardCharsets.UTF_8), fp, dp, fs, ds);
        } catch (java.nio.BufferUnderflowException e) {
            throw malformed("truncated");
        }
    }

    private static int count(ByteBuffer in, int size, int min, String what) throws PayloadRejectedException {
        int n = in.getInt();
        if (n < min || (long) n * size > in.remaining()) {
            throw malformed(what + " count " + n + " out of range");
        }
        return n;
    }

    private static void requireFinite(float[] values, String what) throws PayloadRejectedException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new PayloadRejectedException(CheckpointRejectReason.NON_FINITE_WEIGHTS, what + " " + i + " is " + values[i]);
            }
        }
    }

    private static void requireFinite(double[] values, String what) throws PayloadRejectedException {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new PayloadRejectedException(CheckpointRejectReason.NON_FINITE_WEIGHTS, what + " " + i + " is " + values[i]);
            }
        }
    }

    private static PayloadRejectedException malformed(String detail) {
        return new PayloadRejectedException(CheckpointRejectReason.MALFORMED, "payload: " + detail);
    }

    /** Names what a foreign payload looks like, reading zip entry names at most: never an object stream. */
    private static String describeForeign(byte[] payload) {
        if (startsWith(payload, new byte[] {(byte) 0xAC, (byte) 0xED})) {
            return "payload is a Java serialisation stream; refused unread";
        }
        if (startsWith(payload, new byte[] {'P', 'K', 3, 4}) || startsWith(payload, new byte[] {'P', 'K', 5, 6})) {
            List<String> names = new ArrayList<>();
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(payload))) {
                ZipEntry entry;
                while (names.size() < 20 && (entry = zip.getNextEntry()) != null) {
                    names.add(entry.getName());
                }
            } catch (IOException | IllegalArgumentException e) {
                names.add("<unreadable>");
            }
            return "payload is a zip archive (DL4J ModelSerializer format, entries " + names
                    + "); only the raw SCNW format is accepted, so nothing in it was read";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, payload.length); i++) {
            hex.append(String.format(java.util.Locale.ROOT, "%02x", payload[i]));
        }
        return "payload is not in the SCNW format (starts 0x" + hex + ")";
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** A payload refused with a reason; internal to the package, surfaced as {@link Rejected}. */
    static final class PayloadRejectedException extends Exception {
        private final CheckpointRejectReason reason;

        PayloadRejectedException(CheckpointRejectReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }

        Rejected toRejected() {
            return new Rejected(reason, getMessage());
        }
    }
}
