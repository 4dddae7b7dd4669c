package io.sensorcast.ingest.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.SensorSequence;
import org.junit.jupiter.api.Test;

class SensorStateTest {
    private static final long MIN = 60_000;
    private static final IngestConfig CONFIG = IngestConfig.defaults().withWindow(2).withGrace(Duration.ZERO);

    @Test
    void shouldRoundTripThroughItsStoreBytes() {
        SensorState s = new SensorState(2);
        s.add("s", 0, 1.0, 10, CONFIG, q -> { });
        s.add("s", MIN, 3.0, 20, CONFIG, q -> { });

        List<SensorSequence> out = new ArrayList<>();
        SensorState.fromBytes(s.windowBytes(), s.openStepsBytes(), 2).add("s", 2 * MIN, 5.0, 30, CONFIG, out::add);

        assertEquals(1, out.size());
        assertEquals(MIN, out.get(0).end());
        assertEquals(30, out.get(0).arrivedAt());
    }

    @Test
    void shouldChangeItsWindowOnlyWhenAStepCloses() {
        SensorState s = new SensorState(2);

        s.add("s", 0, 1.0, 10, CONFIG, q -> { });
        s.add("s", 10_000, 2.0, 11, CONFIG, q -> { });
        boolean afterReadingsInOneStep = s.takeWindowChanged();
        s.add("s", MIN, 3.0, 20, CONFIG, q -> { });
        boolean afterTheStepClosed = s.takeWindowChanged();

        assertFalse(afterReadingsInOneStep);
        assertTrue(afterTheStepClosed);
        assertFalse(s.takeWindowChanged());
    }

    @Test
    void shouldStartWithAnEmptyWindowWhenOnlyOpenStepsWereStored() {
        SensorState s = new SensorState(2);
        s.add("s", 0, 1.0, 10, CONFIG, q -> { });

        SensorState restored = SensorState.fromBytes(null, s.openStepsBytes(), 2);
        List<SensorSequence> out = new ArrayList<>();
        restored.add("s", 0, 9.0, 11, CONFIG, out::add);                       // a duplicate of the stored reading
        restored.add("s", MIN, 3.0, 20, CONFIG, out::add);
        restored.add("s", 2 * MIN, 5.0, 30, CONFIG, out::add);

        assertEquals(1, out.size());
        // step values 1 (the duplicate's 9 ignored) and 3: mean 2, std 1
        assertArrayEquals(new float[] {-1f, 1f}, out.get(0).values(), 1e-6f);
    }

    @Test
    void shouldTakeOpenStepsFromTheirOwnValueOverThoseInAFormatTwoWindow() {
        // format 2 (one value): stream time 0, one open step (index 0, sum 1, ts 0), empty window
        ByteBuffer legacy = ByteBuffer.allocate(200);
        legacy.put((byte) 2).putInt(2).putLong(0).putInt(1);
        legacy.putLong(0).putDouble(1.0).putInt(1).putLong(0);
        legacy.putInt(0).putLong(0).putLong(Long.MIN_VALUE).putDouble(0).putLong(0);
        legacy.putDouble(0).putDouble(0).putDouble(0);
        // the open steps written after the upgrade: step 0 has had a second reading
        SensorState newer = new SensorState(2);
        newer.add("s", 0, 1.0, 10, CONFIG, q -> { });
        newer.add("s", 20_000, 5.0, 11, CONFIG, q -> { });

        SensorState restored = SensorState.fromBytes(legacy.array(), newer.openStepsBytes(), 2);
        List<SensorSequence> out = new ArrayList<>();
        restored.add("s", MIN, 7.0, 20, CONFIG, out::add);
        restored.add("s", 2 * MIN, 0.0, 30, CONFIG, out::add);

        assertTrue(SensorState.fromBytes(legacy.array(), null, 2).takeWindowChanged(), "a format 2 value is rewritten");
        assertEquals(1, out.size());
        assertEquals(3.0, out.get(0).denormalise(out.get(0).values()[0]), 1e-4);   // mean of 1 and 5
    }

    @Test
    void shouldRestoreStatesWrittenInFormatOneWhichKeptEachOpenStepsArrivalTime() {
        // format 1: one open step (index 1, sum 3, one reading at ts MIN, arrived at 20) and one closed step (value 1)
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put((byte) 1).putInt(2).putLong(MIN).putInt(1);
        b.putLong(1).putDouble(3.0).putInt(1).putLong(20).putLong(MIN);
        b.putInt(1).putLong(1).putLong(0).putDouble(1.0).putLong(10);
        b.putDouble(1).putDouble(1.0).putDouble(0);
        b.putFloat(1f).put((byte) 1);

        List<SensorSequence> out = new ArrayList<>();
        SensorState.fromBytes(b.array(), null, 2).add("s", 2 * MIN, 5.0, 30, CONFIG, out::add);

        assertEquals(1, out.size());
        assertArrayEquals(new byte[] {1, 1}, out.get(0).observed());
        assertEquals(MIN, out.get(0).end());
    }
}
