package io.sensorcast.ingest;

import java.util.Arrays;

/**
 * A window of W regular steps of one sensor, normalised, as it travels on {@code sensor-sequences}:
 * <pre>{@code {"sensor":"pump-7.temp","end":1732445700000,"stepMs":60000,"values":[...W floats...],
 *  "observed":[...W 0/1...],"mean":71.2,"std":3.4,"arrivedAt":1732445761234}}</pre>
 *
 * <p>{@code values[i]} is the normalised mean of the readings in step {@code end - (W-1-i)·stepMs}:
 * {@code (raw - mean) / std}, with the sensor's running statistics at the time the window was emitted.
 * {@code observed[i]} is 0 where a short gap was filled by interpolation. {@code arrivedAt} is the wall-clock time
 * at which ingest received the latest reading in the window (0 when unknown), so serving can measure
 * reading-to-forecast latency along the real path rather than from event time.
 */
public record SensorSequence(String sensor, long end, long stepMs, float[] values, byte[] observed,
                             double mean, double std, long arrivedAt) {

    public int length() {
        return values.length;
    }

    /** The raw (sensor-unit) value of a normalised one. */
    public double denormalise(double normalised) {
        return normalised * std + mean;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorSequence s && sensor.equals(s.sensor) && end == s.end && stepMs == s.stepMs
                && Arrays.equals(values, s.values) && Arrays.equals(observed, s.observed)
                && Double.compare(mean, s.mean) == 0 && Double.compare(std, s.std) == 0 && arrivedAt == s.arrivedAt;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sensor.hashCode() + Long.hashCode(end)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SensorSequence[" + sensor + " end=" + end + " W=" + values.length + " mean=" + mean + " std=" + std + "]";
    }
}
