package io.sensorcast.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * What any Kafka Streams topology can reach on this machine and broker: an application that only copies each input
 * record to an output topic, run with the settings of the topology it is compared with (guarantee, commit interval,
 * threads, client overrides: pass that topology's own {@code streamsProperties}) on the same records. A topology
 * that writes one record per input record cannot be faster than this, whatever it computes; the benchmarks report it
 * beside their own figure so that the framework's share of a result is visible.
 *
 * <p>{@link #consumeOnly} is the lower ceiling of any topology, whatever it writes: the same application reading every
 * record and dropping it.
 *
 * <p>The rate is records ÷ the time from the first send until the application's committed input offsets cover every
 * record (under exactly-once its output is committed with them), as {@code IngestBenchmark} measures ingest.
 */
public final class KafkaStreamsCopyBenchmark {

    /** @param seconds from the first send until every record's offset was committed */
    public record Result(long records, double seconds, double recordsPerSecond) {
    }

    private KafkaStreamsCopyBenchmark() {
    }

    /**
     * @param streamsProperties the compared topology's Kafka Streams settings; application id, state directory and
     *                          topics are replaced by the copy's own
     * @param producerSettings  the producer that feeds the input (bootstrap servers and serializers are set here)
     */
    public static Result run(String bootstrap, Properties streamsProperties, int partitions, List<byte[][]> records,
                             Map<String, Object> producerSettings, Duration timeout) {
        return measure(bootstrap, streamsProperties, partitions, records, producerSettings, timeout, true);
    }

    /**
     * As {@link #run}, with an application that reads every record and writes nothing: the cost of consuming through
     * Kafka Streams (fetch, per-record dispatch, commits) that every topology pays before doing any work.
     */
    public static Result consumeOnly(String bootstrap, Properties streamsProperties, int partitions, List<byte[][]> records,
                                     Map<String, Object> producerSettings, Duration timeout) {
        return measure(bootstrap, streamsProperties, partitions, records, producerSettings, timeout, false);
    }

    private static Result measure(String bootstrap, Properties streamsProperties, int partitions, List<byte[][]> records,
                                  Map<String, Object> producerSettings, Duration timeout, boolean copy) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String input = "bench-copy-in-" + id;
        String output = "bench-copy-out-" + id;
        TopicSpec in = new TopicSpec(input, partitions, Map.of());
        TopicAdministrator.ensureTopics(bootstrap, copy ? List.of(in, new TopicSpec(output, partitions, Map.of())) : List.of(in),
                Duration.ofSeconds(30));
        StreamsBuilder builder = new StreamsBuilder();
        KStream<byte[], byte[]> stream = builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("copy-in"));
        if (copy) {
            stream.to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("copy-out"));
        } else {
            stream.foreach((k, v) -> { }, Named.as("drop"));
        }
        Properties p = new Properties();
        p.putAll(streamsProperties);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-copy-" + id);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (TemporaryDirectory state = TemporaryDirectory.create("sensorcast-bench-copy-");
             KafkaStreams streams = new KafkaStreams(builder.build(), withStateDir(p, state))) {
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the copy application did not reach RUNNING, state " + streams.state());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                long start = System.nanoTime();
                Thread producing = sendInBackground(bootstrap, input, records, producerSettings);
                long committed = 0;
                while (committed < records.size()) {
                    committed = CommittedOffsets.sum(admin, "bench-copy-" + id, input);
                    if (committed < records.size()) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("benchmark timed out: the copy committed " + committed + " of " + records.size());
                        }
                        Thread.sleep(50);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                producing.join(TimeUnit.MINUTES.toMillis(1));
                streams.close(Duration.ofSeconds(30));
                return new Result(records.size(), seconds, records.size() / seconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Properties withStateDir(Properties p, TemporaryDirectory state) {
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.path().toString());
        return p;
    }

    /**
     * Sends {@code records} ({key, value} pairs) to {@code topic} from a daemon thread as fast as one producer can,
     * then flushes; the benchmarks' feed. {@code settings} are the producer's (bootstrap servers and serializers are
     * set here).
     */
    public static Thread sendInBackground(String bootstrap, String topic, List<byte[][]> records, Map<String, Object> settings) {
        Properties p = new Properties();
        p.putAll(settings);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Thread t = new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (byte[][] kv : records) {
                    producer.send(new ProducerRecord<>(topic, kv[0], kv[1]));
                }
                producer.flush();
            }
        }, "bench-producer");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
