/**
 * The learning core of the trainer: {@link io.sensorcast.model.ModelConfig} (every default once),
 * {@link io.sensorcast.model.ForecastNetworkFactory} (the DL4J network), {@link io.sensorcast.model.LastValueReference}
 * (the one owner of the "relative to the last value" transform, shared with serving and eval),
 * {@link io.sensorcast.model.GradientClipper} / {@link io.sensorcast.model.ClippingPolicy} (clipping the update DL4J
 * really applies), {@link io.sensorcast.model.ExplosionDetector}, {@link io.sensorcast.model.SpectralNorm},
 * {@link io.sensorcast.model.OnlineTrainer} (test-then-train with recovery), {@link io.sensorcast.model.TrainerMetrics}
 * (every trainer meter) and {@link io.sensorcast.model.TrainBenchmark}. The checkpoint envelope lives in
 * {@code io.sensorcast.model.checkpoint}; the Kafka service drives an {@code OnlineTrainer} from one thread.
 */
package io.sensorcast.model;
