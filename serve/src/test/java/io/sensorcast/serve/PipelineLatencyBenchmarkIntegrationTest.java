package io.sensorcast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pipeline latency benchmark end to end at a small size: every reading sent while measured is forecast and timed. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class PipelineLatencyBenchmarkIntegrationTest {
    private static final IngestConfig INGEST = IngestConfig.defaults().withWindow(ServeDriver.MODEL.window())
            .withTopicPartitions(2).withCommitInterval(Duration.ofMillis(20));
    private static final ServeConfig SERVE = ServeDriver.CONFIG.withTopicPartitions(2)
            .withBatching(64, Duration.ofMillis(5)).withStatefulInference(true, 72);

    @Test
    void shouldForecastEveryMeasuredReadingAndTimeItOnBothPaths(KafkaCluster kafka) throws Exception {
        PipelineLatencyBenchmark.Result r = PipelineLatencyBenchmark.run(kafka.bootstrapServers(), INGEST, SERVE, 20,
                400, 1, Duration.ofSeconds(2), Duration.ofSeconds(60));

        // one reading per sensor per step: each measured reading closes a step, so it yields exactly one forecast
        assertEquals(r.readings(), r.forecasts(), r.toString());
        assertTrue(r.serveP50Ms() > 0 && r.serveP99Ms() >= r.serveP50Ms(), r.toString());
        assertTrue(r.deliveredP99Ms() >= r.deliveredP50Ms() && r.deliveredP50Ms() >= 0, r.toString());
        System.out.printf("pipeline bench (small model, %s): %.0f readings/s, serve p50 %.1f ms p99 %.1f ms, delivered p50 %.0f ms p99 %.0f ms%n",
                kafka.kind(), r.readingsPerSecond(), r.serveP50Ms(), r.serveP99Ms(), r.deliveredP50Ms(), r.deliveredP99Ms());
    }

    @Test
    void shouldForecastOncePerStepWhenSensorsSendSeveralReadingsPerStep(KafkaCluster kafka) throws Exception {
        PipelineLatencyBenchmark.Result r = PipelineLatencyBenchmark.run(kafka.bootstrapServers(), INGEST, SERVE, 20,
                400, 4, Duration.ofSeconds(2), Duration.ofSeconds(60));

        // a step's four readings are averaged into one step; the first of them closes an earlier step: one forecast
        // per sensor for each round of readings that starts a step
        long rounds = r.readings() / 20;
        assertEquals(20 * ((rounds + 3) / 4), r.forecasts(), r.toString());
        assertTrue(r.serveP99Ms() >= r.serveP50Ms() && r.deliveredP99Ms() >= r.deliveredP50Ms(), r.toString());
    }
}
