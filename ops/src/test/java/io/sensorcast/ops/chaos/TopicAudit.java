package io.sensorcast.ops.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.Topics;
import io.sensorcast.model.checkpoint.CheckpointCodec;
import io.sensorcast.model.checkpoint.CheckpointEnvelope;
import io.sensorcast.model.checkpoint.DecodeResult;
import io.sensorcast.serve.Forecast;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a {@code read_committed} reader sees on {@code sensor-sequences}, {@code forecasts} and
 * {@code model-checkpoints} right now, reduced to the figures the reliability promises are about.
 */
record TopicAudit(int sequences, int duplicateSequences, int holes, int incompleteSequences, int forecasts,
                  int duplicateForecasts, int sequencesWithoutForecast, int forecastsWithoutSequence,
                  Map<String, Integer> sequencesPerSensor, List<Forecast> forecastList, List<Long> checkpointVersions) {

    static TopicAudit read(String bootstrapServers) {
        List<SensorSequence> seqs = readAll(bootstrapServers, Topics.SEQUENCES).stream()
                .map(r -> SensorSequenceJson.fromBytes(r.value())).toList();
        List<Forecast> fcs = readAll(bootstrapServers, Topics.FORECASTS).stream()
                .map(r -> Forecast.fromJson(r.value())).toList();
        List<Long> versions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrapServers, Topics.CHECKPOINTS)) {
            DecodeResult d = CheckpointCodec.decode(r.value(), java.util.Optional.empty());
            if (d instanceof io.sensorcast.model.checkpoint.Verified v) {
                versions.add(v.envelope().version());
            }
        }

        Map<String, Integer> seqCount = new HashMap<>();
        Map<String, TreeSet<Long>> ends = new HashMap<>();
        int incomplete = 0;
        for (SensorSequence s : seqs) {
            seqCount.merge(s.sensor() + "@" + s.end(), 1, Integer::sum);
            ends.computeIfAbsent(s.sensor(), k -> new TreeSet<>()).add(s.end());
            for (byte o : s.observed()) {
                if (o == 0) {
                    incomplete++;
                    break;
                }
            }
        }
        int holes = 0;
        for (TreeSet<Long> e : ends.values()) {
            Long prev = null;
            for (long end : e) {
                if (prev != null && end - prev != ReadingFeed.STEP) {
                    holes++;
                }
                prev = end;
            }
        }
        Map<String, Integer> fcCount = new HashMap<>();
        for (Forecast f : fcs) {
            fcCount.merge(f.sensor() + "@" + f.issuedAt(), 1, Integer::sum);
        }
        int withoutForecast = (int) seqCount.keySet().stream().filter(k -> !fcCount.containsKey(k)).count();
        int withoutSequence = (int) fcCount.keySet().stream().filter(k -> !seqCount.containsKey(k)).count();
        Map<String, Integer> perSensor = new HashMap<>();
        ends.forEach((sensor, e) -> perSensor.put(sensor, e.size()));
        return new TopicAudit(seqs.size(), duplicates(seqCount), holes, incomplete, fcs.size(), duplicates(fcCount),
                withoutForecast, withoutSequence, perSensor, fcs, versions);
    }

    /** Every sequence forecast once and nothing else: the pipeline has caught up with what was fed. */
    boolean caughtUp(int expectedSequences) {
        return sequences >= expectedSequences && forecasts >= sequences;
    }

    String figures() {
        return String.format("%d sequences (%d duplicate, %d holes, %d with interpolated steps), %d forecasts "
                        + "(%d duplicate, %d sequences without one, %d without a sequence), checkpoint versions %s",
                sequences, duplicateSequences, holes, incompleteSequences, forecasts, duplicateForecasts,
                sequencesWithoutForecast, forecastsWithoutSequence, checkpointVersions);
    }

    private static int duplicates(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(c -> c - 1).sum();
    }

    /** Everything committed on the topic, from the start to the last stable offset of each partition. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(30)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 60 s");
                }
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
