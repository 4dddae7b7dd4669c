package io.sensorcast.ops.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sensorcast.ingest.SensorSequence;

/**
 * The resampled series as ingest produced it, step by step in the series' units: every step that appears in some
 * sequence, with its observed flag (0 where ingest interpolated a short gap). Baselines and actuals come from here,
 * so they see the same resampling and gap rules as the model.
 */
public final class StepSeries {
    private final long stepMs;
    private final Map<Long, Double> values = new HashMap<>();
    private final Map<Long, Boolean> observed = new HashMap<>();

    public StepSeries(long stepMs) {
        this.stepMs = stepMs;
    }

    /** The steps of ingest's sequences (denormalised with each sequence's own statistics). */
    public static StepSeries of(List<SensorSequence> sequences, long stepMs) {
        StepSeries s = new StepSeries(stepMs);
        for (SensorSequence q : sequences) {
            int w = q.values().length;
            long last = Math.floorDiv(q.end(), stepMs);
            for (int i = 0; i < w; i++) {
                s.put(last - (w - 1 - i), q.denormalise(q.values()[i]), q.observed()[i] == 1);
            }
        }
        return s;
    }

    /** Sets step {@code index} (epoch-aligned: its start is {@code index·stepMs}). */
    public void put(long index, double value, boolean wasObserved) {
        values.put(index, value);
        observed.put(index, wasObserved);
    }

    /** The value of a step, or null when ingest produced none (a long gap, or outside the series). */
    public Double value(long index) {
        return values.get(index);
    }

    public boolean observed(long index) {
        return Boolean.TRUE.equals(observed.get(index));
    }

    public long stepMs() {
        return stepMs;
    }
}
