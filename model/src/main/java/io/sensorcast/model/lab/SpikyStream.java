package io.sensorcast.model.lab;

import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSimulator;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Windows of {@link SensorSimulator} sensors (15-minute steps, so a window spans a day of cycle), each sensor
 * z-scored with fixed statistics from a warm-up day, with injected spikes: every reading is replaced, with
 * probability {@code spikeRate}, by one {@code spikeSize} standard deviations off — the glitches (a stuck ADC, a
 * unit mix-up) that make a production trainer's gradient jump.
 */
public final class SpikyStream {
    private static final int WARMUP = 96;

    private final SensorSimulator simulator;
    private final int window;
    private final double spikeRate;
    private final double spikeSize;
    private final Random random;
    private final double[] mean;
    private final double[] std;
    private final float[][] history;

    public SpikyStream(int sensors, int window, double spikeRate, double spikeSize, long seed) {
        this.simulator = new SensorSimulator(sensors, seed, 1_700_000_000_000L, Duration.ofMinutes(15));
        this.window = window;
        this.spikeRate = spikeRate;
        this.spikeSize = spikeSize;
        this.random = new Random(seed);
        this.mean = new double[sensors];
        this.std = new double[sensors];
        this.history = new float[sensors][window];
        double[][] warm = new double[sensors][WARMUP];
        for (int t = 0; t < WARMUP; t++) {
            List<Reading> tick = simulator.tick();
            for (int s = 0; s < sensors; s++) {
                warm[s][t] = tick.get(s).value();
            }
        }
        for (int s = 0; s < sensors; s++) {
            double m = 0;
            for (double v : warm[s]) {
                m += v;
            }
            m /= WARMUP;
            double var = 0;
            for (double v : warm[s]) {
                var += (v - m) * (v - m);
            }
            mean[s] = m;
            std[s] = Math.max(1e-9, Math.sqrt(var / (WARMUP - 1)));
        }
        for (int t = 0; t < window; t++) {
            advance();
        }
    }

    private void advance() {
        List<Reading> tick = simulator.tick();
        for (int s = 0; s < history.length; s++) {
            System.arraycopy(history[s], 1, history[s], 0, window - 1);
            double z = (tick.get(s).value() - mean[s]) / std[s];
            if (random.nextDouble() < spikeRate) {
                z += (random.nextBoolean() ? 1 : -1) * spikeSize;
            }
            history[s][window - 1] = (float) z;
        }
    }

    /** Advances {@code hop} steps and returns one window per sensor ending at the latest step. */
    public float[][] next(int hop) {
        for (int i = 0; i < hop; i++) {
            advance();
        }
        float[][] out = new float[history.length][];
        for (int s = 0; s < history.length; s++) {
            out[s] = history[s].clone();
        }
        return out;
    }
}
