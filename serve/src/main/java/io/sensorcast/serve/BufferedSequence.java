package io.sensorcast.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;

/**
 * The value of serve's pending-sequences store: a sequence waiting to be forecast, with its record timestamp, in a
 * compact binary form. Re-encoding every sequence as JSON for this store cost serve's stream thread more CPU than
 * the network did (profile at 10,000 sequences/s); the binary form is a few array copies.
 *
 * <p>Layout: {@code ts:long, 0x01, sensor (u16 length + UTF-8), end:long, stepMs:long, mean:double, std:double,
 * arrivedAt:long, n:int, values:float[n], observed:byte[n]}. Values written before this form ({@code ts:long} then
 * the sequence's JSON, which starts with {@code '{'}) are still read, so a restart across the upgrade loses nothing.
 */
final class BufferedSequence {
    private static final byte BINARY = 1;

    /** A decoded store value. */
    record Value(long timestamp, SensorSequence sequence) {
    }

    private BufferedSequence() {
    }

    static byte[] encode(long timestamp, SensorSequence s) {
        byte[] sensor = s.sensor().getBytes(StandardCharsets.UTF_8);
        int n = s.values().length;
        ByteBuffer b = ByteBuffer.allocate(8 + 1 + 2 + sensor.length + 8 * 5 + 4 + 5 * n);
        b.putLong(timestamp).put(BINARY).putShort((short) sensor.length).put(sensor);
        b.putLong(s.end()).putLong(s.stepMs()).putDouble(s.mean()).putDouble(s.std()).putLong(s.arrivedAt()).putInt(n);
        b.asFloatBuffer().put(s.values());
        b.position(b.position() + 4 * n);
        b.put(s.observed());
        return b.array();
    }

    static Value decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long timestamp = b.getLong();
        if (b.get(b.position()) != BINARY) {
            byte[] json = new byte[b.remaining()];
            b.get(json);
            return new Value(timestamp, SensorSequenceJson.fromBytes(json));
        }
        b.get();
        byte[] sensor = new byte[b.getShort() & 0xFFFF];
        b.get(sensor);
        long end = b.getLong();
        long stepMs = b.getLong();
        double mean = b.getDouble();
        double std = b.getDouble();
        long arrivedAt = b.getLong();
        int n = b.getInt();
        float[] values = new float[n];
        b.asFloatBuffer().get(values);
        b.position(b.position() + 4 * n);
        byte[] observed = new byte[n];
        b.get(observed);
        return new Value(timestamp, new SensorSequence(new String(sensor, StandardCharsets.UTF_8), end, stepMs, values,
                observed, mean, std, arrivedAt));
    }
}
