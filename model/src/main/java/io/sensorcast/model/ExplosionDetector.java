package io.sensorcast.model;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides, once per training step, whether the step was an explosion and what to do about it.
 *
 * <p><b>Kinds</b> (first that applies): {@code nonfinite} — the gradient or the loss is NaN/infinite;
 * {@code norm_spike} — the pre-clip global norm exceeds {@code factor ×} the rolling median of earlier steps' norms;
 * {@code loss_spike} — the training loss exceeds {@code factor ×} the rolling median of earlier losses. Spike verdicts
 * need {@code minHistory} earlier finite samples. Finite values (spikes included: the median is robust to a minority
 * of outliers and a lasting regime change is eventually accepted) enter the medians after the verdict.
 *
 * <p><b>Actions</b>: {@code nonfinite → skipped} (the caller undoes the update), spike → {@code clipped} (the
 * clipped update stands). When this explosion makes {@code rollbackAfter} explosions within the last
 * {@code rollbackWindow} steps, the action is {@code rolled_back} instead (the caller restores the last good weights
 * and halves the learning rate) and the count starts afresh.
 */
public final class ExplosionDetector {
    private final double factor;
    private final int minHistory;
    private final int rollbackAfter;
    private final int rollbackWindow;
    private final RollingMedian norms;
    private final RollingMedian losses;
    private final Deque<Long> recent = new ArrayDeque<>();
    private long lastExplosionStep = -1;

    /** The verdict on one step; {@code kind} and {@code action} are null when nothing happened. */
    public record Verdict(GradientEvent.Kind kind, GradientEvent.Action action, double medianNorm, double medianLoss) {
        public boolean explosion() {
            return kind != null;
        }
    }

    public ExplosionDetector(double factor, int medianWindow, int minHistory, int rollbackAfter, int rollbackWindow) {
        this.factor = factor;
        this.minHistory = minHistory;
        this.rollbackAfter = rollbackAfter;
        this.rollbackWindow = rollbackWindow;
        this.norms = new RollingMedian(medianWindow);
        this.losses = new RollingMedian(medianWindow);
    }

    public static ExplosionDetector of(ModelConfig c) {
        return new ExplosionDetector(c.explosionFactor(), c.medianWindow(), c.minHistory(), c.rollbackAfter(), c.rollbackWindow());
    }

    /** Judges step {@code step} from its pre-clip norm, loss and whether the gradient was non-finite. */
    public Verdict assess(long step, double preClipNorm, double loss, boolean nonFiniteGradient) {
        double medianNorm = norms.median();
        double medianLoss = losses.median();
        GradientEvent.Kind kind = null;
        if (nonFiniteGradient || !Double.isFinite(preClipNorm) || !Double.isFinite(loss)) {
            kind = GradientEvent.Kind.NONFINITE;
        } else if (norms.size() >= minHistory && preClipNorm > factor * medianNorm) {
            kind = GradientEvent.Kind.NORM_SPIKE;
        } else if (losses.size() >= minHistory && loss > factor * medianLoss) {
            kind = GradientEvent.Kind.LOSS_SPIKE;
        }
        norms.add(preClipNorm);
        losses.add(loss);
        if (kind == null) {
            return new Verdict(null, null, medianNorm, medianLoss);
        }
        lastExplosionStep = step;
        while (!recent.isEmpty() && recent.peekFirst() <= step - rollbackWindow) {
            recent.removeFirst();
        }
        recent.addLast(step);
        GradientEvent.Action action;
        if (recent.size() >= rollbackAfter) {
            action = GradientEvent.Action.ROLLED_BACK;
            recent.clear();
        } else {
            action = kind == GradientEvent.Kind.NONFINITE ? GradientEvent.Action.SKIPPED : GradientEvent.Action.CLIPPED;
        }
        return new Verdict(kind, action, medianNorm, medianLoss);
    }

    /** The step of the latest explosion, or −1. */
    public long lastExplosionStep() {
        return lastExplosionStep;
    }

    /** Whether there was no explosion in the {@code k} steps up to and including {@code step}. */
    public boolean quietFor(long step, int k) {
        return lastExplosionStep < 0 || lastExplosionStep <= step - k;
    }

    public double medianNorm() {
        return norms.median();
    }

    public double medianLoss() {
        return losses.median();
    }
}
