package io.sensorcast.model.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which of a backlog's sequences a trainer that has fallen behind learns from (DESIGN.md: "when sequences arrive
 * faster than it can train, it samples them, keeping recent and older windows balanced").
 *
 * <p>Of {@code n} waiting sequences (oldest first) it keeps {@code keep}: the newest {@code keep/2}, so the model
 * follows what the sensors do now, and the rest drawn uniformly from the older ones, so the backlog's whole stretch is
 * still represented. The kept sequences stay in their original (offset) order.
 */
public final class BacklogSampler {
    private final SplittableRandom random;

    public BacklogSampler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The indexes (ascending) of the {@code keep} of {@code n} items to train on; all of them when n ≤ keep. */
    public int[] choose(int n, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
        if (n <= keep) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int recent = keep / 2;
        int older = n - recent;
        int fromOlder = keep - recent;
        // selection sampling (Knuth's algorithm S): fromOlder of the older items, uniformly, in order
        List<Integer> chosen = new ArrayList<>(keep);
        int needed = fromOlder;
        for (int i = 0; i < older && needed > 0; i++) {
            if (random.nextInt(older - i) < needed) {
                chosen.add(i);
                needed--;
            }
        }
        for (int i = older; i < n; i++) {
            chosen.add(i);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The chosen items of {@code items}, in order. */
    public <T> List<T> sample(List<T> items, int keep) {
        int[] idx = choose(items.size(), keep);
        List<T> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(items.get(i));
        }
        return out;
    }
}
