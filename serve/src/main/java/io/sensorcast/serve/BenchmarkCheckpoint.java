package io.sensorcast.serve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.checkpoint.CheckpointEnvelope;
import io.sensorcast.model.checkpoint.ModelPayload;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The benchmarks' and the soak's model: one freshly initialised checkpoint, published and awaited (speed and resource
 * use do not depend on the weights), so they run serve's LSTM path rather than its persistence fallback.
 */
public final class BenchmarkCheckpoint {
    private BenchmarkCheckpoint() {
    }

    public static void install(KafkaProducer<String, byte[]> producer, ServeConfig serve, ServeService service,
                               Duration timeout) throws InterruptedException {
        ModelConfig model = serve.model();
        String modelId = serve.defaultModelId();
        byte[] checkpoint = CheckpointEnvelope.create(modelId, 1, 0, System.currentTimeMillis(), model.window(),
                model.horizon(), "{}", Map.of(), Map.of(), ModelPayload.write(ForecastNetworkFactory.build(model)),
                serve.hmacKey()).encode();
        try {
            producer.send(new ProducerRecord<>(serve.checkpointsTopic(), modelId, checkpoint)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the benchmark checkpoint: " + e.getCause().getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (service.models().version(modelId).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the benchmark checkpoint was not installed within " + timeout);
            }
            Thread.sleep(10);
        }
    }

}
