package io.sensorcast.model.support;

import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSimulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Windows from {@link SensorSimulator} readings, normalised by hand: each sensor's mean and standard deviation are
 * taken from its first {@link #STATS_STEPS} readings (one simulated day at 15-minute steps) and kept fixed. {@link #nextBatch()} advances {@code hop} steps and
 * returns one W-step window per sensor ending at the latest step.
 */
public final class SimulatedStream {
    /** Readings per sensor used for the normalisation statistics. */
    public static final int STATS_STEPS = 96;

    private final SensorSimulator simulator;
    private final int window;
    private final int hop;
    private final long stepMs;
    private final double[][] history;
    private final double[] mean;
    private final double[] std;
    private final double[][] statsBuffer;
    private int filled;
    private long lastTs;

    public SimulatedStream(int sensors, long seed, Duration step, int window, int hop) {
        this.simulator = new SensorSimulator(sensors, seed, 1_700_000_000_000L, step);
        this.window = window;
        this.hop = hop;
        this.stepMs = step.toMillis();
        this.history = new double[sensors][window];
        this.mean = new double[sensors];
        this.std = new double[sensors];
        this.statsBuffer = new double[sensors][STATS_STEPS];
    }

    private void tick() {
        List<Reading> readings = simulator.tick();
        for (int i = 0; i < readings.size(); i++) {
            double[] h = history[i];
            System.arraycopy(h, 1, h, 0, window - 1);
            h[window - 1] = readings.get(i).value();
            lastTs = readings.get(i).ts();
            if (filled < STATS_STEPS) {
                statsBuffer[i][filled] = readings.get(i).value();
            }
        }
        filled++;
        if (filled == STATS_STEPS) {
            for (int i = 0; i < history.length; i++) {
                double m = Arrays.stream(statsBuffer[i]).average().orElseThrow();
                double v = Arrays.stream(statsBuffer[i]).map(x -> (x - m) * (x - m)).sum() / (STATS_STEPS - 1);
                mean[i] = m;
                std[i] = Math.sqrt(v);
            }
        }
    }

    /** The next batch: one window per sensor. */
    public List<SensorSequence> nextBatch() {
        int first = Math.max(window, STATS_STEPS);
        int ticks = filled < first ? first - filled : hop;
        for (int t = 0; t < ticks; t++) {
            tick();
        }
        List<SensorSequence> out = new ArrayList<>(history.length);
        for (int i = 0; i < history.length; i++) {
            float[] v = new float[window];
            for (int t = 0; t < window; t++) {
                v[t] = (float) ((history[i][t] - mean[i]) / std[i]);
            }
            byte[] observed = new byte[window];
            Arrays.fill(observed, (byte) 1);
            out.add(new SensorSequence(SensorSimulator.sensorId(i), lastTs, stepMs, v, observed, mean[i], std[i], 0L));
        }
        return out;
    }

    /** The same windows with every value multiplied by {@code factor} (an injected explosion). */
    public static List<SensorSequence> scaled(List<SensorSequence> batch, float factor) {
        List<SensorSequence> out = new ArrayList<>(batch.size());
        for (SensorSequence s : batch) {
            float[] v = s.values().clone();
            for (int t = 0; t < v.length; t++) {
                v[t] *= factor;
            }
            out.add(new SensorSequence(s.sensor(), s.end(), s.stepMs(), v, s.observed(), s.mean(), s.std(), s.arrivedAt()));
        }
        return out;
    }

    /** The same windows with one NaN in the first window. */
    public static List<SensorSequence> withNaN(List<SensorSequence> batch) {
        List<SensorSequence> out = new ArrayList<>(batch);
        SensorSequence s = batch.get(0);
        float[] v = s.values().clone();
        v[v.length / 3] = Float.NaN;
        out.set(0, new SensorSequence(s.sensor(), s.end(), s.stepMs(), v, s.observed(), s.mean(), s.std(), s.arrivedAt()));
        return out;
    }
}
