package io.sensorcast.serve;

import static io.sensorcast.serve.ServeDriver.H;
import static io.sensorcast.serve.ServeDriver.T0;
import static io.sensorcast.serve.ServeDriver.W;
import static io.sensorcast.serve.ServeDriver.envelope;
import static io.sensorcast.serve.ServeDriver.network;
import static io.sensorcast.serve.ServeDriver.rising;
import static io.sensorcast.serve.ServeDriver.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A checkpoint that fails verification is counted and logged once with its reason; the live model stays. */
class ServeTopologyRejectionTest {
    private final Logger loaderLog = (Logger) LoggerFactory.getLogger(CheckpointLoader.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        loaderLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        loaderLog.detachAppender(logs);
    }

    @Test
    void shouldRejectTamperedCheckpointWithDigestMismatchAndKeepServingPreviousVersion() {
        byte[] tampered = envelope("default", 2, network(2));
        tampered[tampered.length - 10] ^= 0x01;   // one bit of the payload: its SHA-256 no longer matches
        try (ServeDriver d = new ServeDriver()) {
            d.pipeCheckpoint("default", envelope("default", 1, network(1)), T0);
            d.pipeCheckpoint("default", tampered, T0 + 1);
            d.pipe(sequence("s1", T0, rising(), 0, 1));

            Forecast f = d.forecasts.readValue();
            assertEquals("lstm", f.method());
            assertEquals(1L, f.modelVersion());
            assertEquals(1.0, d.counter("sensorcast.serve.checkpoints.rejected", "reason", "digest_mismatch"));
            assertEquals(1.0, d.gauge("sensorcast.serve.model.version", "model", "default"));
            assertEquals(1.0, d.counter("sensorcast.serve.model.swaps"));
            List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(1, warnings.size(), "logged once");
            assertTrue(warnings.get(0).getFormattedMessage().contains("reason=[digest_mismatch]"), warnings.get(0).getFormattedMessage());
            assertTrue(warnings.get(0).getFormattedMessage().contains("still serving version [1]"), warnings.get(0).getFormattedMessage());
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldKeepTheLastVerifiedEnvelopeInTheCheckpointStoreWhenATamperedOneArrives() {
        byte[] good = envelope("default", 1, network(1));
        byte[] tampered = envelope("default", 2, network(2));
        tampered[tampered.length - 10] ^= 0x01;
        try (ServeDriver d = new ServeDriver()) {
            d.pipeCheckpoint("default", good, T0);
            d.pipeCheckpoint("default", tampered, T0 + 1);

            // what a restarted serve re-verifies first: the live model's bytes, not the rejected ones
            byte[] stored = d.driver.<String, byte[]>getKeyValueStore(ServeTopology.CHECKPOINT_STORE).get("default");
            assertTrue(java.util.Arrays.equals(good, stored), "the store holds the verified envelope");
        }
    }

    @Test
    void shouldRejectCheckpointOfIncompatibleShapeAndKeepForecastingPersistence() {
        // trained for W = 24, horizon 4: the sequences here have W = 12
        byte[] wrongWindow = envelope("default", 1, network(1), 2 * W, H, Optional.empty());
        try (ServeDriver d = new ServeDriver()) {
            d.pipeCheckpoint("default", wrongWindow, T0);
            d.pipe(sequence("s1", T0, rising(), 0, 1));

            assertEquals("persistence", d.forecasts.readValue().method());
            assertEquals(1.0, d.counter("sensorcast.serve.checkpoints.rejected", "reason", "incompatible_shape"));
            assertEquals(0.0, d.counter("sensorcast.serve.model.swaps"));
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldRejectUnsignedCheckpointWhenHmacKeyIsConfigured() {
        byte[] key = "serve-test-key".getBytes(StandardCharsets.UTF_8);
        try (ServeDriver d = new ServeDriver(ServeDriver.CONFIG.withHmacKey(Optional.of(key)))) {
            d.pipeCheckpoint("default", envelope("default", 1, network(1)), T0);
            d.pipe(sequence("s1", T0, rising(), 0, 1));
            d.pipeCheckpoint("default", envelope("default", 2, network(2), W, H, Optional.of(key)), T0 + 1);
            d.pipe(sequence("s1", T0 + ServeDriver.STEP, rising(), 0, 1));

            assertEquals(List.of("persistence/null", "lstm/2"),
                    d.readAll().stream().map(f -> f.method() + "/" + f.modelVersion()).toList());
            assertEquals(1.0, d.counter("sensorcast.serve.checkpoints.rejected", "reason", "hmac_missing"));
            assertTrue(d.forecasts.isEmpty());
        }
    }

    @Test
    void shouldRejectCheckpointWhoseRecordKeyDiffersFromItsModelId() {
        try (ServeDriver d = new ServeDriver()) {
            d.pipeCheckpoint("default", envelope("other", 1, network(1)), T0);
            d.pipe(sequence("s1", T0, rising(), 0, 1));

            assertEquals("persistence", d.forecasts.readValue().method());
            assertEquals(1.0, d.counter("sensorcast.serve.checkpoints.rejected", "reason", "model_id_mismatch"));
            assertTrue(d.models.snapshot().isEmpty());
            assertTrue(d.forecasts.isEmpty());
        }
    }
}
