package io.sensorcast.model.lab;

import java.util.List;

/**
 * The {@code SensorcastRecurrentSpectralNormHigh} condition (ops/prometheus/rules/sensorcast-alerts.yml) evaluated on
 * a per-step series instead of Prometheus time: σ₁ above {@code floor} and above {@code ratio ×} its value
 * {@code lookback} steps earlier, held for {@code holdFor} consecutive steps. The rule's 30 m lookback and 5 m
 * {@code for:} become {@link #ALERT_RULE_IN_STEPS} at one training step per minute, the trainer's pace on a
 * sensor fleet reporting once a minute with sampling off.
 */
public record SpectralNormRule(double floor, double ratio, int lookback, int holdFor) {
    /** The rule as shipped, one step per minute. */
    public static final SpectralNormRule ALERT_RULE_IN_STEPS = new SpectralNormRule(1.0, 1.25, 30, 5);

    /** The first step at which the condition holds (the alert turns pending), or −1. */
    public int firstCondition(List<Double> sigma) {
        return firstFiring(sigma, 1);
    }

    /** The first step at which the condition has held for {@code holdFor} steps (the alert fires), or −1. */
    public int firstFiring(List<Double> sigma) {
        return firstFiring(sigma, holdFor);
    }

    private int firstFiring(List<Double> sigma, int hold) {
        int held = 0;
        for (int s = 0; s < sigma.size(); s++) {
            double now = sigma.get(s);
            boolean pending = s >= lookback && now > floor && now > ratio * sigma.get(s - lookback);
            held = pending ? held + 1 : 0;
            if (held >= hold) {
                return s;
            }
        }
        return -1;
    }
}
