package io.sensorcast.model.lab;

import io.sensorcast.model.GradientEvent;
import io.sensorcast.model.OnlineTrainer;
import io.sensorcast.model.StepReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one lab training run recorded, step by step, from {@link OnlineTrainer}'s own reports: loss, pre-clip
 * norm, the explosion events its detector raised and the recurrent spectral norm it probed.
 */
public final class TrainingRun {
    private final List<Double> losses = new ArrayList<>();
    private final List<Double> preClipNorms = new ArrayList<>();
    private final List<Double> spectralNorms = new ArrayList<>();
    private final List<Long> explosionSteps = new ArrayList<>();
    private int explosions;
    private int nonFiniteSteps;

    /** Records one step; {@code spectral} is the trainer's latest probe (NaN if none yet). */
    void record(StepReport report, OnlineTrainer trainer) {
        losses.add(report.loss());
        preClipNorms.add(report.preClipNorm());
        Map<Integer, Double> sigma = trainer.lastSpectralNorms();
        spectralNorms.add(sigma.isEmpty() ? Double.NaN : sigma.get(0));
        GradientEvent event = report.event();
        if (event != null) {
            explosionSteps.add(report.step());
            if (event.kind() == GradientEvent.Kind.NONFINITE) {
                nonFiniteSteps++;
            } else {
                explosions++;
            }
        }
    }

    /** Training loss per step (PyTorch {@code mse_loss} units; NaN for a non-finite step). */
    public List<Double> losses() {
        return losses;
    }

    /** Pre-clip global gradient norm per step (the trainer's units). */
    public List<Double> preClipNorms() {
        return preClipNorms;
    }

    /** σ₁ of the recurrent matrix after each step (NaN before the first probe). */
    public List<Double> spectralNorms() {
        return spectralNorms;
    }

    /** Steps at which the detector raised an event of any kind. */
    public List<Long> explosionSteps() {
        return explosionSteps;
    }

    /** Norm-spike and loss-spike events. */
    public int explosions() {
        return explosions;
    }

    /** Steps whose gradient or loss was NaN or infinite (the trainer skipped them). */
    public int nonFiniteSteps() {
        return nonFiniteSteps;
    }
}
