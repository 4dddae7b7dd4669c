package io.sensorcast.model.lab;

import io.sensorcast.model.ModelConfig;

/**
 * One network of the gradient-flow experiment: a cell with, for the tanh RNN, the spectral radius its recurrent
 * matrix is scaled to ({@link RecurrentInit}), or, for the LSTM, its forget-gate bias. The IRNN uses the factory's
 * identity initialisation; the LSTM the factory's Xavier weights.
 */
public record FlowCase(ModelConfig.Cell cell, Double spectralRadius, Double forgetBias) {
    public String label() {
        return switch (cell) {
            case RNN_TANH -> "tanh RNN ρ=" + spectralRadius;
            case RNN_RELU_IDENTITY -> "IRNN (ReLU, identity)";
            case LSTM -> "LSTM forget bias " + forgetBias;
        };
    }
}
