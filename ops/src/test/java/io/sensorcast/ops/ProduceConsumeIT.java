package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSimulator;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@Timeout(120)
@ExtendWith(RealKafkaBroker.class)
class ProduceConsumeIT {

    @Test
    void shouldRoundTripSimulatedReadingsThroughTheBroker(KafkaCluster kafka) {
        String topic = "readings-" + UUID.randomUUID();
        CliRun produce = CliRun.of("produce", "--simulate", "3", "--max-readings", "30", "--rate", "0", "--seed", "7",
                "--start", "2024-11-24T00:00:00Z", "--topic", topic, "-b", kafka.bootstrapServers());
        assertEquals(0, produce.exitCode(), produce.err());
        assertTrue(produce.err().contains("produced 30 readings to " + topic), produce.err());

        CliRun consume = CliRun.of("consume", "--topic", topic, "--max", "30", "--timeout", "60s", "--compact",
                "-b", kafka.bootstrapServers());
        assertEquals(0, consume.exitCode(), consume.err());
        // the same seed gives the same readings: 10 steps of 3 sensors from 2024-11-24T00:00Z (1732406400000)
        SensorSimulator expected = new SensorSimulator(3, 7, 1732406400000L, java.time.Duration.ofMinutes(1));
        List<String> expectedLines = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (Reading r : expected.tick()) {
                expectedLines.add(r.sensor() + "\t" + r.toJson());
            }
        }
        assertEquals(sorted(expectedLines), sorted(consume.out().lines().toList()));
    }

    @Test
    void shouldRoundTripACsvColumnWithItsTimestampsAndSensorId(KafkaCluster kafka, @TempDir Path dir) throws Exception {
        String topic = "csv-" + UUID.randomUUID();
        Path csv = Files.writeString(dir.resolve("ETTh1.csv"), """
                date,HUFL,OT
                2016-07-01 00:00:00,5.8,30.531
                2016-07-01 01:00:00,5.7,27.787
                2016-07-01 02:00:00,5.2,not-a-number
                2016-07-01 03:00:00,5.1,25.044
                """);
        CliRun produce = CliRun.of("produce", "--csv", csv.toString(), "--time-column", "date", "--value-column", "OT",
                "--topic", topic, "-b", kafka.bootstrapServers());
        assertEquals(0, produce.exitCode(), produce.err());
        assertTrue(produce.err().contains("skipping 1 rows without a numeric OT"), produce.err());

        CliRun consume = CliRun.of("consume", "--topic", topic, "--max", "3", "--timeout", "60s", "--compact",
                "-b", kafka.bootstrapServers());
        assertEquals(List.of(
                "ETTh1.OT\t{\"sensor\":\"ETTh1.OT\",\"ts\":1467331200000,\"value\":30.531}",
                "ETTh1.OT\t{\"sensor\":\"ETTh1.OT\",\"ts\":1467334800000,\"value\":27.787}",
                "ETTh1.OT\t{\"sensor\":\"ETTh1.OT\",\"ts\":1467342000000,\"value\":25.044}"), consume.out().lines().toList());
    }

    @Test
    void shouldPrettyPrintJsonWithPartitionOffsetAndKey(KafkaCluster kafka) {
        String topic = "pretty-" + UUID.randomUUID();
        CliRun produce = CliRun.of("produce", "--simulate", "1", "--max-readings", "1", "--start", "2024-11-24T00:00:00Z",
                "--topic", topic, "-b", kafka.bootstrapServers());
        assertEquals(0, produce.exitCode(), produce.err());
        CliRun consume = CliRun.of("consume", "--topic", topic, "--max", "1", "--timeout", "60s", "-b", kafka.bootstrapServers());
        List<String> lines = consume.out().lines().toList();
        assertTrue(lines.get(0).startsWith("── " + topic + "["), lines.get(0));
        assertTrue(lines.get(0).endsWith("key=sim-0000.temp"), lines.get(0));
        assertEquals("  \"ts\" : 1732406400000,", lines.get(3));
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }
}
