package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.STEP;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.envelope;
import static io.sensorcast.serve.ServeDriver.network;
import static io.sensorcast.serve.ServeDriver.rising;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

/** The DESIGN.md serve metrics, as Prometheus sees them. */
class ServeMetricsScrapeTest {

    @Test
    void shouldTimeLatencyFromArrivalAtIngestToForecastSent() {
        try (ServeDriver d = new ServeDriver()) {
            d.pipe(sequence("s1", T0, rising(), 0, 1));   // arrivedAt = ARRIVED; the clock reads ARRIVED + 40 ms

            Timer latency = d.registry.get("sensorcast.serve.forecast.latency").timer();
            assertEquals(1, latency.count());
            assertEquals(40.0, latency.totalTime(TimeUnit.MILLISECONDS), 1e-9);
            assertEquals(1, d.readAll().size());
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldExposeDesignMetricNamesWhenScraped() {
        byte[] tampered = envelope("default", 2, network(2));
        tampered[tampered.length - 1] ^= 0x01;
        try (ServeDriver d = new ServeDriver()) {
            d.pipe(sequence("s1", T0, rising(), 0, 1));
            d.pipeCheckpoint("default", envelope("default", 1, network(1)), T0);
            d.pipeCheckpoint("default", tampered, T0);
            d.pipe(sequence("s1", T0 + STEP, rising(), 0, 1));

            String scrape = d.registry.scrape();
            for (String line : new String[] {
                    "sensorcast_serve_forecasts_total{method=\"persistence\"} 1.0",
                    "sensorcast_serve_forecasts_total{method=\"lstm\"} 1.0",
                    "sensorcast_serve_forecast_latency_seconds_bucket{le=",
                    "sensorcast_serve_forecast_latency_seconds_count 2",
                    "sensorcast_serve_model_version{model=\"default\"} 1.0",
                    "sensorcast_serve_model_swaps_total 1.0",
                    "sensorcast_serve_checkpoints_rejected_total{reason=\"digest_mismatch\"} 1.0",
                    "sensorcast_serve_checkpoints_rejected_total{reason=\"hmac_mismatch\"} 0.0",
                    "sensorcast_serve_forecast_abs_error_count{horizon_bucket=\"1\",model=\"default\"} 1",
                    "sensorcast_serve_interval_coverage{model=\"default\"} "}) {
                assertTrue(scrape.contains(line), "missing: " + line + "\n" + scrape);
            }
            assertEquals(2, d.readAll().size());
            assertTrue(d.forecasts.isEmpty());
        }
    }
}
