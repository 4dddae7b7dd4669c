package io.sensorcast.model.checkpoint;

import java.util.Objects;
import java.util.Optional;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Turns checkpoint bytes into a usable network, or a {@link Rejected} with its reason: the one door through which
 * serving and the trainer load models.
 *
 * <p>Order: the envelope checks of {@link CheckpointCodec#decode} (size, magic, format, structure, SHA-256, HMAC),
 * then the record key against the envelope's model id, the header's window and horizon against the expected
 * shape, the payload format ({@code unsafe_payload} for anything that is not {@link ModelPayload}'s raw format,
 * e.g. a Java serialisation stream or a ModelSerializer zip: such bytes are never parsed), finite parameters and
 * updater state, the network's inputs and outputs, and the parameter and updater-state counts against the
 * configuration. Only then is a {@link MultiLayerNetwork} built.
 *
 * <pre>{@code
 * CheckpointVerifier verifier = new CheckpointVerifier(hmacKey, CheckpointCodec.DEFAULT_MAX_BYTES);
 * RestoreResult result = verifier.verify(record.key(), record.value(), new ModelShape(96, 24, 1, 24));
 * if (result instanceof Restored r) {
 *     registry.swap(r.envelope().modelId(), r.network(), r.envelope().version());
 * } else {
 *     metrics.rejected(((Rejected) result).code()); // the live model stays
 * }
 * }</pre>
 */
public final class CheckpointVerifier {
    private final Optional<byte[]> hmacKey;
    private final int maxBytes;

    public CheckpointVerifier(Optional<byte[]> hmacKey, int maxBytes) {
        this.hmacKey = hmacKey.map(byte[]::clone);
        this.maxBytes = maxBytes;
    }

    public CheckpointVerifier(Optional<byte[]> hmacKey) {
        this(hmacKey, CheckpointCodec.DEFAULT_MAX_BYTES);
    }

    /**
     * Decodes, verifies and restores one record of {@code model-checkpoints}.
     *
     * @param recordKey the record key (model id), or null to skip that check
     */
    public RestoreResult verify(String recordKey, byte[] bytes, ModelShape expected) {
        DecodeResult decoded = CheckpointCodec.decode(bytes, hmacKey, maxBytes);
        if (decoded instanceof Rejected r) {
            return r;
        }
        CheckpointEnvelope envelope = ((Verified) decoded).envelope();
        if (recordKey != null && !recordKey.equals(envelope.modelId())) {
            return new Rejected(CheckpointRejectReason.MODEL_ID_MISMATCH,
                    "record key " + recordKey + " but envelope model id " + envelope.modelId());
        }
        return restore(envelope, expected);
    }

    /**
     * Restores an envelope that {@link CheckpointCodec#decode} verified (its digest and HMAC are not re-checked).
     */
    public static RestoreResult restore(CheckpointEnvelope envelope, ModelShape expected) {
        Objects.requireNonNull(expected, "expected shape");
        if (envelope.window() != expected.window() || envelope.horizon() != expected.horizon()) {
            return new Rejected(CheckpointRejectReason.INCOMPATIBLE_SHAPE, "window/horizon " + envelope.window() + "/"
                    + envelope.horizon() + ", expected " + expected.window() + "/" + expected.horizon());
        }
        ModelPayload.Parsed parsed;
        try {
            parsed = ModelPayload.parse(envelope.payload());
        } catch (ModelPayload.PayloadRejectedException e) {
            return e.toRejected();
        }
        MultiLayerConfiguration conf;
        try {
            conf = parsed.configuration();
        } catch (RuntimeException e) {
            return new Rejected(CheckpointRejectReason.MALFORMED, "payload: invalid DL4J configuration: "
                    + firstLine(e.getMessage()));
        }
        int layers = conf.getConfs().size();
        if (layers == 0) {
            return new Rejected(CheckpointRejectReason.MALFORMED, "payload: configuration has no layers");
        }
        Layer first = conf.getConf(0).getLayer();
        Layer last = conf.getConf(layers - 1).getLayer();
        if (!(first instanceof FeedForwardLayer in) || !(last instanceof FeedForwardLayer out)) {
            return new Rejected(CheckpointRejectReason.INCOMPATIBLE_SHAPE, "first or last layer has no nIn/nOut");
        }
        if (in.getNIn() != expected.inputs() || out.getNOut() != expected.outputs()) {
            return new Rejected(CheckpointRejectReason.INCOMPATIBLE_SHAPE, "network inputs/outputs " + in.getNIn() + "/"
                    + out.getNOut() + ", expected " + expected.inputs() + "/" + expected.outputs());
        }
        long expectedParams;
        try {
            expectedParams = ModelPayload.expectedParams(conf);
        } catch (RuntimeException e) {
            return new Rejected(CheckpointRejectReason.MALFORMED, "payload: " + firstLine(e.getMessage()));
        }
        if (expectedParams != parsed.paramCount()) {
            return new Rejected(CheckpointRejectReason.MALFORMED, "payload: " + parsed.paramCount()
                    + " parameters, the configuration needs " + expectedParams);
        }
        MultiLayerNetwork network;
        try {
            network = new MultiLayerNetwork(conf);
            network.init(ModelPayloadArrays.params(parsed), false);
            Updater updater = network.getUpdater();
            long stateLength = updater.getStateViewArray() == null ? 0 : updater.getStateViewArray().length();
            if (stateLength != parsed.stateCount()) {
                return new Rejected(CheckpointRejectReason.MALFORMED, "payload: " + parsed.stateCount()
                        + " updater state values, the configuration needs " + stateLength);
            }
            if (stateLength > 0) {
                updater.setStateViewArray(network, ModelPayloadArrays.state(parsed), false);
            }
            network.setIterationCount(parsed.iterationCount());
            network.setEpochCount(parsed.epochCount());
        } catch (RuntimeException e) {
            return new Rejected(CheckpointRejectReason.MALFORMED, "payload: cannot build the network: "
                    + firstLine(e.getMessage()));
        }
        return new Restored(envelope, network);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
