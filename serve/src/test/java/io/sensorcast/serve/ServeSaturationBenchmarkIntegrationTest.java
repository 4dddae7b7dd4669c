package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.sensorcast.kafka.KafkaStreamsCopyBenchmark;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Serve's saturation benchmark and its framework ceiling end to end at a small size: every measured sequence counted. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class ServeSaturationBenchmarkIntegrationTest {
    private static final ServeConfig SERVE = ServeDriver.CONFIG.withTopicPartitions(2).withBatching(64, Duration.ofMillis(5));

    @Test
    void shouldForecastEveryMeasuredSequenceAtSaturation(KafkaCluster kafka) throws Exception {
        ServeSaturationBenchmark.Result r = ServeSaturationBenchmark.run(kafka.bootstrapServers(), SERVE, 30, 2, 3,
                Duration.ofSeconds(60));

        assertEquals(90, r.forecasts(), r.toString());
        assertTrue(r.forecastsPerSecond() > 0, r.toString());
    }

    @Test
    void shouldCommitEveryMeasuredSequenceWhenOnlyCopyingThemWithServesSettings(KafkaCluster kafka) {
        KafkaStreamsCopyBenchmark.Result r = ServeSaturationBenchmark.streamsCopy(kafka.bootstrapServers(), SERVE, 30, 2, 3,
                Duration.ofSeconds(60));

        assertEquals(90, r.records(), r.toString());
        assertTrue(r.recordsPerSecond() > 0, r.toString());
        System.out.printf("serve saturation ceiling (small, %s): %.0f sequences/s copied%n", kafka.kind(), r.recordsPerSecond());
    }
}
