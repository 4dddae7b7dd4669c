package io.sensorcast.model;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.model.support.SimulatedStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayBufferTest {
    private static List<SensorSequence> windows(int n, int from) {
        List<SensorSequence> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(new SensorSequence("s", i, 1, new float[]{i}, new byte[]{1}, 0, 1, 0));
        }
        return out;
    }

    @Test
    void shouldKeepEveryWindowWhileUnderCapacity() {
        ReplayBuffer buffer = new ReplayBuffer(10, 1);
        buffer.offer(windows(7, 0));
        assertEquals(7, buffer.size());
        Set<Long> sampled = new HashSet<>();
        buffer.sample(500).forEach(s -> sampled.add(s.end()));
        assertEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), sampled);
    }

    @Test
    void shouldHoldAtMostItsCapacity() {
        ReplayBuffer buffer = new ReplayBuffer(10, 1);
        buffer.offer(windows(1000, 0));
        assertEquals(10, buffer.size());
        assertEquals(1000, buffer.seen());
    }

    @Test
    void shouldKeepOldAndNewWindowsAlike() {
        // reservoir sampling: after 1,000 offers each window is kept with probability 100/1000, early or late
        int early = 0;
        int kept = 0;
        for (long seed = 0; seed < 200; seed++) {
            ReplayBuffer buffer = new ReplayBuffer(100, seed);
            for (int i = 0; i < 1000; i += 10) {
                buffer.offer(windows(10, i));
            }
            for (SensorSequence s : buffer.sample(100)) {
                kept++;
                early += s.end() < 500 ? 1 : 0;
            }
        }
        double share = (double) early / kept;
        assertTrue(Math.abs(share - 0.5) < 0.03, "share of the first half: " + share);
    }

    @Test
    void shouldSampleNothingFromAnEmptyBuffer() {
        assertEquals(List.of(), new ReplayBuffer(5, 1).sample(3));
    }

    @Test
    void shouldScoreOnlyTheFreshWindowsWhenReplaying() {
        ModelConfig config = ModelConfig.defaults().withShape(24, 4).withHidden(8).withTbptt(10, 10);
        OnlineTrainer trainer = new OnlineTrainer("m", config, new TrainerMetrics(new SimpleMeterRegistry(), config.clipThreshold()),
                Clock.systemUTC());
        ReplayBuffer buffer = new ReplayBuffer(100, 3);
        SimulatedStream stream = new SimulatedStream(6, 7, Duration.ofMinutes(1), 24, 1);
        buffer.offer(stream.nextBatch());
        OnlineBatchTrainer online = new OnlineBatchTrainer(trainer, buffer, 2);

        List<SensorSequence> fresh = stream.nextBatch();
        online.train(fresh);

        assertEquals(fresh.size(), trainer.lastReport().prequential().windows(), "only fresh windows are scored");
        assertEquals(2L * fresh.size(), buffer.seen(), "the fresh windows join the buffer after the step");
    }
}
