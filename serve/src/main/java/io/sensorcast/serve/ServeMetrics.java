package io.sensorcast.serve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sensorcast.model.checkpoint.CheckpointRejectReason;

/**
 * The serve meters (Prometheus names in brackets). Tags are closed sets: {@code method}, {@code reason}, {@code model},
 * {@code horizon_bucket}; never the sensor id or the model version.
 * <ul>
 * <li>{@code sensorcast.serve.forecasts{method}} [{@code sensorcast_serve_forecasts_total}]: forecast records sent</li>
 * <li>{@code sensorcast.serve.forecast.latency} [{@code sensorcast_serve_forecast_latency_seconds}, histogram]: wall
 *     clock from ingest receiving the newest reading ({@code arrivedAt} of the sequence) to the forecast being handed
 *     to the producer; sequences without {@code arrivedAt} are not timed</li>
 * <li>{@code sensorcast.serve.model.version{model}} [{@code sensorcast_serve_model_version}]: live checkpoint version</li>
 * <li>{@code sensorcast.serve.model.swaps} [{@code sensorcast_serve_model_swaps_total}]: verified checkpoints installed</li>
 * <li>{@code sensorcast.serve.checkpoints.rejected{reason}} [{@code sensorcast_serve_checkpoints_rejected_total}]:
 *     every {@link CheckpointRejectReason} code registered at 0</li>
 * <li>{@code sensorcast.serve.forecast.abs.error{horizon_bucket,model}} [{@code sensorcast_serve_forecast_abs_error}]:
 *     |actual − forecast| in the sensor's units, buckets {@code 1}, {@code 2-6}, {@code 7-12}, {@code 13-24}, {@code 25+}
 *     (steps ahead)</li>
 * <li>{@code sensorcast.serve.interval.coverage{model}} [{@code sensorcast_serve_interval_coverage}]: fraction of the
 *     last {@value #COVERAGE_WINDOW} scored points whose actual fell inside {@code [lo, hi]}</li>
 * </ul>
 * Under exactly-once an aborted transaction is reprocessed, so counters can run slightly ahead of the topic.
 */
public final class ServeMetrics {
    static final int COVERAGE_WINDOW = 1000;

    private final MeterRegistry registry;
    private final Map<String, Counter> forecasts = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
    /** Per model, one summary per horizon bucket (index {@link #bucketIndex}), created on first use. */
    private final Map<String, DistributionSummary[]> errors = new ConcurrentHashMap<>();
    private final Map<String, Coverage> coverage = new ConcurrentHashMap<>();
    private final Counter swaps;
    private final Timer latency;

    public ServeMetrics(MeterRegistry registry) {
        this.registry = registry;
        swaps = Counter.builder("sensorcast.serve.model.swaps")
                .description("Verified checkpoints installed as the live model")
                .register(registry);
        latency = Timer.builder("sensorcast.serve.forecast.latency")
                .description("Wall-clock time from ingest receiving a sensor's newest reading to its forecast being sent")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        for (String method : new String[] {Forecast.LSTM, Forecast.PERSISTENCE}) {
            forecasts.put(method, Counter.builder("sensorcast.serve.forecasts")
                    .description("Forecast records sent to the forecasts topic, by method")
                    .tag("method", method)
                    .register(registry));
        }
        for (CheckpointRejectReason r : CheckpointRejectReason.values()) {
            rejected.put(r.code(), Counter.builder("sensorcast.serve.checkpoints.rejected")
                    .description("Checkpoints refused by verification (the previous model stays live), by reason")
                    .tag("reason", r.code())
                    .register(registry));
        }
    }

    void forecast(String method) {
        forecasts.get(method).increment();
    }

    void latency(long millis) {
        latency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void rejected(CheckpointRejectReason reason) {
        rejected.get(reason.code()).increment();
    }

    void swapped(String model, long version) {
        swaps.increment();
        versions.computeIfAbsent(model, m -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("sensorcast.serve.model.version", v, AtomicLong::get)
                    .strongReference(true)
                    .description("Version of the checkpoint serving this model id")
                    .tag("model", m)
                    .register(registry);
            return v;
        }).set(version);
    }

    /** Records one scored forecast point: {@code stepsAhead} from 1. */
    void scored(String model, int stepsAhead, double absError, boolean covered) {
        // no String per point: this runs for every point of every forecast (24 × 10,000 a second at full load)
        DistributionSummary[] byBucket = errors.computeIfAbsent(model, m -> new DistributionSummary[BUCKETS.length]);
        int b = bucketIndex(stepsAhead);
        DistributionSummary summary = byBucket[b];
        if (summary == null) {
            summary = DistributionSummary.builder("sensorcast.serve.forecast.abs.error")
                    .description("Absolute error of forecast points against the actual values that arrived later, sensor units")
                    .tag("model", model)
                    .tag("horizon_bucket", BUCKETS[b])
                    .register(registry); // registering twice returns the same meter, so a race is harmless
            byBucket[b] = summary;
        }
        summary.record(absError);
        coverage.computeIfAbsent(model, m -> {
            Coverage c = new Coverage();
            Gauge.builder("sensorcast.serve.interval.coverage", c, Coverage::fraction)
                    .strongReference(true)
                    .description("Fraction of recently scored forecast points whose actual fell inside the prediction interval")
                    .tag("model", m)
                    .register(registry);
            return c;
        }).add(covered);
    }

    private static final String[] BUCKETS = {"1", "2-6", "7-12", "13-24", "25+"};

    private static int bucketIndex(int stepsAhead) {
        return stepsAhead <= 1 ? 0 : stepsAhead <= 6 ? 1 : stepsAhead <= 12 ? 2 : stepsAhead <= 24 ? 3 : 4;
    }

    /** {@code 1}, {@code 2-6}, {@code 7-12}, {@code 13-24}, {@code 25+}. */
    static String horizonBucket(int stepsAhead) {
        return BUCKETS[bucketIndex(stepsAhead)];
    }

    /** A ring of the last {@link #COVERAGE_WINDOW} outcomes; read by the scrape thread, written by a stream thread. */
    private static final class Coverage {
        private final boolean[] ring = new boolean[COVERAGE_WINDOW];
        private int size;
        private int next;
        private int inside;

        synchronized void add(boolean covered) {
            if (size == ring.length) {
                if (ring[next]) {
                    inside--;
                }
            } else {
                size++;
            }
            ring[next] = covered;
            if (covered) {
                inside++;
            }
            next = (next + 1) % ring.length;
        }

        synchronized double fraction() {
            return size == 0 ? Double.NaN : (double) inside / size;
        }
    }
}
