package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The broker benchmark end to end at a small size: every forecast comes back and is timed. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class ServeBenchmarkIntegrationTest {

    @Test
    void shouldReadBackEveryForecastAndTimeItWhenBenchmarkingOnABroker(KafkaCluster kafka) throws Exception {
        ServeConfig config = ServeDriver.CONFIG.withTopicPartitions(2).withBatching(64, Duration.ofMillis(10));

        ServeBenchmark.BrokerResult r = ServeBenchmark.onBroker(kafka.bootstrapServers(), config, 20, 3, 200,
                Duration.ofSeconds(60));

        assertEquals(60, r.forecasts());
        assertTrue(r.p50Ms() >= 0 && r.p99Ms() >= r.p50Ms(), r.toString());
        System.out.printf("serve bench (small model, %s): %.0f forecasts/s, p50 %.0f ms, p99 %.0f ms (serve-side mean %.0f ms) at 200 sequences/s%n",
                kafka.kind(), r.forecastsPerSecond(), r.p50Ms(), r.p99Ms(), r.serveMeanMs());
    }
}
