package io.sensorcast.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.kafka.TemporaryDirectory;
import io.sensorcast.kafka.testing.KafkaCluster;
import io.sensorcast.kafka.testing.RealKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partitions move at once when an instance restarts after a crash or stops on purpose: the group does not wait for
 * the old member's session to expire. The session timeout here is 90 s, so an instance that waited for it could not
 * emit within the 45 s these specs allow.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(RealKafkaBroker.class)
class IngestGroupMembershipIntegrationTest {
    private static final long T0 = 1_732_440_000_000L;
    private static final long MIN = 60_000L;
    private static final int SENSORS = 8;
    private static final Duration WELL_BEFORE_THE_SESSION_EXPIRES = Duration.ofSeconds(45);

    private KafkaCluster kafka;
    private IngestConfig config;
    private int nextStep;

    @BeforeEach
    void configure(KafkaCluster kafka) {
        this.kafka = kafka;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        config = IngestConfig.defaults().withApplicationId("ingest-membership-" + suffix)
                .withTopics("readings-" + suffix, "sequences-" + suffix, "dlq-" + suffix)
                .withTopicPartitions(4).withWindow(2).withGrace(Duration.ZERO)
                .withStreamsOverrides(Map.of("main.consumer.session.timeout.ms", 90_000));
    }

    @Test
    void shouldTakeItsPartitionsBackAtOnceWhenRestartedAfterACrash() throws Exception {
        try (TemporaryDirectory state = TemporaryDirectory.create("ingest-membership-");
             KafkaConsumer<byte[], byte[]> sequences = sequenceConsumer()) {
            IngestService crashed = start(config.withStateDir(state.path()));
            try {
                assertEquals(SENSORS, emitStepForEverySensor(sequences, Duration.ofSeconds(60)), "before the crash");
                // to the group this is a crash: the member stays in it and stops heartbeating
                crashed.streams().close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));

                try (IngestService restarted = start(config.withStateDir(state.path()))) {
                    assertEquals(SENSORS, emitStepForEverySensor(sequences, WELL_BEFORE_THE_SESSION_EXPIRES),
                            "sensors with a sequence after the restart");
                }
            } finally {
                crashed.close();   // only now: its clean close must not be what lets the restarted one in
            }
        }
    }

    @Test
    void shouldHandItsPartitionsToTheOtherInstancesAtOnceWhenItStops() throws Exception {
        try (TemporaryDirectory stateA = TemporaryDirectory.create("ingest-membership-a-");
             TemporaryDirectory stateB = TemporaryDirectory.create("ingest-membership-b-");
             KafkaConsumer<byte[], byte[]> sequences = sequenceConsumer();
             IngestService stays = start(config.withStateDir(stateB.path()))) {
            IngestService stops = start(config.withStateDir(stateA.path()));
            assertEquals(SENSORS, emitStepForEverySensor(sequences, Duration.ofSeconds(60)), "with two instances");

            stops.close();

            assertEquals(SENSORS, emitStepForEverySensor(sequences, WELL_BEFORE_THE_SESSION_EXPIRES),
                    "sensors with a sequence after one instance stopped");
        }
    }

    private IngestService start(IngestConfig c) {
        IngestService service = IngestService.start(c, kafka.bootstrapServers(), new SimpleMeterRegistry());
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "state " + service.state());
        return service;
    }

    /**
     * Sends every sensor its next steps until each has emitted one more sequence (W = 2, no grace: the first call
     * needs three steps, later ones one), and returns how many sensors did within {@code timeout}.
     */
    private int emitStepForEverySensor(KafkaConsumer<byte[], byte[]> sequences, Duration timeout) throws Exception {
        int steps = nextStep == 0 ? 3 : 1;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int k = nextStep; k < nextStep + steps; k++) {
                for (int s = 0; s < SENSORS; s++) {
                    producer.send(new ProducerRecord<>(config.readingsTopic(), "m" + s,
                            new Reading("m" + s, T0 + k * MIN + 1_000, s + k).toJsonBytes())).get();
                }
            }
        }
        nextStep += steps;
        if (sequences.assignment().isEmpty()) {   // the topic exists once the first instance has started
            sequences.assign(sequences.partitionsFor(config.sequencesTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
        }
        long lastEnd = T0 + (nextStep - 2) * MIN;
        Set<String> emitted = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (emitted.size() < SENSORS && System.nanoTime() < deadline) {
            sequences.poll(Duration.ofMillis(200)).forEach(r -> {
                SensorSequence s = SensorSequenceJson.fromBytes(r.value());
                if (s.end() == lastEnd) {
                    emitted.add(s.sensor());
                }
            });
        }
        return emitted.size();
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> sequenceConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
