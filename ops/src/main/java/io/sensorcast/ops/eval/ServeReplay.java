package io.sensorcast.ops.eval;

import java.util.List;
import java.util.Map;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.model.checkpoint.CheckpointEnvelope;
import io.sensorcast.model.checkpoint.ModelPayload;
import io.sensorcast.serve.Forecast;
import io.sensorcast.serve.ServeConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One serve instance ({@link io.sensorcast.serve.ServeTopology#build}) that eval talks to: a model reaches it the way
 * it reaches the live service, as a checkpoint envelope on {@code model-checkpoints} (verified, then swapped in), and
 * sequences come back as {@link Forecast}s with the serving path's prediction intervals (per-sensor residual quantiles
 * from the ledger). Implementations differ only in transport: {@link InProcessServeReplay} (no broker) and
 * {@link KafkaServeReplay} (a Kafka Streams application on a cluster). Both return only once serve has answered.
 */
public abstract class ServeReplay implements AutoCloseable {
    protected final ServeConfig config;
    private long version;

    protected ServeReplay(ServeConfig config) {
        this.config = config;
    }

    /** Publishes {@code network} as the next version of the default model; returns once serve forecasts with it. */
    public final void publish(MultiLayerNetwork network, long trainingStep) {
        version++;
        byte[] envelope = CheckpointEnvelope.create(config.defaultModelId(), version, trainingStep, 0L,
                config.model().window(), config.model().horizon(), "{\"source\":\"eval\"}", Map.of(), Map.of(),
                ModelPayload.write(network), config.hmacKey()).encode();
        deliverCheckpoint(envelope, version);
    }

    /**
     * Forecasts {@code batch} (any size) and returns one forecast per sequence, in order. A model forecast made by any
     * other version than the last one published would score a model that was not the one meant: that fails.
     */
    public final List<Forecast> forecast(List<SensorSequence> batch) {
        List<Forecast> forecasts = answer(batch);
        if (forecasts.size() != batch.size()) {
            throw new IllegalStateException("serve answered " + forecasts.size() + " of " + batch.size() + " sequences");
        }
        for (Forecast f : forecasts) {
            if (f.modelVersion() != null && f.modelVersion() != version) {
                throw new IllegalStateException("serve forecast " + f.sensor() + " at " + f.issuedAt() + " with model version "
                        + f.modelVersion() + ", but version " + version + " was the last published");
            }
        }
        return forecasts;
    }

    /** Hands {@code envelope} (model version {@code version}) to serve; returns once serve has swapped it in. */
    protected abstract void deliverCheckpoint(byte[] envelope, long version);

    /** Sends {@code batch} to serve and returns what it forecast, in order. */
    protected abstract List<Forecast> answer(List<SensorSequence> batch);

    @Override
    public abstract void close();
}
