package io.sensorcast.model.checkpoint;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BacklogSamplerTest {
    @Test
    void shouldKeepEverythingWhenTheBacklogFits() {
        assertArrayEquals(new int[]{0, 1, 2}, new BacklogSampler(1).choose(3, 8));
    }

    @Test
    void shouldKeepTheNewestHalfAndSampleTheRestFromOlderOnes() {
        int[] kept = new BacklogSampler(1).choose(1000, 64);
        assertEquals(64, kept.length);
        for (int i = 0; i < 32; i++) {
            assertEquals(968 + i, kept[32 + i], "the newest 32 are all kept");
        }
        for (int i = 0; i < 32; i++) {
            assertTrue(kept[i] < 968, "the others come from the older part");
        }
        assertTrue(IntStream.range(1, kept.length).allMatch(i -> kept[i] > kept[i - 1]), "in order, no repeats");
    }

    @Test
    void shouldSampleTheOlderPartUniformly() {
        // over many draws every older index is about equally likely: compare the first and second half of it
        long firstHalf = 0;
        long total = 0;
        for (long seed = 0; seed < 300; seed++) {
            for (int i : new BacklogSampler(seed).choose(1000, 64)) {
                if (i < 968) {
                    total++;
                    firstHalf += i < 484 ? 1 : 0;
                }
            }
        }
        double share = (double) firstHalf / total;
        assertTrue(Math.abs(share - 0.5) < 0.03, "share of the older part's first half: " + share);
    }

    @Test
    void shouldReturnTheChosenItemsInOrder() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        List<Integer> kept = new BacklogSampler(3).sample(items, 4);
        assertEquals(4, kept.size());
        assertEquals(List.of(8, 9), kept.subList(2, 4));
    }
}
