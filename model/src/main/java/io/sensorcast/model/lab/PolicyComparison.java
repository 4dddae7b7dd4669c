package io.sensorcast.model.lab;

import io.sensorcast.model.ClipResult;
import io.sensorcast.model.ClippingPolicy;
import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.GradientClipper;
import io.sensorcast.model.GradientNorms;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.OnlineTrainer;
import io.sensorcast.model.TrainerMetrics;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Experiment 3: what each {@link ClippingPolicy} does to the direction of the update. The default forecaster trains
 * with {@link OnlineTrainer} (its default global-norm clipping) on {@link SpikyStream}; before the trainer's own
 * clipper acts, every raw TBPTT-segment gradient g is copied and clipped by each policy with {@link GradientClipper}
 * into c, and {@code cos(g, c) = ⟨g, c⟩ / (‖g‖·‖c‖)} is recorded for the segments the policy changed. Global-norm
 * clipping multiplies g by one scalar, so its cosine is 1 (to rounding); per-layer, element-wise and
 * output-excluded clipping scale parts of g differently and turn it.
 */
public final class PolicyComparison {
    private final int steps;
    private final long seed;
    private final double normThreshold;
    private final double valueThreshold;

    /** One policy as the lab names it: the {@link ClippingPolicy} code, or {@code global-norm-output-unclipped}. */
    /** Element limit of {@code value} clipping: Graves 2013's [−1, 1]. */
    public static final double DEFAULT_VALUE_THRESHOLD = 1.0;

    public record Variant(String name, GradientClipper clipper) {
    }

    /**
     * @param cosine        mean cosine between raw and clipped gradient over the segments this policy changed (NaN if none)
     * @param minCosine     the smallest such cosine
     * @param clippedSegments how many segments it changed, of {@code segments}
     */
    public record Result(String policy, double threshold, double cosine, double minCosine, int clippedSegments, int segments) {
    }

    /**
     * @param normThreshold  threshold of the norm policies, in the trainer's units
     * @param valueThreshold element limit of {@code value} clipping (minibatch-mean units)
     */
    public PolicyComparison(int steps, long seed, double normThreshold, double valueThreshold) {
        this.steps = steps;
        this.seed = seed;
        this.normThreshold = normThreshold;
        this.valueThreshold = valueThreshold;
    }

    public List<Variant> variants() {
        return List.of(
                new Variant(ClippingPolicy.GLOBAL_NORM.code(), new GradientClipper(ClippingPolicy.GLOBAL_NORM, normThreshold, false)),
                new Variant(ClippingPolicy.LAYER_NORM.code(), new GradientClipper(ClippingPolicy.LAYER_NORM, normThreshold, false)),
                new Variant(ClippingPolicy.VALUE.code(), new GradientClipper(ClippingPolicy.VALUE, valueThreshold, false)),
                new Variant("global-norm-output-unclipped", new GradientClipper(ClippingPolicy.GLOBAL_NORM, normThreshold, true)));
    }

    public List<Result> run(IntConsumer progress) {
        ModelConfig config = ModelConfig.defaults().withSeed(seed);
        MultiLayerNetwork net = ForecastNetworkFactory.build(config);
        List<Variant> variants = variants();
        double[] cosSum = new double[variants.size()];
        double[] cosMin = new double[variants.size()];
        int[] clipped = new int[variants.size()];
        int[] segments = {0};
        java.util.Arrays.fill(cosMin, Double.NaN);
        // registered before the trainer's own clipping listener, so it sees the raw gradient
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                MultiLayerNetwork m = (MultiLayerNetwork) model;
                INDArray raw = m.gradient().gradient();
                long[] offsets = GradientNorms.layerOffsets(m);
                int batch = Math.max(1, m.batchSize());
                segments[0]++;
                for (int v = 0; v < variants.size(); v++) {
                    INDArray copy = raw.dup();
                    ClipResult r = variants.get(v).clipper().clip(copy, offsets, batch);
                    if (r.clipped()) {
                        double cos = cosine(raw, copy);
                        cosSum[v] += cos;
                        cosMin[v] = Double.isNaN(cosMin[v]) ? cos : Math.min(cosMin[v], cos);
                        clipped[v]++;
                    }
                }
            }
        });
        OnlineTrainer trainer = new OnlineTrainer("lab-policies", config, net, 0, TrainerMetrics.noop(config.clipThreshold()), Clock.systemUTC());
        SpikyStream stream = new SpikyStream(config.batchSize(), config.window(), 0.01, 8.0, seed);
        for (int i = 0; i < steps; i++) {
            trainer.train(stream.next(4));
            progress.accept(i + 1);
        }
        List<Result> out = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            Variant variant = variants.get(v);
            out.add(new Result(variant.name(), variant.clipper().threshold(),
                    clipped[v] == 0 ? Double.NaN : cosSum[v] / clipped[v], cosMin[v], clipped[v], segments[0]));
        }
        return out;
    }

    /** Cosine of two gradient vectors, in double. */
    static double cosine(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE);
        INDArray y = b.castTo(DataType.DOUBLE);
        return x.mul(y).sumNumber().doubleValue() / (x.norm2Number().doubleValue() * y.norm2Number().doubleValue());
    }
}
