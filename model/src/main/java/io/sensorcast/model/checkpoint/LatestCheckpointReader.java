package io.sensorcast.model.checkpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the checkpoint topic from the beginning to its end (read_committed: aborted transactions are invisible) and
 * verifies every record with {@link CheckpointCodec}: how a trainer finds the checkpoint to resume from, and how
 * serving can load the last good model of every model id at start.
 *
 * <p>Uses no consumer group (manual assignment) and never creates the topic; a missing topic reads as empty.
 *
 * <pre>{@code
 * CheckpointScan scan = new LatestCheckpointReader(Map.of("bootstrap.servers", servers), "model-checkpoints",
 *         hmacKey, CheckpointCodec.DEFAULT_MAX_BYTES, Duration.ofSeconds(60)).scan();
 * Optional<Restored> latest = scan.restoreLatest("default", new ModelShape(96, 24, 1, 24), r -> count(r));
 * }</pre>
 */
public final class LatestCheckpointReader {
    private static final Logger log = LoggerFactory.getLogger(LatestCheckpointReader.class);

    private final Map<String, Object> clientConfig;
    private final String topic;
    private final Optional<byte[]> hmacKey;
    private final int maxBytes;
    private final Duration timeout;

    /**
     * @param clientConfig {@code bootstrap.servers} plus any security settings; deserializers, isolation and
     *                     offsets are set here
     */
    public LatestCheckpointReader(Map<String, Object> clientConfig, String topic, Optional<byte[]> hmacKey,
                                  int maxBytes, Duration timeout) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topic = topic;
        this.hmacKey = hmacKey.map(byte[]::clone);
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /**
     * Reads everything committed so far. Throws {@link IllegalStateException} if the end is not reached within the
     * timeout (e.g. the broker is unreachable).
     */
    public CheckpointScan scan() {
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sensorcast-checkpoint-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(maxBytes, 1024 * 1024) + 1024);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<CheckpointEnvelope>> verified = new HashMap<>();
        List<CheckpointScan.RejectedRecord> rejected = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                log.info("checkpoint topic [{}] does not exist yet: no checkpoints", topic);
                return new CheckpointScan(Map.of(), List.of());
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue; // a tombstone deletes a model's checkpoints; nothing to verify
                    }
                    DecodeResult result = CheckpointCodec.decode(r.value(), hmacKey, maxBytes);
                    if (result instanceof Verified v && !v.envelope().modelId().equals(r.key())) {
                        result = new Rejected(CheckpointRejectReason.MODEL_ID_MISMATCH, "record key " + r.key()
                                + " but envelope model id " + v.envelope().modelId());
                    }
                    if (result instanceof Verified v) {
                        verified.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(v.envelope());
                    } else {
                        Rejected x = (Rejected) result;
                        log.warn("checkpoint rejected key=[{}] partition=[{}] offset=[{}] reason=[{}] detail=[{}]",
                                r.key(), r.partition(), r.offset(), x.code(), x.detail());
                        rejected.add(new CheckpointScan.RejectedRecord(r.key(), r.partition(), r.offset(), x));
                    }
                }
            }
        }
        verified.values().forEach(l -> l.sort(Comparator.comparingLong(CheckpointEnvelope::version)));
        return new CheckpointScan(verified, rejected);
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
