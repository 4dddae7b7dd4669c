package io.sensorcast.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic sensors: a daily cycle, a slow drift and noise, each sensor with its own level,
 * amplitude and phase. The same seed gives the same readings, so tests and demos are repeatable.
 *
 * <p>Example: {@code new SensorSimulator(5, 42, t0, Duration.ofMinutes(1)).tick()} returns five readings stamped
 * {@code t0}; the next call returns five stamped {@code t0 + 60 000}.
 */
public final class SensorSimulator {
    private static final double DAY_MS = Duration.ofDays(1).toMillis();

    private final String[] ids;
    private final double[] level;
    private final double[] amplitude;
    private final double[] phase;
    private final double[] driftPerDay;
    private final double[] noise;
    private final SplittableRandom random;
    private final long stepMs;
    private long nextTs;

    public SensorSimulator(int sensors, long seed, long startMs, Duration step) {
        if (sensors < 1) {
            throw new IllegalArgumentException("need at least one sensor, got " + sensors);
        }
        this.random = new SplittableRandom(seed);
        this.stepMs = step.toMillis();
        this.nextTs = startMs;
        ids = new String[sensors];
        level = new double[sensors];
        amplitude = new double[sensors];
        phase = new double[sensors];
        driftPerDay = new double[sensors];
        noise = new double[sensors];
        for (int i = 0; i < sensors; i++) {
            ids[i] = sensorId(i);
            level[i] = 20 + random.nextDouble() * 60;
            amplitude[i] = 2 + random.nextDouble() * 10;
            phase[i] = random.nextDouble() * 2 * Math.PI;
            driftPerDay[i] = (random.nextDouble() - 0.5) * 2;
            noise[i] = 0.1 + random.nextDouble() * 0.5;
        }
    }

    /** The id of sensor {@code i}, e.g. {@code sim-0007.temp}. */
    public static String sensorId(int i) {
        return String.format("sim-%04d.temp", i);
    }

    public int sensors() {
        return ids.length;
    }

    public long nextTimestamp() {
        return nextTs;
    }

    /** One reading per sensor at the next step, then advances the clock by one step. */
    public List<Reading> tick() {
        List<Reading> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            out.add(new Reading(ids[i], nextTs, valueOf(i, nextTs)));
        }
        nextTs += stepMs;
        return out;
    }

    /** An endless iterator over {@link #tick()}s: every sensor's reading at one step, then the next step. */
    public Iterator<Reading> readings() {
        return new Iterator<>() {
            private Iterator<Reading> step = List.<Reading>of().iterator();

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Reading next() {
                if (!step.hasNext()) {
                    step = tick().iterator();
                }
                return step.next();
            }
        };
    }

    private double valueOf(int i, long ts) {
        double days = ts / DAY_MS;
        double daily = amplitude[i] * Math.sin(2 * Math.PI * days + phase[i]);
        double secondHarmonic = 0.3 * amplitude[i] * Math.sin(4 * Math.PI * days + 2 * phase[i]);
        double v = level[i] + daily + secondHarmonic + driftPerDay[i] * (days % 30) + noise[i] * random.nextGaussian();
        return Math.round(v * 1000) / 1000.0;
    }
}
