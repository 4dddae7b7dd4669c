package io.sensorcast.ingest;

import static io.sensorcast.ingest.IngestDriver.MIN;
import static io.sensorcast.ingest.IngestDriver.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

/**
 * Randomised: readings delivered out of order, but never later than the grace allows, give the same sequences as
 * the same readings in event-time order. Seed from {@code -Dingest.shuffle.seed}, else random; printed on failure.
 */
class IngestShuffleTest {
    private static final Duration GRACE = Duration.ofMinutes(2);

    private record Input(String sensor, long ts, double value, long arrival) {
    }

    @Test
    void shouldProduceSameSequencesAsInOrderWhenReadingsAreShuffledWithinGrace() {
        long seed = Long.getLong("ingest.shuffle.seed", new SplittableRandom().nextLong());
        String why = "seed " + seed + " (rerun with -Dingest.shuffle.seed=" + seed + ")";
        SplittableRandom random = new SplittableRandom(seed);
        List<Input> inputs = generate(random);

        List<Input> inOrder = new ArrayList<>(inputs);
        inOrder.sort(Comparator.comparingLong(Input::ts));
        List<Input> shuffled = new ArrayList<>(inputs);
        shuffled.sort(Comparator.comparingLong(Input::arrival));   // arrival = ts + [0, grace): never late

        List<KeyValue<String, SensorSequence>> expected = run(inOrder);
        List<KeyValue<String, SensorSequence>> actual = run(shuffled);

        assertTrue(expected.size() > 50, why + ": too few sequences to compare: " + expected.size());
        assertEquals(expected.size(), actual.size(), why);
        for (String sensor : List.of("a", "b", "c")) {
            List<SensorSequence> e = expected.stream().filter(kv -> kv.key.equals(sensor)).map(kv -> kv.value).toList();
            List<SensorSequence> a = actual.stream().filter(kv -> kv.key.equals(sensor)).map(kv -> kv.value).toList();
            assertEquals(e.size(), a.size(), why + " sensor " + sensor);
            for (int i = 0; i < e.size(); i++) {
                String at = why + " sensor " + sensor + " sequence " + i;
                assertEquals(e.get(i).end(), a.get(i).end(), at);
                assertArrayEquals(e.get(i).observed(), a.get(i).observed(), at);
                // step means are sums in a different order: equal up to rounding
                assertArrayEquals(e.get(i).values(), a.get(i).values(), 1e-4f, at);
                assertEquals(e.get(i).mean(), a.get(i).mean(), 1e-9, at);
                assertEquals(e.get(i).std(), a.get(i).std(), 1e-9, at);
            }
        }
    }

    @Test
    void shouldProduceSameSequencesWhenEveryReadingDecodesStateFromTheStore() {
        long seed = Long.getLong("ingest.shuffle.seed", new SplittableRandom().nextLong());
        String why = "seed " + seed + " (rerun with -Dingest.shuffle.seed=" + seed + ")";
        List<Input> inputs = generate(new SplittableRandom(seed));
        inputs.sort(Comparator.comparingLong(Input::arrival));

        // the decoded-state cache is a write-through copy of the store: without it, every reading goes through
        // the store's binary form, as after a restart or rebalance
        List<KeyValue<String, SensorSequence>> cached = run(inputs, config());
        List<KeyValue<String, SensorSequence>> decoded = run(inputs, config().withDecodedStateCacheEntries(0));

        assertTrue(cached.size() > 50, why + ": too few sequences to compare: " + cached.size());
        assertEquals(cached.size(), decoded.size(), why);
        for (int i = 0; i < cached.size(); i++) {
            assertEquals(cached.get(i).key, decoded.get(i).key, why);
            assertEquals(cached.get(i).value, decoded.get(i).value, why + " sequence " + i);
        }
    }

    private static IngestConfig config() {
        return IngestConfig.defaults().withWindow(8).withGrace(GRACE).withMaxGapSteps(3);
    }

    private static List<Input> generate(SplittableRandom random) {
        List<Input> out = new ArrayList<>();
        for (String sensor : List.of("a", "b", "c")) {
            long step = 0;
            while (step < 150) {
                int readings = 1 + random.nextInt(3);
                for (int r = 0; r < readings; r++) {
                    long ts = T0 + step * MIN + random.nextLong(MIN);
                    double value = Math.round(random.nextDouble(-50, 50) * 1000) / 1000.0;
                    out.add(new Input(sensor, ts, value, ts + random.nextLong(GRACE.toMillis())));
                    if (random.nextInt(10) == 0) {   // a duplicate, same value, arriving within grace too
                        out.add(new Input(sensor, ts, value, ts + random.nextLong(GRACE.toMillis())));
                    }
                }
                int p = random.nextInt(20);
                step += p == 0 ? 8 : p < 3 ? 1 + random.nextInt(3) : 1;   // mostly contiguous; short gaps; rare long gaps
            }
            long flush = T0 + (step + 10) * MIN;   // closes every remaining step
            out.add(new Input(sensor, flush, 0, flush + GRACE.toMillis()));
        }
        return out;
    }

    private static List<KeyValue<String, SensorSequence>> run(List<Input> inputs) {
        return run(inputs, config());
    }

    private static List<KeyValue<String, SensorSequence>> run(List<Input> inputs, IngestConfig config) {
        try (IngestDriver d = new IngestDriver(config)) {
            for (Input in : inputs) {
                d.send(in.sensor(), in.ts(), in.value());
            }
            assertTrue(d.deadLetters.isEmpty(), "nothing may be late or rejected");
            return d.sequences.readKeyValuesToList();
        }
    }
}
