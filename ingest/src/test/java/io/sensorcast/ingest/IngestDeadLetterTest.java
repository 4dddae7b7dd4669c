package io.sensorcast.ingest;

import static io.sensorcast.ingest.IngestDriver.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Each parse-stage reason lands in the DLQ with the original bytes and the dlq.* headers, and is counted. */
class IngestDeadLetterTest {
    private static final String TS = "1732440000000";

    @Test
    void shouldDeadLetterAsMalformedJsonWhenValueIsTruncated() {
        assertDeadLetter(utf8("s1"), utf8("{\"sensor\":\"s1\",\"ts\":" + TS + ","), "malformed_json");
    }

    @Test
    void shouldDeadLetterAsMalformedJsonWhenBytesTrailTheObject() {
        assertDeadLetter(utf8("s1"), utf8("{\"sensor\":\"s1\",\"ts\":" + TS + ",\"value\":1} {}"), "malformed_json");
    }

    @Test
    void shouldDeadLetterAsInvalidUtf8WhenValueHasABrokenSequence() {
        byte[] value = {'{', '"', 'v', '"', ':', (byte) 0xc3, '(', '}'};
        assertDeadLetter(utf8("s9"), value, "invalid_utf8");
    }

    @Test
    void shouldDeadLetterAsMissingFieldWhenTsIsAbsent() {
        assertDeadLetter(utf8("s3"), utf8("{\"sensor\":\"s3\",\"value\":4.0}"), "missing_field");
    }

    @Test
    void shouldDeadLetterAsWrongTypeWhenValueIsAString() {
        assertDeadLetter(utf8("s2"), utf8("{\"sensor\":\"s2\",\"ts\":" + TS + ",\"value\":\"12,5\"}"), "wrong_type");
    }

    @Test
    void shouldDeadLetterAsNonFiniteValueWhenValueIsNaN() {
        assertDeadLetter(utf8("s5"), utf8("{\"sensor\":\"s5\",\"ts\":" + TS + ",\"value\":NaN}"), "non_finite_value");
    }

    @Test
    void shouldDeadLetterAsValueOutOfRangeWhenValueOverflowsADouble() {
        assertDeadLetter(utf8("s5"), utf8("{\"sensor\":\"s5\",\"ts\":" + TS + ",\"value\":1e999}"), "value_out_of_range");
    }

    @Test
    void shouldDeadLetterAsTimestampOutOfRangeWhenTsIsFarInTheFuture() {
        assertDeadLetter(utf8("s4"), utf8("{\"sensor\":\"s4\",\"ts\":\"9999-01-01T00:00:00Z\",\"value\":4.0}"), "timestamp_out_of_range");
    }

    @Test
    void shouldDeadLetterAsInvalidSensorIdWhenSensorIsEmpty() {
        assertDeadLetter(null, utf8("{\"sensor\":\"\",\"ts\":" + TS + ",\"value\":4.0}"), "invalid_sensor_id");
    }

    @Test
    void shouldKeepOriginalHeadersWhenDeadLettering() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(new RecordHeader("trace", utf8("abc")));
            d.readings.pipeInput(new TestRecord<>(utf8("s"), utf8("nope"), headers, IngestDriver.WALL));

            TestRecord<byte[], byte[]> r = d.deadLetters.readRecord();
            assertEquals("abc", header(r.headers(), "trace"));
            assertEquals("malformed_json", header(r.headers(), DeadLetterHeaders.REASON));
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldExposeIngestCountersUnderPrometheusNamesWhenScraped() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow().withWindow(1), registry)) {
            d.send("s", IngestDriver.T0, 1);
            d.send("s", IngestDriver.T0 + 3 * IngestDriver.MIN, 1);   // closes step 0: one sequence (W=1)
            d.sendRaw("s", "{");

            String scrape = registry.scrape();
            assertTrue(scrape.contains("sensorcast_ingest_readings_total 3.0"), scrape);
            assertTrue(scrape.contains("sensorcast_ingest_sequences_total 1.0"), scrape);
            assertTrue(scrape.contains("sensorcast_ingest_dead_letters_total{reason=\"malformed_json\"} 1.0"), scrape);
            assertTrue(scrape.contains("sensorcast_ingest_dead_letters_total{reason=\"late\"} 0.0"), scrape);
            assertTrue(scrape.contains("sensorcast_ingest_duplicates_total 0.0"), scrape);
        }
    }

    private static void assertDeadLetter(byte[] key, byte[] value, String reason) {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("other", 1_732_440_000_000L, 1);   // offset 0: a good reading, so the bad one is offset 1
            d.sendRaw(key, value);

            TestRecord<byte[], byte[]> r = d.deadLetters.readRecord();
            if (key == null) {
                assertNull(r.key());
            } else {
                assertArrayEquals(key, r.key());
            }
            assertArrayEquals(value, r.value());
            assertEquals(reason, header(r.headers(), DeadLetterHeaders.REASON));
            assertEquals("parse", header(r.headers(), DeadLetterHeaders.STAGE));
            assertEquals("sensor-readings", header(r.headers(), DeadLetterHeaders.SOURCE_TOPIC));
            assertEquals("0", header(r.headers(), DeadLetterHeaders.SOURCE_PARTITION));
            assertEquals("1", header(r.headers(), DeadLetterHeaders.SOURCE_OFFSET));
            assertFalse(header(r.headers(), DeadLetterHeaders.DETAIL).isBlank());
            assertEquals(1.0, d.counter("sensorcast.ingest.dead.letters", "reason", reason));
            assertEquals(2.0, d.counter("sensorcast.ingest.readings"));
            assertTrue(d.deadLetters.isEmpty());
            assertTrue(d.sequences.isEmpty());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
