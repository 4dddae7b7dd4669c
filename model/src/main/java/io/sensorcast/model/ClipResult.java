package io.sensorcast.model;

import java.util.Arrays;

/**
 * What {@link GradientClipper} did to one gradient (one TBPTT segment), in minibatch-mean units.
 *
 * @param preClipNorm  global L2 norm before clipping, over all parameters (also the unclipped output layer)
 * @param postClipNorm global L2 norm of the gradient the updater receives; 0 when the update is skipped
 * @param clipped      whether the policy changed the gradient
 * @param nonFinite    whether the gradient (or its norm) was NaN/infinite; the gradient was zeroed and the caller
 *                     must undo the step ({@link OnlineTrainer} restores parameters and updater state)
 * @param layerNorms   pre-clip norm per layer (index = DL4J layer index)
 */
public record ClipResult(double preClipNorm, double postClipNorm, boolean clipped, boolean nonFinite, double[] layerNorms) {

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipResult c && Double.compare(preClipNorm, c.preClipNorm) == 0
                && Double.compare(postClipNorm, c.postClipNorm) == 0 && clipped == c.clipped && nonFinite == c.nonFinite
                && Arrays.equals(layerNorms, c.layerNorms);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(preClipNorm) * 31 + Arrays.hashCode(layerNorms);
    }

    @Override
    public String toString() {
        return "ClipResult[pre=" + preClipNorm + ", post=" + postClipNorm + ", clipped=" + clipped + ", nonFinite=" + nonFinite
                + ", layers=" + Arrays.toString(layerNorms) + "]";
    }
}
