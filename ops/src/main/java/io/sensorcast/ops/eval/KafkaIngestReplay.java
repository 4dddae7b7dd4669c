package io.sensorcast.ops.eval;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestService;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.TemporaryDirectory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The ingest service itself ({@link IngestService}: Kafka Streams on {@code IngestTopology}, exactly-once) on a
 * cluster, with this run's own topics. The readings are produced keyed by sensor, as {@code sensorcast produce} does;
 * ingest is done when its consumer group has committed past the last of them, and since exactly-once commits the
 * input offsets in the same transaction as the output, every sequence and dead letter is then readable
 * {@code read_committed}.
 */
public final class KafkaIngestReplay implements IngestReplay {
    private final KafkaEvalTransport kafka;

    KafkaIngestReplay(KafkaEvalTransport kafka) {
        this.kafka = kafka;
    }

    @Override
    public Result run(List<Reading> readings, IngestConfig config) {
        String app = kafka.applicationId("ingest");
        try (TemporaryDirectory state = TemporaryDirectory.create("sensorcast-eval-ingest-")) {
            // one partition per topic: the replay is one sensor, and its sequences come back in the order ingest made them
            IngestConfig c = config.withApplicationId(app).withTopics(app + "-readings", app + "-sequences", app + "-dlq")
                    .withTopicPartitions(1).withStateDir(state.path());
            IngestService ingest = IngestService.start(c, kafka.bootstrapServers(), new SimpleMeterRegistry(), kafka.stallTimeout());
            try {
                Map<TopicPartition, Long> ends = produce(readings, c.readingsTopic());
                awaitProcessed(ingest, app, ends, readings.size());
                List<SensorSequence> sequences = kafka.readCommitted(c.sequencesTopic()).stream()
                        .map(SensorSequenceJson::fromBytes).toList();
                long deadLetters = kafka.readCommitted(c.deadLetterTopic()).size();
                return new Result(sequences, deadLetters);
            } finally {
                ingest.close();
                kafka.deleteResources(app);
            }
        }
    }

    /** Sends every reading and returns, per partition, the offset after the last one. */
    private Map<TopicPartition, Long> produce(List<Reading> readings, String topic) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(readings.size());
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(1024 * 1024)) {
            for (Reading r : readings) {
                sent.add(producer.send(new ProducerRecord<>(topic, r.sensor().getBytes(StandardCharsets.UTF_8), r.toJsonBytes())));
            }
            producer.flush();
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get();
                ends.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
            }
            return ends;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot produce the readings to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing the readings", e);
        }
    }

    private void awaitProcessed(IngestService ingest, String groupId, Map<TopicPartition, Long> ends, long readings) {
        StallWatch watch = new StallWatch("ingest on Kafka to process " + readings + " readings", kafka.stallTimeout());
        long expected = ends.values().stream().mapToLong(Long::longValue).sum();
        try (Admin admin = kafka.admin()) {
            while (true) {
                long committed = kafka.committedOffsets(admin, groupId, ends.keySet()).values().stream()
                        .mapToLong(Long::longValue).sum();
                if (committed >= expected) {
                    return;
                }
                KafkaStreams.State s = ingest.state();
                if (!s.isRunningOrRebalancing() && s != KafkaStreams.State.CREATED) {
                    throw new IllegalStateException("ingest on Kafka stopped (" + s + ") after committing " + committed
                            + " of " + expected + " readings");
                }
                watch.progress(committed, expected, () -> " (committed input offsets; ingest is " + ingest.state() + ")");
                // each look is a request to the group coordinator: often enough, without loading a small machine's broker
                StallWatch.pause(Duration.ofMillis(100));
            }
        }
    }
}
