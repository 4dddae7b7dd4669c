package io.sensorcast.model.lab;

import java.util.Random;

/**
 * A sensor series with a long-range dependency: each reading echoes the one {@code lag} steps earlier,
 * {@code v_t = echo · v_{t−lag} + noise · ε_t} (ε standard normal, seeded), a seasonal AR process. Forecasting
 * {@code v_{t+1…t+h}} well needs the readings {@code lag − h … lag} steps back, so a forecaster must carry
 * information across 50+ steps (the "long-range dependency" of Bengio et al. 1994 and Pascanu et al. 2013, in a
 * forecasting form the project's trainer consumes unchanged). Stationary with unit variance when
 * {@code noise = sqrt(1 − echo²)}.
 */
public final class EchoSeries {
    private final int lag;
    private final double echo;
    private final double noise;
    private final Random random;
    private final double[] ring;
    private long t;

    public EchoSeries(int lag, double echo, long seed) {
        if (lag < 1 || !(Math.abs(echo) < 1)) {
            throw new IllegalArgumentException("need lag >= 1 and |echo| < 1");
        }
        this.lag = lag;
        this.echo = echo;
        this.noise = Math.sqrt(1 - echo * echo);
        this.random = new Random(seed);
        this.ring = new double[lag];
        for (int i = 0; i < lag; i++) {
            ring[i] = random.nextGaussian(); // start in the stationary distribution
        }
    }

    /** The next reading. */
    public double next() {
        int i = (int) (t % lag);
        double v = echo * ring[i] + noise * random.nextGaussian();
        ring[i] = v;
        t++;
        return v;
    }

    /** {@code batch} independent windows of {@code window} consecutive readings, each from a fresh stretch. */
    public float[][] windows(int batch, int window) {
        float[][] out = new float[batch][window];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < window; j++) {
                out[b][j] = (float) next();
            }
        }
        return out;
    }
}
