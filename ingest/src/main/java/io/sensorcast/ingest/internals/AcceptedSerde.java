package io.sensorcast.ingest.internals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Binary form of {@link Ingested.Accepted} on the internal re-partition topic. */
public final class AcceptedSerde {
    private AcceptedSerde() {
    }

    public static Serde<Ingested> serde() {
        return Serdes.serdeFrom((Serializer<Ingested>) (topic, v) -> v == null ? null : toBytes((Ingested.Accepted) v),
                (Deserializer<Ingested>) (topic, b) -> b == null ? null : fromBytes(b));
    }

    static byte[] toBytes(Ingested.Accepted a) {
        byte[] sensor = a.sensor().getBytes(StandardCharsets.UTF_8);
        byte[] topic = a.sourceTopic() == null ? new byte[0] : a.sourceTopic().getBytes(StandardCharsets.UTF_8);
        byte[] key = a.originalKey();
        byte[] value = a.originalValue();
        ByteBuffer b = ByteBuffer.allocate(4 + sensor.length + 8 + 8 + 8 + 4 + topic.length + 4 + 8
                + 4 + (key == null ? 0 : key.length) + 4 + (value == null ? 0 : value.length));
        b.putInt(sensor.length).put(sensor).putLong(a.ts()).putDouble(a.value()).putLong(a.arrivedAt());
        b.putInt(topic.length).put(topic).putInt(a.sourcePartition()).putLong(a.sourceOffset());
        putBytes(b, key);
        putBytes(b, value);
        return b.array();
    }

    static Ingested.Accepted fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        String sensor = new String(getBytes(b), StandardCharsets.UTF_8);
        long ts = b.getLong();
        double value = b.getDouble();
        long arrivedAt = b.getLong();
        String topic = new String(getBytes(b), StandardCharsets.UTF_8);
        int partition = b.getInt();
        long offset = b.getLong();
        byte[] key = getBytes(b);
        byte[] original = getBytes(b);
        return new Ingested.Accepted(sensor, ts, value, arrivedAt, true, topic, partition, offset, key, original);
    }

    private static void putBytes(ByteBuffer b, byte[] bytes) {
        if (bytes == null) {
            b.putInt(-1);
        } else {
            b.putInt(bytes.length).put(bytes);
        }
    }

    private static byte[] getBytes(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0) {
            return null;
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
