package io.sensorcast.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpectralNormTest {

    @Test
    void shouldMatchClosedFormWhenMatrixIsTwoByTwo() {
        // σ₁² = (S + sqrt(S² − 4·det²)) / 2 with S = Σ a_ij² (the larger eigenvalue of AᵀA)
        double a = 1.5, b = -2, c = 0.7, d = 3;
        double s = a * a + b * b + c * c + d * d;
        double det = a * d - b * c;
        double expected = Math.sqrt((s + Math.sqrt(s * s - 4 * det * det)) / 2);
        double actual = SpectralNorm.largestSingularValue(Nd4j.createFromArray(new double[][]{{a, b}, {c, d}}));
        assertEquals(expected, actual, 1e-9);
    }

    @Test
    void shouldReturnLargestScaleWhenMatrixIsRectangularDiagonal() {
        double[][] m = {{0.5, 0, 0, 0, 0}, {0, 3, 0, 0, 0}, {0, 0, 2.9, 0, 0}};
        assertEquals(3, SpectralNorm.largestSingularValue(m, 3, 5), 1e-9);
    }

    @Test
    void shouldReturnNormOfOuterProductWhenMatrixHasRankOne() {
        // u vᵀ with |u| = 5 (3, 4) and |v| = 13 (5, 12, 0): σ₁ = 65
        double[][] m = {{15, 36, 0}, {20, 48, 0}};
        assertEquals(65, SpectralNorm.largestSingularValue(m, 2, 3), 1e-9);
    }

    @Test
    void shouldReportOneWhenCellIsIdentityInitialisedRelu() {
        MultiLayerNetwork net = ForecastNetworkFactory.build(ModelConfig.defaults().withCell(ModelConfig.Cell.RNN_RELU_IDENTITY));
        Map<Integer, Double> sigma = SpectralNorm.recurrentLayers(net);
        assertEquals(Map.of(0, 1.0), Map.of(0, Math.round(sigma.get(0) * 1e6) / 1e6));
    }

    @Test
    void shouldProbeTheLstmRecurrentBlockWhenCellIsLstm() {
        MultiLayerNetwork net = ForecastNetworkFactory.build(ModelConfig.defaults());
        double expected = SpectralNorm.largestSingularValue(net.getParam("0_RW").toDoubleMatrix(), 64, 256);
        assertEquals(expected, SpectralNorm.recurrentLayers(net).get(0), 1e-12);
        assertEquals(1, SpectralNorm.recurrentLayers(net).size(), "the output layer has no recurrent matrix");
    }
}
