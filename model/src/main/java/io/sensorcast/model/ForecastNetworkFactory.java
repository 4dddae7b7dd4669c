package io.sensorcast.model;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the forecaster: {@code layers} recurrent layers ({@link ModelConfig.Cell}) of {@code hidden} units over a
 * one-feature input (the normalised value), then an {@link RnnOutputLayer} (identity activation, MSE) that gives
 * {@code horizon} outputs at every time step (direct multi-horizon), trained with truncated BPTT
 * ({@code tbpttForward}/{@code tbpttBackward}), FLOAT, workspaces enabled.
 *
 * <p>Parameter keys (for norms and the spectral probe): layer {@code i} has {@code i_W}, {@code i_RW}, {@code i_b};
 * the output layer {@code L_W}, {@code L_b} with {@code L = layers}.
 */
public final class ForecastNetworkFactory {
    /** Input features per time step. */
    public static final int FEATURES = 1;

    private ForecastNetworkFactory() {
    }

    /** The network with Adam at the schedule's first rate ({@link ModelConfig#scheduledLearningRate(long)}), initialised. */
    public static MultiLayerNetwork build(ModelConfig config) {
        return build(config, new Adam(config.scheduledLearningRate(0)));
    }

    /** The network with the given updater (tests use plain SGD as an oracle), initialised with {@code config.seed()}. */
    public static MultiLayerNetwork build(ModelConfig config, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(config, updater));
        net.init();
        return net;
    }

    /** The configuration alone (e.g. to compare with a restored network's). */
    public static MultiLayerConfiguration configuration(ModelConfig config, IUpdater updater) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        for (int i = 0; i < config.layers(); i++) {
            int nIn = i == 0 ? FEATURES : config.hidden();
            list.layer(i, recurrentLayer(config, nIn));
        }
        list.layer(config.layers(), new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY)
                .nIn(config.hidden())
                .nOut(config.horizon())
                .build());
        return list
                .backpropType(BackpropType.TruncatedBPTT)
                .tBPTTForwardLength(config.tbpttForward())
                .tBPTTBackwardLength(config.tbpttBackward())
                .build();
    }

    private static org.deeplearning4j.nn.conf.layers.Layer recurrentLayer(ModelConfig config, int nIn) {
        return switch (config.cell()) {
            case LSTM -> new LSTM.Builder()
                    .nIn(nIn).nOut(config.hidden())
                    .activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .forgetGateBiasInit(config.forgetGateBias())
                    .build();
            case RNN_TANH -> new SimpleRnn.Builder()
                    .nIn(nIn).nOut(config.hidden())
                    .activation(Activation.TANH)
                    .build();
            case RNN_RELU_IDENTITY -> new SimpleRnn.Builder()
                    .nIn(nIn).nOut(config.hidden())
                    .activation(Activation.RELU)
                    .weightInitRecurrent(WeightInit.IDENTITY)
                    .build();
        };
    }
}
