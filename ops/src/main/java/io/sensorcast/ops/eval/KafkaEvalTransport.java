package io.sensorcast.ops.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.sensorcast.serve.ServeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eval over a Kafka cluster: ingest and serve run as real Kafka Streams applications ({@code IngestService},
 * {@code ServeService}) with exactly-once processing, fed by a producer and read back {@code read_committed}.
 *
 * <p>Every run names its topics and application ids {@code sensorcast-eval-<run id>-<role>…} (e.g.
 * {@code sensorcast-eval-3f9c2a1b-ingest-readings}), so runs sharing a cluster never see each other's records; each
 * replay deletes its topics (the Streams internals included) and consumer group when it closes.
 */
public final class KafkaEvalTransport implements EvalTransport {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEvalTransport.class);
    /** How long a wait may go without a single new record before the run fails. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final String runPrefix;
    private final Duration stallTimeout;

    public KafkaEvalTransport(String bootstrapServers, Duration stallTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.runPrefix = "sensorcast-eval-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        this.stallTimeout = stallTimeout;
    }

    @Override
    public IngestReplay ingest() {
        return new KafkaIngestReplay(this);
    }

    @Override
    public ServeReplay serve(ServeConfig config, String role) {
        return KafkaServeReplay.start(this, config, role);
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers + " (topics " + runPrefix + "*)";
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Duration stallTimeout() {
        return stallTimeout;
    }

    /** The application id of {@code role} in this run; its topics' names begin with it and a dash. */
    String applicationId(String role) {
        return runPrefix + role;
    }

    KafkaProducer<byte[], byte[]> producer(int maxRequestBytes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true); // no duplicates on retry: every record counts once
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer without a group that sees only committed transactions, as downstream services do. */
    KafkaConsumer<byte[], byte[]> committedReader() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every partition of {@code topic}, from the start. */
    static List<TopicPartition> assignFromStart(KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /**
     * The committed values of {@code topic}, partition by partition in offset order, up to its end (the last stable
     * offset: every transaction that was committed when this is called).
     */
    List<byte[]> readCommitted(String topic) {
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
            List<TopicPartition> partitions = assignFromStart(consumer, topic, stallTimeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, stallTimeout);
            long expected = end.values().stream().mapToLong(Long::longValue).sum();
            StallWatch watch = new StallWatch("the records of " + topic, stallTimeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    values.add(r.value());
                }
                long at = partitions.stream().mapToLong(consumer::position).sum();
                watch.progress(at, expected, () -> " (offsets, counting transaction markers)");
            }
        }
        return values;
    }

    /** The offsets {@code groupId} has committed on {@code partitions} (0 where it has none yet). */
    Map<TopicPartition, Long> committedOffsets(Admin admin, String groupId, Set<TopicPartition> partitions) {
        try {
            var committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                    .get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            for (TopicPartition tp : partitions) {
                var o = committed.get(tp);
                out.put(tp, o == null ? 0L : o.offset());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the committed offsets of " + groupId, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + groupId + " on Kafka at "
                    + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the topics and consumer group of {@code applicationId}; a failure is logged, not thrown (it is cleanup). */
    void deleteResources(String applicationId) {
        try (Admin admin = admin()) {
            Set<String> ours = admin.listTopics().names().get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(t -> t.startsWith(applicationId + "-")).collect(Collectors.toSet());
            admin.deleteTopics(ours).all().get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
            admin.deleteConsumerGroups(List.of(applicationId)).all().get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("Could not delete the topics and group of {} on {}: {}", applicationId, bootstrapServers, e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) stallTimeout.toMillis());
        return Admin.create(p);
    }
}
