package io.sensorcast.ingest.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
        SensorState.fromBytes(s.toBytes(), 2).add("s", 2 * MIN, 5.0, 30, CONFIG, out::add);

        assertEquals(1, out.size());
        assertEquals(MIN, out.get(0).end());
        assertEquals(30, out.get(0).arrivedAt());
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
        SensorState.fromBytes(b.array(), 2).add("s", 2 * MIN, 5.0, 30, CONFIG, out::add);

        assertEquals(1, out.size());
        assertArrayEquals(new byte[] {1, 1}, out.get(0).observed());
        assertEquals(MIN, out.get(0).end());
    }
}
