package io.sensorcast.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Clips a network's gradient in place, between backprop and the updater, so the update DL4J applies is the clipped
 * one ({@link ClippingPolicy} gives the formulas).
 *
 * <p><b>Hook.</b> {@link #listener(Consumer)} returns a DL4J {@code TrainingListener} whose
 * {@code onGradientCalculation} clips {@code model.gradient().gradient()}: that array is the network's flattened
 * gradient view, which the updater consumes right after the listeners ran. DL4J calls it once per optimiser step,
 * i.e. once per TBPTT segment, so clipping works in TBPTT mode too. At that point the gradient is still summed over
 * the minibatch: norms are divided by B before they are compared with the threshold, and the threshold is scaled by
 * B when acting on the sum (the scale factor itself is the same).
 *
 * <p><b>Non-finite gradients</b> are zeroed (so later TBPTT segments stay finite) and reported; a zero gradient
 * still moves Adam's parameters through its moments, so the caller must undo the step ({@link OnlineTrainer} does).
 */
public final class GradientClipper {
    private final ClippingPolicy policy;
    private final double threshold;
    private final boolean excludeOutputLayer;

    public GradientClipper(ClippingPolicy policy, double threshold, boolean excludeOutputLayer) {
        if (!(threshold > 0) || !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite and > 0, got " + threshold);
        }
        this.policy = policy;
        this.threshold = threshold;
        this.excludeOutputLayer = excludeOutputLayer;
    }

    public static GradientClipper of(ModelConfig config) {
        return new GradientClipper(config.clippingPolicy(), config.clipThreshold(), config.excludeOutputLayerFromClipping());
    }

    public ClippingPolicy policy() {
        return policy;
    }

    public double threshold() {
        return threshold;
    }

    /** Clips the gradient the network holds now (after backprop, before the update). */
    public ClipResult clip(MultiLayerNetwork net) {
        return clip(net.gradient().gradient(), GradientNorms.layerOffsets(net), Math.max(1, net.batchSize()));
    }

    /**
     * Clips {@code flat} (a gradient summed over {@code batchSize} examples, layers at {@code offsets}; the last layer
     * is the output layer) in place.
     */
    public ClipResult clip(INDArray flat, long[] offsets, int batchSize) {
        GradientNorms norms = GradientNorms.measure(flat, offsets, batchSize);
        double pre = norms.global();
        double[] layerNorms = norms.layers();
        int nLayers = layerNorms.length;
        if (!Double.isFinite(pre)) {
            flat.assign(0);
            return new ClipResult(pre, 0.0, false, true, layerNorms);
        }
        int clippedLayers = excludeOutputLayer ? nLayers - 1 : nLayers;
        double excludedSq = 0;
        for (int l = clippedLayers; l < nLayers; l++) {
            excludedSq += layerNorms[l] * layerNorms[l];
        }
        switch (policy) {
            case NONE -> {
                return new ClipResult(pre, pre, false, false, layerNorms);
            }
            case GLOBAL_NORM -> {
                double sq = 0;
                for (int l = 0; l < clippedLayers; l++) {
                    sq += layerNorms[l] * layerNorms[l];
                }
                double clippedNorm = Math.sqrt(sq);
                if (clippedNorm <= threshold) {
                    return new ClipResult(pre, pre, false, false, layerNorms);
                }
                double scale = threshold / clippedNorm;
                if (clippedLayers == nLayers) {
                    flat.muli(scale);
                } else {
                    GradientNorms.segment(flat, offsets[0], offsets[clippedLayers]).muli(scale);
                }
                return new ClipResult(pre, Math.sqrt(threshold * threshold + excludedSq), true, false, layerNorms);
            }
            case LAYER_NORM -> {
                boolean any = false;
                double postSq = excludedSq;
                for (int l = 0; l < clippedLayers; l++) {
                    double n = layerNorms[l];
                    if (n > threshold) {
                        GradientNorms.segment(flat, offsets[l], offsets[l + 1]).muli(threshold / n);
                        any = true;
                        postSq += threshold * threshold;
                    } else {
                        postSq += n * n;
                    }
                }
                return new ClipResult(pre, any ? Math.sqrt(postSq) : pre, any, false, layerNorms);
            }
            case VALUE -> {
                double limit = threshold * batchSize;
                boolean any = false;
                for (int l = 0; l < clippedLayers; l++) {
                    INDArray seg = GradientNorms.segment(flat, offsets[l], offsets[l + 1]);
                    if (seg.amaxNumber().doubleValue() > limit) {
                        Transforms.min(Transforms.max(seg, -limit, false), limit, false);
                        any = true;
                    }
                }
                double post = any ? GradientNorms.measure(flat, offsets, batchSize).global() : pre;
                return new ClipResult(pre, post, any, false, layerNorms);
            }
            default -> throw new IllegalStateException("unhandled policy " + policy);
        }
    }

    /**
     * A training listener that clips every gradient DL4J computes (once per TBPTT segment) and reports each result,
     * together with the segment's score, to {@code sink}.
     */
    public SegmentListener listener(Consumer<SegmentResult> sink) {
        return new SegmentListener(this, sink);
    }

    /**
     * One optimiser step's outcome: the clip result and DL4J's score of the segment before the update
     * ({@code score = segment length × mean MSE} for this network), and the segment length.
     */
    public record SegmentResult(ClipResult clip, double score, long segmentLength) {
        /** The loss in PyTorch {@code mse_loss} units: score ÷ segment length. */
        public double meanSquaredError() {
            return score / Math.max(1, segmentLength);
        }
    }

    /** The DL4J hook; add it with {@code network.addListeners(...)}. */
    public static final class SegmentListener extends BaseTrainingListener {
        private final GradientClipper clipper;
        private final Consumer<SegmentResult> sink;

        SegmentListener(GradientClipper clipper, Consumer<SegmentResult> sink) {
            this.clipper = clipper;
            this.sink = sink;
        }

        @Override
        public void onGradientCalculation(Model model) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            ClipResult r = clipper.clip(net);
            INDArray in = net.getInput();
            long len = in != null && in.rank() == 3 ? in.size(2) : 1;
            sink.accept(new SegmentResult(r, net.score(), len));
        }
    }

    /** Collects the segment results of one step (a convenience for tests and the trainer). */
    public static final class Recorder implements Consumer<SegmentResult> {
        private final List<SegmentResult> results = new ArrayList<>();

        @Override
        public void accept(SegmentResult r) {
            results.add(r);
        }

        public List<SegmentResult> results() {
            return results;
        }

        public void clear() {
            results.clear();
        }
    }
}
