package io.sensorcast.model.checkpoint;

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
}
