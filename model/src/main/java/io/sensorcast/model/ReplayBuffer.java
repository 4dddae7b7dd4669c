package io.sensorcast.model;

import io.sensorcast.ingest.SensorSequence;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A uniform sample of the windows a trainer has seen (reservoir sampling, Vitter's algorithm R), replayed beside the
 * fresh windows of each online step.
 *
 * <p>Why: online batches are narrow — consecutive windows of a few sensors — so plain test-then-train updates chase
 * the latest stretch and forget the rest; on ETTh1 they made a well-trained model worse. Mixing in old windows
 * keeps each update an estimate of the gradient over everything seen, while the fresh windows still move the model
 * towards what the sensors do now.
 *
 * <p>Not thread-safe: one trainer thread owns it.
 */
public final class ReplayBuffer {
    private final int capacity;
    private final List<SensorSequence> windows;
    private final SplittableRandom random;
    private long seen;

    public ReplayBuffer(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.windows = new ArrayList<>(Math.min(capacity, 1 << 16));
        this.random = new SplittableRandom(seed);
    }

    /** Offers each window once; every window seen so far stays in the buffer with the same probability. */
    public void offer(List<SensorSequence> batch) {
        for (SensorSequence s : batch) {
            seen++;
            if (windows.size() < capacity) {
                windows.add(s);
            } else {
                long slot = random.nextLong(seen);
                if (slot < capacity) {
                    windows.set((int) slot, s);
                }
            }
        }
    }

    /** Up to {@code n} windows drawn uniformly (with replacement) from the buffer; empty while it is empty. */
    public List<SensorSequence> sample(int n) {
        if (windows.isEmpty() || n <= 0) {
            return List.of();
        }
        List<SensorSequence> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(windows.get(random.nextInt(windows.size())));
        }
        return out;
    }

    public int size() {
        return windows.size();
    }

    /** Windows offered so far. */
    public long seen() {
        return seen;
    }
}
