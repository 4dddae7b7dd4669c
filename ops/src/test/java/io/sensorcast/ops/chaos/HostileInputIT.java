package io.sensorcast.ops.chaos;

import static io.sensorcast.ops.chaos.ChaosPipeline.Service.INGEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.Topics;
import io.sensorcast.ops.chaos.HostileReadings.Hostile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input at volume, through a real ingest process: 10,000 hostile records mixed into a stream of good readings.
 * Every hostile record must reach {@code sensor-readings.dlq} once, with the reason it deserves; ingest must not
 * crash or restart; and every good reading must make it into a sequence (the exact count of complete windows, no
 * interpolated step).
 */
@Tag("chaos")
@Tag("integration")
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class HostileInputIT {
    private static final int HOSTILE = 10_000;
    private static final int GOOD_SENSORS = 10;
    private static final int STEPS = 150;
    private static final int LATE_PER_STEP = 6;
    private static final int WINDOW = 96;
    private static final String ID_HEADER = "chaos.hostile-id";

    @Test
    void shouldDeadLetterEveryHostileRecordWithItsReasonAndLoseNoGoodReading() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "chaos", "hostile-input-" + System.currentTimeMillis()));
        try (ChaosPipeline pipeline = ChaosPipeline.start(dir, INGEST);
             ReadingFeed feed = new ReadingFeed(pipeline.bootstrapServers(), "g", GOOD_SENSORS)) {
            int lateTotal = (STEPS - 5) * LATE_PER_STEP;
            List<Hostile> parseStage = HostileReadings.parseStage(HOSTILE - lateTotal, 42);
            Map<Integer, Hostile> sent = new HashMap<>();
            int next = 0;
            int perStep = (parseStage.size() + STEPS - 1) / STEPS;
            for (int step = 0; step < STEPS; step++) {
                feed.feed(1, 0);
                for (int i = 0; i < perStep && next < parseStage.size(); i++) {
                    send(feed, sent, parseStage.get(next++));
                }
                if (step >= 5) {
                    // step − 5 closed when step − 2 began (end + 2 min grace): these are late for their sensors
                    for (int s = 0; s < LATE_PER_STEP; s++) {
                        send(feed, sent, HostileReadings.late(feed.sensor(s), ReadingFeed.T0 + (step - 5) * ReadingFeed.STEP + 30_000));
                    }
                }
            }
            feed.flush();
            assertEquals(HOSTILE, sent.size());

            Map<Integer, String> reasons = new HashMap<>();
            int[] withoutId = {0};
            int[] duplicates = {0};
            ChaosPipeline.awaitTrue(Duration.ofMinutes(3), () -> {
                pipeline.assertAllAlive();
                reasons.clear();
                withoutId[0] = 0;
                duplicates[0] = 0;
                for (ConsumerRecord<byte[], byte[]> r : TopicAudit.readAll(pipeline.bootstrapServers(), Topics.DEAD_LETTERS)) {
                    Header id = r.headers().lastHeader(ID_HEADER);
                    Header reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
                    if (id == null) {
                        withoutId[0]++;
                    } else if (reasons.put(Integer.parseInt(utf8(id.value())), reason == null ? "none" : utf8(reason.value())) != null) {
                        duplicates[0]++;
                    }
                }
                return reasons.size() >= HOSTILE;
            }, "every hostile record in the DLQ\n" + pipeline.logs());

            int perSensor = ReadingFeed.expectedSequencesPerSensor(STEPS, WINDOW);
            Map<String, Integer> sequences = new TreeMap<>();
            int[] interpolated = {0};
            ChaosPipeline.awaitTrue(Duration.ofMinutes(2), () -> {
                sequences.clear();
                interpolated[0] = 0;
                for (ConsumerRecord<byte[], byte[]> r : TopicAudit.readAll(pipeline.bootstrapServers(), Topics.SEQUENCES)) {
                    SensorSequence s = SensorSequenceJson.fromBytes(r.value());
                    sequences.merge(s.sensor(), 1, Integer::sum);
                    for (byte o : s.observed()) {
                        interpolated[0] += o == 0 ? 1 : 0;
                    }
                }
                return sequences.values().stream().mapToInt(Integer::intValue).sum() >= GOOD_SENSORS * perSensor;
            }, "every good sensor's sequences\n" + pipeline.logs());

            Map<String, Long> byReason = new TreeMap<>(reasons.values().stream().collect(Collectors.groupingBy(r -> r, Collectors.counting())));
            Map<String, Long> byKind = new TreeMap<>(sent.values().stream().collect(Collectors.groupingBy(Hostile::kind, Collectors.counting())));
            String scrape = pipeline.scrape(INGEST);
            System.out.printf("chaos hostile input: %d good readings in (%d sensors × %d steps), %d hostile in %s; "
                            + "DLQ: %d hostile (%d duplicates, %d records that were not hostile) by reason %s; "
                            + "sequences %d (expected %d, %d interpolated steps); ingest started %d time(s)%n",
                    GOOD_SENSORS * STEPS, GOOD_SENSORS, STEPS, sent.size(), byKind, reasons.size(), duplicates[0], withoutId[0],
                    byReason, sequences.values().stream().mapToInt(Integer::intValue).sum(), GOOD_SENSORS * perSensor, interpolated[0],
                    pipeline.service(INGEST).log().split("---- start", -1).length - 1);

            assertEquals(0, duplicates[0], "a hostile record dead-lettered twice");
            assertEquals(0, withoutId[0], "a good reading went to the DLQ");
            assertEquals(HOSTILE, reasons.size());
            for (var e : sent.entrySet()) {
                String reason = reasons.get(e.getKey());
                assertTrue(e.getValue().reasons().contains(reason),
                        e.getValue().kind() + " #" + e.getKey() + " got " + reason + ", expected " + e.getValue().reasons());
            }
            for (int s = 0; s < GOOD_SENSORS; s++) {
                assertEquals(perSensor, sequences.getOrDefault(feed.sensor(s), 0), feed.sensor(s) + " " + sequences);
            }
            assertEquals(GOOD_SENSORS, sequences.size(), "sequences only for the good sensors: " + sequences.keySet());
            assertEquals(0, interpolated[0], "a lost good reading shows as an interpolated step");
            assertEquals(1, pipeline.service(INGEST).log().split("---- start", -1).length - 1, "ingest restarted");
            assertTrue(scrape.contains("sensorcast_ingest_dead_letters_total"), scrape);
        }
    }

    private static void send(ReadingFeed feed, Map<Integer, Hostile> sent, Hostile h) {
        int id = sent.size();
        sent.put(id, h);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(Topics.READINGS, h.key(), h.value());
        r.headers().add(ID_HEADER, Integer.toString(id).getBytes(StandardCharsets.UTF_8));
        feed.send(r);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
