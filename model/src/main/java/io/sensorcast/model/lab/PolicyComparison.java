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
 * clipper acts, every raw TBPTT-segment gradient g is copied; afterwards each policy clips every copy with
 * {@link GradientClipper} into c, and {@code cos(g, c) = ⟨g, c⟩ / (‖g‖·‖c‖)} is recorded for the segments the policy changed. Global-norm
 * clipping multiplies g by one scalar, so its cosine is 1 (to rounding); per-layer, element-wise and
 * output-excluded clipping scale parts of g differently and turn it.
 */
public final class PolicyComparison {
    private final int steps;
    private final long seed;

    /** One policy as the lab names it: the {@link ClippingPolicy} code, or {@code global-norm-output-unclipped}. */
    public record Variant(String name, GradientClipper clipper) {
    }

    /**
     * @param cosine          mean cosine between raw and clipped gradient over the segments this policy changed (NaN if none)
     * @param minCosine       the smallest such cosine
     * @param clippedSegments how many segments it changed, of {@code segments}
     */
    public record Result(String policy, double threshold, double cosine, double minCosine, int clippedSegments, int segments) {
    }

    public PolicyComparison(int steps, long seed) {
        this.steps = steps;
        this.seed = seed;
    }

    /**
     * The four policies at thresholds that bite on this stream: the norm policies at the median raw global norm (so
     * the spike segments and about half of the others are clipped), {@code value} at that threshold ÷ sqrt(N) —
     * the element limit a gradient of N equal elements with the threshold's norm would have.
     */
    static List<Variant> variants(double normThreshold, long parameters) {
        double valueThreshold = normThreshold / Math.sqrt(parameters);
        return List.of(
                new Variant(ClippingPolicy.GLOBAL_NORM.code(), new GradientClipper(ClippingPolicy.GLOBAL_NORM, normThreshold, false)),
                new Variant(ClippingPolicy.LAYER_NORM.code(), new GradientClipper(ClippingPolicy.LAYER_NORM, normThreshold, false)),
                new Variant(ClippingPolicy.VALUE.code(), new GradientClipper(ClippingPolicy.VALUE, valueThreshold, false)),
                new Variant("global-norm-output-unclipped", new GradientClipper(ClippingPolicy.GLOBAL_NORM, normThreshold, true)));
    }

    private record RawSegment(INDArray gradient, long[] offsets, int batch, double norm) {
    }

    public List<Result> run(IntConsumer progress) {
        ModelConfig config = ModelConfig.defaults().withSeed(seed);
        MultiLayerNetwork net = ForecastNetworkFactory.build(config);
        List<RawSegment> raw = new ArrayList<>();
        // registered before the trainer's own clipping listener, so it sees the raw gradient
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                MultiLayerNetwork m = (MultiLayerNetwork) model;
                long[] offsets = GradientNorms.layerOffsets(m);
                int batch = Math.max(1, m.batchSize());
                INDArray g = m.gradient().gradient().dup();
                raw.add(new RawSegment(g, offsets, batch, GradientNorms.measure(g, offsets, batch).global()));
            }
        });
        OnlineTrainer trainer = new OnlineTrainer("lab-policies", config, net, 0, TrainerMetrics.noop(config.clipThreshold()), Clock.systemUTC());
        SpikyStream stream = new SpikyStream(config.batchSize(), config.window(), 0.01, 8.0, seed);
        for (int i = 0; i < steps; i++) {
            trainer.train(stream.next(4));
            progress.accept(i + 1);
        }
        double[] norms = raw.stream().mapToDouble(RawSegment::norm).filter(Double::isFinite).sorted().toArray();
        double threshold = norms.length == 0 ? config.clipThreshold() : norms[norms.length / 2];
        List<Result> out = new ArrayList<>();
        for (Variant v : variants(threshold, net.numParams())) {
            double sum = 0;
            double min = Double.NaN;
            int clipped = 0;
            for (RawSegment r : raw) {
                INDArray copy = r.gradient().dup();
                ClipResult c = v.clipper().clip(copy, r.offsets(), r.batch());
                if (c.clipped()) {
                    double cos = cosine(r.gradient(), copy);
                    sum += cos;
                    min = Double.isNaN(min) ? cos : Math.min(min, cos);
                    clipped++;
                }
            }
            out.add(new Result(v.name(), v.clipper().threshold(), clipped == 0 ? Double.NaN : sum / clipped, min, clipped, raw.size()));
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
