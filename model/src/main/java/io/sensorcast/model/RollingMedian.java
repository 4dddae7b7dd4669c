package io.sensorcast.model;

import java.util.Arrays;

/** The median of the last {@code capacity} finite values added (non-finite values are ignored). */
public final class RollingMedian {
    private final double[] ring;
    private final double[] scratch;
    private int size;
    private int next;

    public RollingMedian(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        ring = new double[capacity];
        scratch = new double[capacity];
    }

    public void add(double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        ring[next] = v;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    public int size() {
        return size;
    }

    /** The median (mean of the two middle values for an even count); NaN when empty. */
    public double median() {
        if (size == 0) {
            return Double.NaN;
        }
        System.arraycopy(ring, 0, scratch, 0, size);
        Arrays.sort(scratch, 0, size);
        int mid = size / 2;
        return size % 2 == 1 ? scratch[mid] : (scratch[mid - 1] + scratch[mid]) / 2;
    }

    public void clear() {
        size = 0;
        next = 0;
    }
}
