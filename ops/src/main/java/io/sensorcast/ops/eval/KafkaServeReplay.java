package io.sensorcast.ops.eval;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.serve.Forecast;
import io.sensorcast.serve.ServeConfig;
import io.sensorcast.serve.ServeService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The serve service itself ({@link ServeService}: Kafka Streams on {@code ServeTopology}, exactly-once) on a cluster,
 * with this run's own topics for one role. Checkpoints are produced to its {@code model-checkpoints} topic and count
 * as delivered once serve's model registry holds that version (the global store has verified and swapped it in);
 * sequences are produced to its {@code sensor-sequences} topic and a batch is answered once as many forecasts have
 * been read {@code read_committed} from its {@code forecasts} topic (serve forecasts every sequence exactly once).
 */
public final class KafkaServeReplay extends ServeReplay {
    private final KafkaEvalTransport kafka;
    private final TemporaryDirectory state;
    private final SimpleMeterRegistry registry;
    private final ServeService service;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> forecasts;
    private final Deserializer<Forecast> forecastDeserializer = Forecast.serde().deserializer();

    private KafkaServeReplay(KafkaEvalTransport kafka, ServeConfig config, TemporaryDirectory state) {
        super(config);
        this.kafka = kafka;
        this.state = state;
        this.registry = new SimpleMeterRegistry();
        this.service = ServeService.start(config, kafka.bootstrapServers(), registry, kafka.stallTimeout());
        this.producer = kafka.producer(config.maxCheckpointBytes() + 1024 * 1024);
        this.forecasts = kafka.committedReader();
    }

    static KafkaServeReplay start(KafkaEvalTransport kafka, ServeConfig config, String role) {
        String app = kafka.applicationId(role + "-serve");
        TemporaryDirectory state = TemporaryDirectory.create("sensorcast-eval-serve-");
        // one partition per topic: the replay is one sensor; a 20 ms commit interval because a forecast is readable
        // (read_committed) only after serve's commit, and the online phase waits for every batch
        ServeConfig c = config.withApplicationId(app).withTopics(app + "-sequences", app + "-checkpoints", app + "-forecasts")
                .withTopicPartitions(1).withStateDir(state.path()).withCommitInterval(Duration.ofMillis(20));
        KafkaServeReplay replay = null;
        try {
            replay = new KafkaServeReplay(kafka, c, state);
            replay.awaitRunning();
            KafkaEvalTransport.assignFromStart(replay.forecasts, c.forecastsTopic(), kafka.stallTimeout());
            return replay;
        } catch (RuntimeException e) {
            if (replay != null) {
                replay.close();
            } else {
                state.close();
                kafka.deleteResources(app);
            }
            throw e;
        }
    }

    private void awaitRunning() {
        if (!service.awaitRunning(kafka.stallTimeout())) {
            throw new IllegalStateException("serve did not start on Kafka at " + kafka.bootstrapServers() + " within "
                    + kafka.stallTimeout().toSeconds() + " s (it is " + service.state() + ")");
        }
    }

    @Override
    protected void deliverCheckpoint(byte[] envelope, long version) {
        double rejectedBefore = rejected();
        send(new ProducerRecord<>(config.checkpointsTopic(), bytes(config.defaultModelId()), envelope));
        StallWatch watch = new StallWatch("serve on Kafka to swap in model version " + version, kafka.stallTimeout());
        while (!service.models().version(config.defaultModelId()).equals(Optional.of(version))) {
            if (rejected() > rejectedBefore) {
                throw new IllegalStateException("serve on Kafka rejected model version " + version + " (see its log)");
            }
            watch.progress(0, 1, () -> " (serving version " + service.models().version(config.defaultModelId()).orElse(null) + ")");
            StallWatch.pause(Duration.ofMillis(5)); // an in-memory look: the online phase waits for this every batch
        }
    }

    @Override
    protected List<Forecast> answer(List<SensorSequence> batch) {
        for (SensorSequence s : batch) {
            // the record's timestamp is the producer's clock, not the sequence's end: serve reads event time from the
            // sequence, and historical timestamps would let the topics' time retention delete records as they arrive
            producer.send(new ProducerRecord<>(config.sequencesTopic(), bytes(s.sensor()), SensorSequenceJson.toBytes(s)));
        }
        producer.flush();
        List<Forecast> answered = new ArrayList<>(batch.size());
        StallWatch watch = new StallWatch("serve on Kafka to forecast " + batch.size() + " sequences", kafka.stallTimeout());
        while (answered.size() < batch.size()) {
            for (ConsumerRecord<byte[], byte[]> r : forecasts.poll(Duration.ofMillis(100))) {
                answered.add(forecastDeserializer.deserialize(r.topic(), r.value()));
            }
            KafkaStreams.State s = service.state();
            if (!s.isRunningOrRebalancing()) {
                throw new IllegalStateException("serve on Kafka stopped (" + s + ") after " + answered.size() + " of "
                        + batch.size() + " forecasts");
            }
            watch.progress(answered.size(), batch.size(), () -> " (forecasts read_committed; serve is " + service.state() + ")");
        }
        return answered;
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot produce to " + record.topic() + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + record.topic(), e);
        }
    }

    private double rejected() {
        return registry.find("sensorcast.serve.checkpoints.rejected").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            producer.close();
            forecasts.close();
            service.close();
        } finally {
            kafka.deleteResources(config.applicationId());
            state.close();
        }
    }
}
