package io.sensorcast.model.checkpoint;

import java.util.Map;
import java.util.Optional;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny real DL4J networks for the checkpoint tests: an LSTM of a few units with Adam. */
final class TestNetworks {
    static final int WINDOW = 8;
    static final int HORIZON = 2;
    static final int INPUTS = 1;
    static final ModelShape SHAPE = new ModelShape(WINDOW, HORIZON, INPUTS, HORIZON);

    private TestNetworks() {
    }

    static MultiLayerNetwork lstm(long seed) {
        return lstm(seed, INPUTS, 4, HORIZON);
    }

    static MultiLayerNetwork lstm(long seed, int inputs, int hidden, int outputs) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LSTM.Builder().nIn(inputs).nOut(hidden).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(hidden).nOut(outputs).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A reproducible random batch: features [batch, inputs, T], labels [batch, outputs, T]. */
    static DataSet batch(long seed, int batch, MultiLayerNetwork net) {
        long inputs = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) net.getLayerWiseConfigurations()
                .getConf(0).getLayer()).getNIn();
        int layers = net.getLayerWiseConfigurations().getConfs().size();
        long outputs = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) net.getLayerWiseConfigurations()
                .getConf(layers - 1).getLayer()).getNOut();
        int steps = WINDOW - HORIZON;
        INDArray features = Nd4j.rand(seed, new long[] {batch, inputs, steps}).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.rand(seed + 1, new long[] {batch, outputs, steps}).castTo(DataType.FLOAT);
        return new DataSet(features, labels);
    }

    /** A network that has taken {@code steps} Adam steps, so its updater state is not zero. */
    static MultiLayerNetwork trained(long seed, int steps) {
        MultiLayerNetwork net = lstm(seed);
        for (int i = 0; i < steps; i++) {
            net.fit(batch(seed + 10 * i, 3, net));
        }
        return net;
    }

    static CheckpointEnvelope envelope(MultiLayerNetwork net, long version, Optional<byte[]> key) {
        return CheckpointEnvelope.create("default", version, net.getIterationCount(), 1_732_440_000_000L, WINDOW,
                HORIZON, "{\"cell\":\"lstm\",\"hidden\":4}", Map.of("loss", 0.5, "prequentialMae", 0.25),
                Map.of("sensor-sequences-0", 42L), ModelPayload.write(net), key);
    }
}
