package io.sensorcast.model;

import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelConfigTest {

    @Test
    void shouldMatchDesignDefaultsWhenCreatedWithDefaults() {
        ModelConfig c = ModelConfig.defaults();
        assertEquals(96, c.window());
        assertEquals(24, c.horizon());
        assertEquals(ModelConfig.Cell.LSTM, c.cell());
        assertEquals(1, c.layers());
        assertEquals(64, c.hidden());
        assertEquals(1.0, c.forgetGateBias());
        assertEquals(1e-3, c.learningRate());
        assertEquals(24, c.tbpttForward());
        assertEquals(24, c.tbpttBackward());
        assertEquals(ClippingPolicy.GLOBAL_NORM, c.clippingPolicy());
        assertEquals(10.0, c.explosionFactor());
        // PyTorch's 5.0 with mse_loss, times the TBPTT length (DL4J's output layer sums the loss over time steps)
        assertEquals(ModelConfig.pytorchEquivalentThreshold(5.0, 24), c.clipThreshold());
    }

    @Test
    void shouldAnnealFromTrainingRateToOnlineRateWhenStepsPass() {
        ModelConfig c = ModelConfig.defaults(); // 500 steps at 1e-3, then 500 steps log-linear to 1e-4
        assertEquals(1e-3, c.scheduledLearningRate(0));
        assertEquals(1e-3, c.scheduledLearningRate(499));
        assertEquals(Math.sqrt(1e-3 * 1e-4), c.scheduledLearningRate(750), 1e-12);
        assertEquals(1e-4, c.scheduledLearningRate(1000));
        assertEquals(1e-4, c.scheduledLearningRate(1_000_000));
    }

    @Test
    void shouldRejectHorizonNotShorterThanWindow() {
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.defaults().withShape(24, 24));
    }

    @Test
    void shouldBuildIdentityReluCellWhenConfigured() {
        MultiLayerNetwork net = ForecastNetworkFactory.build(ModelConfig.defaults().withCell(ModelConfig.Cell.RNN_RELU_IDENTITY));
        assertEquals(SimpleRnn.class, net.getLayer(0).conf().getLayer().getClass());
        assertEquals(Nd4j.eye(64).castTo(net.getParam("0_RW").dataType()), net.getParam("0_RW"));
    }

    @Test
    void shouldSetForgetGateBiasWhenBuildingLstm() {
        MultiLayerNetwork net = ForecastNetworkFactory.build(ModelConfig.defaults().withForgetGateBias(2.5).withHidden(4));
        assertEquals(LSTM.class, net.getLayer(0).conf().getLayer().getClass());
        // bias layout IFOG: the forget gate's biases are entries 4..7
        assertEquals(2.5, net.getParam("0_b").getDouble(5), 1e-6);
        assertEquals(0.0, net.getParam("0_b").getDouble(0), 1e-6);
    }

    @Test
    void shouldApplyChangedLearningRateWhenSetInPlaceOnLiveUpdater() {
        // oracle: with SGD, Δp = −lr·g/B, so halving lr halves the update of the same gradient. Both networks fit
        // once first, so the updater exists before the rate changes (the trainer changes it between steps).
        ModelConfig c = ModelConfig.defaults().withShape(10, 2).withHidden(3).withTbptt(8, 8);
        float[][] w = {{0, 1, 2, 1, 0, -1, -2, -1, 0, 1}};
        LastValueReference.TrainingArrays a = new LastValueReference(c).trainingArrays(w);
        MultiLayerNetwork full = ForecastNetworkFactory.build(c, new Sgd(0.2));
        MultiLayerNetwork half = ForecastNetworkFactory.build(c, new Sgd(0.2));
        full.fit(a.features(), a.labels());
        half.fit(a.features(), a.labels());
        assertEquals(full.params(), half.params());
        OnlineTrainer.setLearningRate(half, 0.1);
        var p0 = full.params().dup();
        full.fit(a.features(), a.labels());
        half.fit(a.features(), a.labels());
        var dFull = full.params().sub(p0);
        var dHalf = half.params().sub(p0);
        assertEquals(true, dFull.amaxNumber().doubleValue() > 1e-4);
        assertEquals(0.0, dFull.mul(0.5).sub(dHalf).amaxNumber().doubleValue(), 1e-6);
    }
}
