package io.sensorcast.ingest;

import static io.sensorcast.ingest.IngestDriver.MIN;
import static io.sensorcast.ingest.IngestDriver.SEC;
import static io.sensorcast.ingest.IngestDriver.T0;
import static io.sensorcast.ingest.IngestDriver.WALL;
import static io.sensorcast.ingest.IngestDriver.header;
import static io.sensorcast.ingest.IngestDriver.raw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Specifications of the ingest rules, one behaviour each, on {@link IngestTopology#build} in a TopologyTestDriver. */
class IngestTopologyTest {
    private static final double EPS = 1e-5;

    @Test
    void shouldEmitMeanOfReadingsInEachStepWhenStepsClose() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0 + 10 * SEC, 1);
            d.send("s", T0 + 50 * SEC, 3);            // step 0: (1 + 3) / 2 = 2
            d.send("s", T0 + MIN + 30 * SEC, 4);      // step 1: 4
            d.send("s", T0 + 2 * MIN + 5 * SEC, 6);
            d.send("s", T0 + 2 * MIN + 55 * SEC, 10); // step 2: (6 + 10) / 2 = 8
            d.send("s", T0 + 5 * MIN, 0);             // stream time T0+5m = step 2 end (T0+3m) + 2m grace: step 2 closes

            SensorSequence s = d.sequences.readValue();
            assertEquals(T0 + 2 * MIN, s.end());
            assertEquals(MIN, s.stepMs());
            assertArrayEquals(new double[] {2, 4, 8}, raw(s), EPS);
            assertArrayEquals(new byte[] {1, 1, 1}, s.observed());
            assertTrue(d.sequences.isEmpty());
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldNotEmitWhenLastStepIsStillWithinGrace() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0, 2);
            d.send("s", T0 + MIN, 4);
            d.send("s", T0 + 2 * MIN, 8);
            d.send("s", T0 + 5 * MIN - 1, 0);         // 1 ms short of step 2's end + grace (T0+5m): still open

            assertTrue(d.sequences.isEmpty());
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldIncludeOutOfOrderReadingWhenItArrivesWithinGrace() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0, 1);
            d.send("s", T0 + MIN, 2);
            d.send("s", T0 + 2 * MIN, 3);
            d.send("s", T0 + 4 * MIN, 0);             // stream time T0+4m: steps 0 and 1 close, step 2 open until T0+5m
            d.send("s", T0 + 2 * MIN + 30 * SEC, 5);  // 1.5 min behind stream time, inside step 2's grace: (3 + 5) / 2 = 4
            d.send("s", T0 + 5 * MIN, 0);             // step 2 closes

            assertArrayEquals(new double[] {1, 2, 4}, raw(d.sequences.readValue()), EPS);
            assertTrue(d.sequences.isEmpty());
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldSendReadingToDeadLettersAsLateWhenItsStepClosed() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0, 1);
            d.send("s", T0 + 3 * MIN, 2);             // stream time T0+3m = step 0's end (T0+1m) + grace: step 0 closed
            String late = "{\"sensor\":\"s\",\"ts\":" + (T0 + 59 * SEC) + ",\"value\":7.0}";
            d.sendRaw("s", late);                     // offset 2, 2m1s behind stream time, for the closed step 0

            TestRecord<byte[], byte[]> r = d.deadLetters.readRecord();
            assertEquals("s", new String(r.key(), StandardCharsets.UTF_8));
            assertEquals(late, new String(r.value(), StandardCharsets.UTF_8));
            assertEquals("late", header(r.headers(), DeadLetterHeaders.REASON));
            assertEquals("resample", header(r.headers(), DeadLetterHeaders.STAGE));
            assertEquals("sensor-readings", header(r.headers(), DeadLetterHeaders.SOURCE_TOPIC));
            assertEquals("0", header(r.headers(), DeadLetterHeaders.SOURCE_PARTITION));
            assertEquals("2", header(r.headers(), DeadLetterHeaders.SOURCE_OFFSET));
            assertTrue(header(r.headers(), DeadLetterHeaders.DETAIL).contains("closed"));
            assertEquals(1.0, d.counter("sensorcast.ingest.dead.letters", "reason", "late"));
            assertTrue(d.deadLetters.isEmpty());
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldCountReadingOnceWhenSameSensorAndTimestampRepeat() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0, 1);
            d.send("s", T0, 100);                     // same sensor, same ts: ignored (else step 0 would be 50.5)
            d.send("s", T0 + MIN, 2);
            d.send("s", T0 + 2 * MIN, 3);
            d.send("s", T0 + 5 * MIN, 0);

            assertArrayEquals(new double[] {1, 2, 3}, raw(d.sequences.readValue()), EPS);
            assertEquals(1.0, d.counter("sensorcast.ingest.duplicates"));
            assertTrue(d.sequences.isEmpty());
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldFillShortGapLinearlyWithObservedZeroWhenGapIsWithinMaxGap() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0, 10);
            d.send("s", T0 + 4 * MIN, 30);            // steps 1..3 missing: a 3-step gap, max 5; closes step 0
            d.send("s", T0 + 7 * MIN, 99);            // closes step 4: fill 10 + 20·g/4 = 15, 20, 25, then 30

            SensorSequence a = d.sequences.readValue();
            assertEquals(T0 + 2 * MIN, a.end());
            assertArrayEquals(new double[] {10, 15, 20}, raw(a), EPS);
            assertArrayEquals(new byte[] {1, 0, 0}, a.observed());
            SensorSequence b = d.sequences.readValue();
            assertArrayEquals(new double[] {15, 20, 25}, raw(b), EPS);
            assertArrayEquals(new byte[] {0, 0, 0}, b.observed());
            SensorSequence c = d.sequences.readValue();
            assertEquals(T0 + 4 * MIN, c.end());
            assertArrayEquals(new double[] {20, 25, 30}, raw(c), EPS);
            assertArrayEquals(new byte[] {0, 0, 1}, c.observed());
            assertTrue(d.sequences.isEmpty());
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldFillGapWhenItIsExactlyMaxGap() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow().withWindow(7))) {
            d.send("s", T0, 0);
            d.send("s", T0 + 6 * MIN, 6);             // steps 1..5 missing: 5 = max gap, filled 1..5
            d.send("s", T0 + 9 * MIN, 0);             // closes step 6

            SensorSequence s = d.sequences.readValue();
            assertEquals(T0 + 6 * MIN, s.end());
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6}, raw(s), EPS);
            assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 1}, s.observed());
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldRestartWindowWhenGapExceedsMaxGap() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0, 1);
            d.send("s", T0 + MIN, 2);
            d.send("s", T0 + 8 * MIN, 5);             // steps 2..7 missing: 6 > max gap 5 → window restarts at step 8
            d.send("s", T0 + 9 * MIN, 6);
            d.send("s", T0 + 10 * MIN, 7);
            d.send("s", T0 + 13 * MIN, 0);            // closes step 10

            SensorSequence s = d.sequences.readValue();  // nothing spans the gap: the first window is steps 8..10
            assertEquals(T0 + 10 * MIN, s.end());
            assertArrayEquals(new double[] {5, 6, 7}, raw(s), EPS);
            assertArrayEquals(new byte[] {1, 1, 1}, s.observed());
            assertTrue(d.sequences.isEmpty());
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldNormaliseWithRunningMeanAndPopulationStdWhenEmitting() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0, 2);
            d.send("s", T0 + MIN, 4);
            d.send("s", T0 + 2 * MIN, 9);
            d.send("s", T0 + 5 * MIN, 0);

            // oracle, written out: mean (2+4+9)/3 = 5; variance ((2-5)² + (4-5)² + (9-5)²)/3 = 26/3
            double std = Math.sqrt(26.0 / 3);
            SensorSequence s = d.sequences.readValue();
            assertEquals(5.0, s.mean(), 1e-12);
            assertEquals(std, s.std(), 1e-12);
            assertArrayEquals(new float[] {(float) (-3 / std), (float) (-1 / std), (float) (4 / std)}, s.values(), 1e-6f);
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldWeightRecentStepsMoreWhenForgettingFactorIsSet() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow().withForgettingFactor(0.5))) {
            d.send("s", T0, 2);
            d.send("s", T0 + MIN, 4);
            d.send("s", T0 + 2 * MIN, 9);
            d.send("s", T0 + 5 * MIN, 0);

            // oracle: weights 0.25, 0.5, 1 (newest heaviest), weighted mean and weighted population variance
            double[] x = {2, 4, 9};
            double[] w = {0.25, 0.5, 1};
            double sw = 1.75;
            double mean = (w[0] * x[0] + w[1] * x[1] + w[2] * x[2]) / sw;
            double var = (w[0] * sq(x[0] - mean) + w[1] * sq(x[1] - mean) + w[2] * sq(x[2] - mean)) / sw;
            SensorSequence s = d.sequences.readValue();
            assertEquals(mean, s.mean(), 1e-12);
            assertEquals(Math.sqrt(var), s.std(), 1e-12);
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldReportStdOneWhenSensorIsConstant() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", T0, 7);
            d.send("s", T0 + MIN, 7);
            d.send("s", T0 + 2 * MIN, 7);
            d.send("s", T0 + 5 * MIN, 7);

            SensorSequence s = d.sequences.readValue();
            assertEquals(7.0, s.mean(), 1e-12);
            assertEquals(1.0, s.std());               // std 0 would divide by zero; 1 keeps (v - mean)/std exact
            assertArrayEquals(new float[] {0, 0, 0}, s.values());
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldEmitOneSequencePerClosedStepInEventTimeOrderWhenWindowIsFull() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            for (int k = 0; k < 6; k++) {
                d.send("s", T0 + k * MIN, k + 1);     // a reading at step k closes step k-3
            }
            d.send("s", T0 + 8 * MIN, 0);             // closes steps up to 5

            for (int end = 2; end <= 5; end++) {
                SensorSequence s = d.sequences.readValue();
                assertEquals(T0 + end * MIN, s.end());
                assertArrayEquals(new double[] {end - 1, end, end + 1}, raw(s), EPS);
            }
            assertEquals(4.0, d.counter("sensorcast.ingest.sequences"));
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldEmitEveryHopStepsWhenHopIsTwo() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow().withHop(2))) {
            for (int k = 0; k < 6; k++) {
                d.send("s", T0 + k * MIN, k + 1);
            }
            d.send("s", T0 + 8 * MIN, 0);             // steps 0..5 closed: windows end at 2, (3 skipped), 4, (5 skipped)

            assertEquals(T0 + 2 * MIN, d.sequences.readValue().end());
            assertEquals(T0 + 4 * MIN, d.sequences.readValue().end());
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldKeepSensorsApartWhenTheyInterleave() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            for (int k = 0; k < 3; k++) {
                d.send("a", T0 + k * MIN, 10 + k);
                d.send("b", T0 + k * MIN, 100 + k);
            }
            d.send("a", T0 + 5 * MIN, 0);             // only a's stream time moves: only a's steps close

            TestRecord<String, SensorSequence> r = d.sequences.readRecord();
            assertEquals("a", r.key());
            assertArrayEquals(new double[] {10, 11, 12}, raw(r.value()), EPS);
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldTakeSensorFromValueAndKeyOutputBySensorWhenRecordKeyIsNull() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            for (long ts : new long[] {T0, T0 + MIN, T0 + 2 * MIN, T0 + 5 * MIN}) {
                d.sendRaw((String) null, "{\"sensor\":\"s\",\"ts\":" + ts + ",\"value\":1.5}");
            }

            TestRecord<String, SensorSequence> r = d.sequences.readRecord();
            assertEquals("s", r.key());
            assertEquals("s", r.value().sensor());
            assertArrayEquals(new double[] {1.5, 1.5, 1.5}, raw(r.value()), EPS);
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldStampArrivedAtWithWallClockOfTheReadingThatClosedTheStep() {
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow().withWindow(1))) {
            d.send("s", T0, 1);                       // received at WALL
            d.driver.advanceWallClockTime(Duration.ofSeconds(5));
            d.send("s", T0 + MIN, 2);                 // received at WALL+5s
            d.driver.advanceWallClockTime(Duration.ofSeconds(7));
            d.send("s", T0 + 4 * MIN, 3);             // at WALL+12s, closes steps 0 and 1

            // the wait for event time to pass end + grace is not processing latency: both carry the closer's arrival
            assertEquals(WALL.toEpochMilli() + 12_000, d.sequences.readValue().arrivedAt());
            assertEquals(WALL.toEpochMilli() + 12_000, d.sequences.readValue().arrivedAt());
            assertTrue(d.sequences.isEmpty());
        }
    }

    @Test
    void shouldFollowTheWorkedExampleOfTheJavadoc() {
        long t = T0; // "10:00"
        try (IngestDriver d = new IngestDriver(IngestDriver.smallWindow())) {
            d.send("s", t + 10 * SEC, 1);
            d.send("s", t + 50 * SEC, 3);
            d.send("s", t + 50 * SEC, 9);             // duplicate
            d.send("s", t + 90 * SEC, 4);
            d.send("s", t + 3 * MIN, 5);              // closes 10:00 (2)
            d.send("s", t + 59 * SEC, 7);             // late
            d.send("s", t + 150 * SEC, 6);            // 10:02:30, inside grace
            d.send("s", t + 4 * MIN, 8);              // closes 10:01 (4)
            d.send("s", t + 8 * MIN, 9);              // closes 10:02 (6), 10:03 (5), 10:04 (8)
            d.send("s", t + 12 * MIN, 12);            // closes 10:08 (9) after filling 10:05..10:07

            double[][] expected = {{2, 4, 6}, {4, 6, 5}, {6, 5, 8}, {5, 8, 8.25}, {8, 8.25, 8.5}, {8.25, 8.5, 8.75}, {8.5, 8.75, 9}};
            for (int i = 0; i < expected.length; i++) {
                SensorSequence s = d.sequences.readValue();
                assertEquals(t + (2 + i) * MIN, s.end());
                assertArrayEquals(expected[i], raw(s), EPS);
            }
            assertEquals("late", header(d.deadLetters.readRecord().headers(), DeadLetterHeaders.REASON));
            assertEquals(1.0, d.counter("sensorcast.ingest.duplicates"));
            assertTrue(d.sequences.isEmpty());
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldNameEveryStoreProcessorAndInternalTopicWhenDescribed() {
        String description = IngestTopology.build(IngestConfig.defaults(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .describe().toString();

        assertTrue(description.contains("stores: [ingest-sensor-open-steps, ingest-sensor-state]"), description);
        assertTrue(description.contains("ingest-readings-by-sensor-repartition"), description);
        assertTrue(description.contains("Processor: ingest-parse"), description);
        assertTrue(description.contains("Processor: ingest-resample"), description);
        assertTrue(description.contains("Sink: ingest-dead-letters (topic: sensor-readings.dlq)"), description);
        assertTrue(description.contains("Sink: ingest-sequences (topic: sensor-sequences)"), description);
    }

    private static double sq(double x) {
        return x * x;
    }
}
