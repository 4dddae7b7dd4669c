package io.sensorcast.ops.chaos;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

import io.sensorcast.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A steady stream of good readings: {@code sensors} sensors ({@code c00}, {@code c01}, …), one reading per sensor per
 * one-minute step of event time from {@link #T0}, values on a smooth daily-ish cycle. An idempotent producer with a
 * long delivery timeout, so a broker restart delays records but neither loses nor duplicates them.
 */
final class ReadingFeed implements AutoCloseable {
    /** 2024-11-24T09:20:00Z. */
    static final long T0 = 1_732_440_000_000L;
    static final long STEP = 60_000L;

    private final int sensors;
    private final String prefix;
    private final KafkaProducer<byte[], byte[]> producer;
    private int nextStep;

    ReadingFeed(String bootstrapServers, String prefix, int sensors) {
        this.sensors = sensors;
        this.prefix = prefix;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        // one request in flight: the warm-up feeds topics the broker has just created, and with several in flight a
        // first request refused (NOT_LEADER_OR_FOLLOWER) while a later one was accepted retries with
        // OUT_OF_ORDER_SEQUENCE_NUMBER until it expires (KAFKA-15591; it stalled the warm-up for 5 minutes in CI)
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    String sensor(int s) {
        return String.format(Locale.ROOT, "%s%02d", prefix, s);
    }

    int sensors() {
        return sensors;
    }

    /** Steps fed so far (the next step to feed). */
    int steps() {
        return nextStep;
    }

    /** Feeds the next {@code steps} steps of every sensor, pausing {@code pauseMs} after each step. */
    void feed(int steps, long pauseMs) {
        for (int i = 0; i < steps; i++) {
            int step = nextStep++;
            for (int s = 0; s < sensors; s++) {
                double v = 20 + 5 * Math.sin(2 * Math.PI * step / 60.0 + s) + 0.1 * s;
                String json = String.format(Locale.ROOT, "{\"sensor\":\"%s\",\"ts\":%d,\"value\":%.4f}", sensor(s), T0 + step * STEP, v);
                send(sensor(s), json.getBytes(StandardCharsets.UTF_8));
            }
            pause(pauseMs);
        }
        producer.flush();
    }

    /** Any record, as is (null key allowed). */
    void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(Topics.READINGS, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
    }

    void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record);
    }

    void flush() {
        producer.flush();
    }

    /**
     * Sequences ingest has emitted per sensor once {@code steps} steps were fed: a step closes when the sensor's event
     * time reaches its end plus the 2-minute grace, so the last 3 steps are still open (steps − 3 closed), and the first
     * sequence needs W closed steps: steps − 3 − W + 1.
     */
    static int expectedSequencesPerSensor(int steps, int window) {
        return Math.max(0, steps - 3 - window + 1);
    }

    private static void pause(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
