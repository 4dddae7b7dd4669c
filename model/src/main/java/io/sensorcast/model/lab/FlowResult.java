package io.sensorcast.model.lab;

/**
 * @param spectralNorm σ₁ of the recurrent matrix, as the trainer exports it ({@code trainer_recurrent_spectral_norm})
 * @param norms        ‖∂L/∂h_{T−k}‖ for k = 0…T
 */
public record FlowResult(FlowCase flowCase, double spectralNorm, double[] norms) {
}
