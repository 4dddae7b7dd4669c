package io.sensorcast.model;

import java.util.Locale;

/**
 * How the gradient is clipped after backprop and before the updater sees it ({@link GradientClipper}).
 *
 * <p>All formulas act on the minibatch-mean gradient {@code g} (DL4J hands listeners the gradient summed over the
 * minibatch; {@link GradientClipper} divides by B before comparing with the threshold {@code t}). "Layer" is a DL4J
 * layer: all its parameters (for an LSTM {@code W}, {@code RW}, {@code b}) together.
 */
public enum ClippingPolicy {
    /**
     * Global-norm clipping over all (clipped) parameters, Pascanu, Mikolov &amp; Bengio, "On the difficulty of
     * training recurrent neural networks", ICML 2013, Algorithm 1: {@code if ‖g‖₂ > t then g ← t·g/‖g‖₂}, with
     * {@code ‖g‖₂ = sqrt(Σ_layers Σ_i g_i²)}. Keeps the direction of the update; PyTorch's {@code clip_grad_norm_}.
     * DL4J has no built-in for this (its {@code GradientNormalization} modes are per layer).
     */
    GLOBAL_NORM("global-norm"),
    /**
     * Per-layer norm clipping: for each layer l, {@code if ‖g_l‖₂ > t then g_l ← t·g_l/‖g_l‖₂}. Changes the
     * direction of the whole update when layers are clipped differently. DL4J's
     * {@code GradientNormalization.ClipL2PerLayer}; discussed in Pascanu et al. 2013 §3.2 as the local variant.
     */
    LAYER_NORM("layer-norm"),
    /**
     * Element-wise value clipping: {@code g_i ← max(−t, min(t, g_i))}, as in Mikolov's RNNLM (Mikolov 2012,
     * "Statistical language models based on neural networks", §3.2.2) and Graves 2013 ("Generating sequences with
     * recurrent neural networks", which clips the LSTM derivatives to [−1, 1]). PyTorch's {@code clip_grad_value_},
     * DL4J's {@code ClipElementWiseAbsoluteValue}. Changes the direction of the update.
     */
    VALUE("value"),
    /** No clipping: norms are still measured and reported, explosions still detected. */
    NONE("none");

    private final String code;

    ClippingPolicy(String code) {
        this.code = code;
    }

    /** The configuration/JSON spelling, e.g. {@code global-norm}. */
    public String code() {
        return code;
    }

    public static ClippingPolicy fromCode(String code) {
        String c = code.trim().toLowerCase(Locale.ROOT);
        for (ClippingPolicy p : values()) {
            if (p.code.equals(c)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown clipping policy '" + code + "' (expected global-norm, layer-norm, value or none)");
    }
}
