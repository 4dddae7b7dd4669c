/**
 * Serving: forecasts for every sequence on {@code sensor-sequences}, from the live verified checkpoint of the
 * sensor's model (or persistence before there is one), with prediction intervals, onto {@code forecasts}.
 *
 * <p>Public API: {@link io.sensorcast.serve.ServeConfig} (every setting and default),
 * {@link io.sensorcast.serve.ServeTopology#build} (the one topology, for the CLI, tests and benchmarks),
 * {@link io.sensorcast.serve.ServeService} (topics, Kafka Streams, client metrics, readiness),
 * {@link io.sensorcast.serve.Forecast} (the {@code forecasts} record and its JSON), {@link io.sensorcast.serve.RoutingRule},
 * {@link io.sensorcast.serve.ModelRegistry} (live model per id), {@link io.sensorcast.serve.ServeMetrics},
 * {@link io.sensorcast.serve.ServeBenchmark}. Everything package-private is implementation: the checkpoint loader
 * (global store processor), the forecaster (batching, ledger, scoring), the per-sensor ledger and the interval.
 */
package io.sensorcast.serve;
