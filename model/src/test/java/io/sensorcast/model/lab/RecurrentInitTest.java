package io.sensorcast.model.lab;

import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.SpectralNorm;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecurrentInitTest {

    @Test
    void shouldStartIrnnAtSpectralRadiusOne() {
        // the IRNN's recurrent matrix is exactly I: every eigenvalue and singular value is 1
        FlowCase irnn = new FlowCase(ModelConfig.Cell.RNN_RELU_IDENTITY, null, null);
        MultiLayerNetwork net = GradientLab.flowNetwork(irnn, 42);
        double[][] rw = net.getLayer(0).getParam("RW").toDoubleMatrix();
        for (int i = 0; i < rw.length; i++) {
            for (int j = 0; j < rw.length; j++) {
                assertEquals(i == j ? 1.0 : 0.0, rw[i][j], 0.0, "RW[" + i + "][" + j + "]");
            }
        }
        assertEquals(1.0, SpectralNorm.recurrentLayers(net).get(0), 1e-9);
    }

    @Test
    void shouldGiveRhoTimesAnOrthogonalMatrix() {
        // M·Mᵀ = ρ²·I, checked by plain multiplication
        double rho = 1.1;
        int n = 16;
        double[][] m = RecurrentInit.scaledOrthogonal(n, rho, 7);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += m[i][k] * m[j][k];
                }
                assertEquals(i == j ? rho * rho : 0.0, dot, 1e-12, "(M·Mᵀ)[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void shouldExportTheScaledRadiusAsSpectralNormForTanhCases() {
        FlowCase c = new FlowCase(ModelConfig.Cell.RNN_TANH, 0.9, null);
        assertEquals(0.9, SpectralNorm.recurrentLayers(GradientLab.flowNetwork(c, 42)).get(0), 1e-6);
    }
}
