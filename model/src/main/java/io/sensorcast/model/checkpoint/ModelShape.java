package io.sensorcast.model.checkpoint;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The shape a caller needs a model to have: the sequence window W and forecast horizon (from the envelope header),
 * and the network's input features per step (first layer {@code nIn}) and outputs per step (last layer {@code nOut}).
 * For the default model: {@code new ModelShape(96, 24, 1, 24)}.
 */
public record ModelShape(int window, int horizon, long inputs, long outputs) {
    public ModelShape {
        if (window < 1 || horizon < 1 || horizon >= window || inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("invalid model shape: window " + window + ", horizon " + horizon
                    + ", inputs " + inputs + ", outputs " + outputs);
        }
    }

    /** The shape of {@code network} (first layer nIn, last layer nOut) for the given window and horizon. */
    public static ModelShape of(MultiLayerNetwork network, int window, int horizon) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        int layers = conf.getConfs().size();
        if (layers == 0 || !(conf.getConf(0).getLayer() instanceof FeedForwardLayer first)
                || !(conf.getConf(layers - 1).getLayer() instanceof FeedForwardLayer last)) {
            throw new IllegalArgumentException("network without nIn/nOut on its first and last layers");
        }
        return new ModelShape(window, horizon, first.getNIn(), last.getNOut());
    }
}
