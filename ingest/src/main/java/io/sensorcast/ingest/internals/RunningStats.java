package io.sensorcast.ingest.internals;

/**
 * Running mean and (population) standard deviation, Welford's update generalised to exponential forgetting
 * (West 1979, weighted incremental form): with factor {@code f} the i-th newest observation has weight f^i.
 * <pre>
 *   weight ← f·weight + 1;  d ← x − mean;  mean ← mean + d / weight;  m2 ← f·m2 + d·(x − mean)
 *   variance = m2 / weight
 * </pre>
 * With f = 1 this is plain Welford (weight = n, variance = Σ(x−mean)²/n). Mutable; one per sensor.
 */
public final class RunningStats {
    private double weight;
    private double mean;
    private double m2;

    public RunningStats() {
    }

    public RunningStats(double weight, double mean, double m2) {
        this.weight = weight;
        this.mean = mean;
        this.m2 = m2;
    }

    public void add(double x, double forgettingFactor) {
        weight = forgettingFactor * weight + 1;
        double d = x - mean;
        mean += d / weight;
        m2 = forgettingFactor * m2 + d * (x - mean);
    }

    public double weight() {
        return weight;
    }

    public double mean() {
        return mean;
    }

    public double m2() {
        return m2;
    }

    public double std() {
        return weight > 0 ? Math.sqrt(Math.max(0, m2 / weight)) : 0;
    }
}
