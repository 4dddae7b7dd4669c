package io.sensorcast.model.checkpoint;

import static io.sensorcast.model.checkpoint.CheckpointCodecTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Payload checks and restoration: bit-exact round trip, hostile payloads refused unread, shape and finiteness. */
class CheckpointVerifierTest {
    private static final Optional<byte[]> KEY = Optional.of("test-signing-key".getBytes(StandardCharsets.UTF_8));
    private final CheckpointVerifier verifier = new CheckpointVerifier(KEY);

    @Test
    void shouldRestoreParamsUpdaterStateAndCountersBitExactWhenRoundTripped() {
        MultiLayerNetwork original = TestNetworks.trained(11, 3);
        assertNotEquals(0.0, original.getUpdater().getStateViewArray().sumNumber().doubleValue(), "Adam state must be non-trivial");

        Restored restored = assertInstanceOf(Restored.class,
                verifier.verify("default", TestNetworks.envelope(original, 1, KEY).encode(), TestNetworks.SHAPE));

        MultiLayerNetwork copy = restored.network();
        assertArrayEquals(original.params().toFloatVector(), copy.params().toFloatVector());
        assertArrayEquals(original.getUpdater().getStateViewArray().toFloatVector(),
                copy.getUpdater().getStateViewArray().toFloatVector());
        assertEquals(3, copy.getIterationCount());
        assertEquals(original.getEpochCount(), copy.getEpochCount());
        assertEquals(original.getLayerWiseConfigurations(), copy.getLayerWiseConfigurations());
    }

    @Test
    void shouldTakeTheSameNextAdamStepWhenTrainingResumesFromARestoredCheckpoint() {
        MultiLayerNetwork original = TestNetworks.trained(13, 3);
        MultiLayerNetwork copy = ((Restored) verifier.verify("default",
                TestNetworks.envelope(original, 1, KEY).encode(), TestNetworks.SHAPE)).network();
        DataSet next = TestNetworks.batch(99, 3, original);

        original.fit(next);
        copy.fit(next);

        // with a lost iteration count or zeroed m/v, Adam's bias correction would give a different step
        assertArrayEquals(original.params().toFloatVector(), copy.params().toFloatVector());
        assertEquals(4, copy.getIterationCount());
    }

    @Test
    void shouldRejectWithNonFiniteWeightsWhenAParameterIsNaN() {
        MultiLayerNetwork net = TestNetworks.trained(17, 1);
        net.params().putScalar(5, Float.NaN);

        assertRejected(CheckpointRejectReason.NON_FINITE_WEIGHTS,
                verifier.verify("default", TestNetworks.envelope(net, 1, KEY).encode(), TestNetworks.SHAPE));
    }

    @Test
    void shouldRejectWithIncompatibleShapeWhenTheHorizonDiffers() {
        byte[] bytes = TestNetworks.envelope(TestNetworks.lstm(19), 1, KEY).encode();

        assertRejected(CheckpointRejectReason.INCOMPATIBLE_SHAPE, verifier.verify("default", bytes,
                new ModelShape(TestNetworks.WINDOW, TestNetworks.HORIZON + 1, 1, TestNetworks.HORIZON + 1)));
    }

    @Test
    void shouldRejectWithIncompatibleShapeWhenTheNetworkHasOtherOutputs() {
        MultiLayerNetwork threeOutputs = TestNetworks.lstm(23, 1, 4, 3); // header says horizon 2, network gives 3
        byte[] bytes = TestNetworks.envelope(threeOutputs, 1, KEY).encode();

        assertRejected(CheckpointRejectReason.INCOMPATIBLE_SHAPE, verifier.verify("default", bytes, TestNetworks.SHAPE));
    }

    @Test
    void shouldRejectWithModelIdMismatchWhenTheRecordKeyNamesAnotherModel() {
        byte[] bytes = TestNetworks.envelope(TestNetworks.lstm(29), 1, KEY).encode();

        assertRejected(CheckpointRejectReason.MODEL_ID_MISMATCH, verifier.verify("pumps", bytes, TestNetworks.SHAPE));
    }

    @Test
    void shouldRejectWithUnsafePayloadWithoutDeserialisingWhenThePayloadIsAJavaSerialisedObject() throws IOException {
        int before = Gadget.READS.get();
        byte[] javaObject = javaSerialise(new Gadget());
        // correctly digested and signed: the attacker knows the key; the format alone must stop it
        CheckpointEnvelope envelope = CheckpointEnvelope.create("default", 1, 0, 0, TestNetworks.WINDOW,
                TestNetworks.HORIZON, "{}", Map.of(), Map.of(), javaObject, KEY);

        Rejected rejected = assertRejected(CheckpointRejectReason.UNSAFE_PAYLOAD,
                verifier.verify("default", envelope.encode(), TestNetworks.SHAPE));
        assertTrue(rejected.detail().contains("Java serialisation"), rejected.detail());
        assertEquals(before, Gadget.READS.get(), "nothing may be deserialised");
    }

    @Test
    void shouldRejectWithUnsafePayloadWithoutDeserialisingWhenThePayloadIsAModelSerializerZipWithAPreprocessor()
            throws IOException {
        int before = Gadget.READS.get();
        byte[] zip = modelSerializerZipWithPreprocessor(TestNetworks.lstm(31));
        CheckpointEnvelope envelope = CheckpointEnvelope.create("default", 1, 0, 0, TestNetworks.WINDOW,
                TestNetworks.HORIZON, "{}", Map.of(), Map.of(), zip, KEY);

        Rejected rejected = assertRejected(CheckpointRejectReason.UNSAFE_PAYLOAD,
                verifier.verify("default", envelope.encode(), TestNetworks.SHAPE));
        assertTrue(rejected.detail().contains("preprocessor.bin"), rejected.detail());
        assertEquals(before, Gadget.READS.get(), "nothing may be deserialised");
    }

    /** The control for the two tests above: the gadget does notice when DL4J's own loader deserialises it. */
    @Test
    void shouldRunTheGadgetWhenModelSerializerRestoresTheSameZip() throws IOException {
        int before = Gadget.READS.get();
        byte[] zip = modelSerializerZipWithPreprocessor(TestNetworks.lstm(37));

        try {
            ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), true);
        } catch (RuntimeException | IOException ignored) {
            // what DL4J does after readObject does not matter here
        }

        assertEquals(before + 1, Gadget.READS.get());
    }

    @Test
    void shouldNotReferenceObjectInputStreamAnywhereInTheCheckpointPackage() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(CheckpointCodec.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).resolve("io/sensorcast/model/checkpoint");
        java.util.List<java.nio.file.Path> classes;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            classes = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        assertTrue(classes.size() > 10, "found the package's classes: " + classes.size());
        byte[] needle = "java/io/ObjectInputStream".getBytes(StandardCharsets.UTF_8);
        for (java.nio.file.Path c : classes) {
            byte[] bytes = java.nio.file.Files.readAllBytes(c);
            for (int i = 0; i + needle.length <= bytes.length; i++) {
                assertTrue(!java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length),
                        c.getFileName() + " references ObjectInputStream");
            }
        }
    }

    @Test
    void shouldRejectWithUnknownFormatWhenThePayloadVersionIsNew() {
        byte[] payload = ModelPayload.write(TestNetworks.lstm(41));
        payload[5] = 2; // payload version uint16 at offset 4..5
        CheckpointEnvelope envelope = CheckpointEnvelope.create("default", 1, 0, 0, TestNetworks.WINDOW,
                TestNetworks.HORIZON, "{}", Map.of(), Map.of(), payload, KEY);

        assertRejected(CheckpointRejectReason.UNKNOWN_FORMAT, verifier.verify("default", envelope.encode(), TestNetworks.SHAPE));
    }

    @Test
    void shouldRejectWithMalformedWhenTheParameterCountDoesNotMatchTheConfiguration() {
        MultiLayerNetwork small = TestNetworks.lstm(43, 1, 4, TestNetworks.HORIZON);
        MultiLayerNetwork large = TestNetworks.lstm(43, 1, 5, TestNetworks.HORIZON);
        byte[] smallPayload = ModelPayload.write(small);
        byte[] largePayload = ModelPayload.write(large);
        // splice: the small network's configuration with the large one's parameters
        byte[] spliced = splice(smallPayload, largePayload);
        CheckpointEnvelope envelope = CheckpointEnvelope.create("default", 1, 0, 0, TestNetworks.WINDOW,
                TestNetworks.HORIZON, "{}", Map.of(), Map.of(), spliced, KEY);

        assertRejected(CheckpointRejectReason.MALFORMED, verifier.verify("default", envelope.encode(), TestNetworks.SHAPE));
    }

    private static byte[] splice(byte[] configFrom, byte[] numbersFrom) {
        int configEnd = 19 + java.nio.ByteBuffer.wrap(configFrom).getInt(15);
        int numbersStart = 19 + java.nio.ByteBuffer.wrap(numbersFrom).getInt(15);
        byte[] out = new byte[configEnd + numbersFrom.length - numbersStart];
        System.arraycopy(configFrom, 0, out, 0, configEnd);
        System.arraycopy(numbersFrom, numbersStart, out, configEnd, numbersFrom.length - numbersStart);
        return out;
    }

    private static byte[] javaSerialise(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    /** A genuine ModelSerializer zip with an extra {@code preprocessor.bin} holding the gadget. */
    private static byte[] modelSerializerZipWithPreprocessor(MultiLayerNetwork net) throws IOException {
        ByteArrayOutputStream original = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, original, true);
        ByteArrayOutputStream patched = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(original.toByteArray()));
             ZipOutputStream out = new ZipOutputStream(patched)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("preprocessor.bin"));
            out.write(javaSerialise(new Gadget()));
            out.closeEntry();
        }
        return patched.toByteArray();
    }

    /** Stands in for a deserialisation gadget: counts every time Java deserialisation instantiates it. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READS = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READS.incrementAndGet();
        }
    }
}
