package io.sensorcast.ops.chaos;

import static io.sensorcast.ops.chaos.ChaosPipeline.Service.INGEST;
import static io.sensorcast.ops.chaos.ChaosPipeline.Service.SERVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sensorcast.kafka.Topics;
import io.sensorcast.model.ForecastNetworkFactory;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.checkpoint.CheckpointEnvelope;
import io.sensorcast.model.checkpoint.ModelPayload;
import io.sensorcast.serve.Forecast;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tampered models against a running {@code serve --require-signed} process: after one good signed checkpoint goes
 * live, checkpoints with a bad digest, a wrong HMAC, an unknown format version, NaN weights, a wrong shape, a 50 MB
 * payload and a Java-serialised object are published to {@code model-checkpoints}. Each must be counted under its
 * reason in serve's {@code /metrics}, none may go live (every later forecast is {@code lstm} with the good version),
 * and none may be deserialised (the serialised object would leave a marker file if its {@code readObject} ran).
 */
@Tag("chaos")
@Tag("integration")
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class TamperedCheckpointIT {
    private static final byte[] KEY = "chaos-checkpoint-key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_KEY = "someone-elses-key".getBytes(StandardCharsets.UTF_8);
    private static final ModelConfig MODEL = ModelConfig.defaults();
    private static final int SENSORS = 5;
    private static final long GOOD_VERSION = 1;

    @Test
    void shouldRejectEveryTamperedCheckpointWithItsReasonAndKeepServingTheVerifiedModel() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "chaos", "tampered-checkpoints-" + System.currentTimeMillis()));
        Path marker = dir.resolve("deserialised.marker").toAbsolutePath();
        try (ChaosPipeline pipeline = ChaosPipeline.start(dir,
                Map.of("SENSORCAST_CHECKPOINT_HMAC_KEY", new String(KEY, StandardCharsets.UTF_8)), List.of("--require-signed"),
                INGEST, SERVE);
             ReadingFeed feed = new ReadingFeed(pipeline.bootstrapServers(), "t", SENSORS);
             KafkaProducer<String, byte[]> checkpoints = checkpointProducer(pipeline.bootstrapServers())) {
            MultiLayerNetwork live = ForecastNetworkFactory.build(MODEL);
            checkpoints.send(new ProducerRecord<>(Topics.CHECKPOINTS, "default", signed(GOOD_VERSION, live, KEY).encode())).get();
            feed.feed(MODEL.window() + 4, 0);
            int before = SENSORS * ReadingFeed.expectedSequencesPerSensor(feed.steps(), MODEL.window());
            awaitForecasts(pipeline, before);

            Map<String, byte[]> tampered = tamperedCheckpoints(live, marker);
            for (byte[] bytes : tampered.values()) {
                checkpoints.send(new ProducerRecord<>(Topics.CHECKPOINTS, "default", bytes)).get();
            }
            Map<String, Double> rejected = new LinkedHashMap<>();
            ChaosPipeline.awaitTrue(Duration.ofMinutes(2), () -> {
                String scrape = pipeline.scrape(SERVE);
                tampered.keySet().forEach(reason -> rejected.put(reason, rejectedTotal(scrape, reason)));
                return rejected.values().stream().allMatch(n -> n >= 1);
            }, "every tampered checkpoint rejected with its reason: " + rejected + "\n" + pipeline.service(SERVE).tail());
            // more readings after the tampering: their forecasts must still come from the good model
            feed.feed(5, 0);
            int after = SENSORS * ReadingFeed.expectedSequencesPerSensor(feed.steps(), MODEL.window());
            List<Forecast> forecasts = awaitForecasts(pipeline, after);

            pipeline.assertAllAlive();
            tampered.keySet().forEach(reason -> assertEquals(1.0, rejected.get(reason), "rejected once as " + reason));
            for (Forecast f : forecasts) {
                assertEquals(Forecast.LSTM, f.method(), "forecast for " + f.sensor() + " at " + f.issuedAt());
                assertEquals(GOOD_VERSION, f.modelVersion(), "forecast for " + f.sensor() + " at " + f.issuedAt());
            }
            String scrape = pipeline.scrape(SERVE);
            assertEquals(GOOD_VERSION, sample(scrape, "sensorcast_serve_model_version", "model=\"default\""), "live version");
            assertEquals(1.0, sample(scrape, "sensorcast_serve_model_swaps_total", ""), "one swap: the good model");
            assertFalse(Files.exists(marker), "the Java-serialised checkpoint was deserialised: " + marker);
            System.out.printf("chaos tampered checkpoints: %d published to a running serve --require-signed, rejected %s;"
                            + " %d forecasts, all lstm v%d (%d after the tampering); nothing deserialised%n",
                    tampered.size(), rejected, forecasts.size(), GOOD_VERSION, after - before);
        }
    }

    /** reason code → envelope bytes that must be rejected for that reason; versions above the good one, so a swap would show. */
    private static Map<String, byte[]> tamperedCheckpoints(MultiLayerNetwork live, Path marker) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] digest = signed(2, live, KEY).encode();
        digest[digest.length - 10] ^= 0x01; // a bit of the updater state inside the payload: its SHA-256 no longer matches
        out.put("digest_mismatch", digest);
        out.put("hmac_mismatch", signed(3, live, OTHER_KEY).encode());
        byte[] format = signed(4, live, KEY).encode();
        ByteBuffer.wrap(format).putShort(4, (short) 99); // magic SCKP, then the format version
        out.put("unknown_format", format);
        MultiLayerNetwork nan = live.clone();
        nan.params().putScalar(5, Float.NaN);
        out.put("non_finite_weights", signed(5, nan, KEY).encode());
        out.put("incompatible_shape", CheckpointEnvelope.create("default", 6, 6, System.currentTimeMillis(), MODEL.window() / 2,
                MODEL.horizon(), "{}", Map.of(), Map.of(), ModelPayload.write(live), Optional.of(KEY)).encode());
        out.put("too_large", CheckpointEnvelope.create("default", 7, 7, System.currentTimeMillis(), MODEL.window(),
                MODEL.horizon(), "{}", Map.of(), Map.of(), new byte[50 * 1024 * 1024], Optional.of(KEY)).encode());
        out.put("unsafe_payload", CheckpointEnvelope.create("default", 8, 8, System.currentTimeMillis(), MODEL.window(),
                MODEL.horizon(), "{}", Map.of(), Map.of(), javaSerialised(new Gadget(marker.toString())), Optional.of(KEY)).encode());
        return out;
    }

    private static CheckpointEnvelope signed(long version, MultiLayerNetwork network, byte[] key) {
        return CheckpointEnvelope.create("default", version, version, System.currentTimeMillis(), MODEL.window(), MODEL.horizon(),
                "{}", Map.of("loss", 0.1), Map.of(), ModelPayload.write(network), Optional.of(key));
    }

    private static List<Forecast> awaitForecasts(ChaosPipeline pipeline, int expected) {
        List<List<Forecast>> last = new java.util.ArrayList<>(List.of(List.of()));
        ChaosPipeline.awaitTrue(Duration.ofMinutes(2), () -> {
            pipeline.assertAllAlive();
            last.set(0, TopicAudit.read(pipeline.bootstrapServers()).forecastList());
            return last.get(0).size() >= expected;
        }, expected + " forecasts\n" + pipeline.logs());
        assertEquals(expected, last.get(0).size(), "one forecast per sequence");
        return last.get(0);
    }

    private static double rejectedTotal(String scrape, String reason) {
        return sample(scrape, "sensorcast_serve_checkpoints_rejected_total", "reason=\"" + reason + "\"");
    }

    /** The value of the sample of {@code name} whose labels contain {@code label}; NaN if there is none. */
    private static double sample(String scrape, String name, String label) {
        Matcher m = Pattern.compile("^" + name + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return Double.NaN;
    }

    /**
     * Compresses batches so that the 50 MB checkpoint of zeros passes the topic's 16 MiB limit on the wire, as an
     * attacker would send it: serve's own size limit is what must stop it.
     */
    private static KafkaProducer<String, byte[]> checkpointProducer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1); // one record per batch: each checkpoint stands or falls alone
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static byte[] javaSerialised(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Leaves a marker file when deserialised: the serve process has this class on its classpath, as a real gadget would be. */
    static final class Gadget implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String marker;

        Gadget(String marker) {
            this.marker = marker;
        }

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(marker), "deserialised");
        }
    }
}
