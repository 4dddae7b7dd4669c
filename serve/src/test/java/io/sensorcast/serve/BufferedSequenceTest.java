package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import org.junit.jupiter.api.Test;

class BufferedSequenceTest {
    private static final SensorSequence S = new SensorSequence("pump-ä", 1_732_440_000_000L, 60_000, new float[] {0.5f, -1.25f, 3f},
            new byte[] {1, 0, 1}, 20.5, 2.25, 1_732_440_123_456L);

    @Test
    void shouldRoundTripASequenceAndItsRecordTimestamp() {
        BufferedSequence.Value v = BufferedSequence.decode(BufferedSequence.encode(42L, S));

        assertEquals(42L, v.timestamp());
        assertEquals(S, v.sequence());
    }

    @Test
    void shouldStillReadValuesWrittenAsTimestampAndJsonBeforeTheBinaryForm() {
        byte[] json = SensorSequenceJson.toBytes(S);
        byte[] old = ByteBuffer.allocate(8 + json.length).putLong(42L).put(json).array();

        BufferedSequence.Value v = BufferedSequence.decode(old);

        assertEquals(42L, v.timestamp());
        assertEquals(S, v.sequence());
    }
}
