package io.sensorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.IngestService;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSimulator;
import io.sensorcast.kafka.EmbeddedKafkaBroker;
import io.sensorcast.kafka.testing.TestCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Kafka client security passes through over TLS: against the embedded broker with only an SSL client listener (and,
 * nested, one that requires client certificates, and only a SASL_SSL one with SCRAM-SHA-256), {@code produce}, {@code consume}, ingest, and {@code demo} and
 * {@code soak} pointed at it reach it with the settings of a {@code --config} file ({@code kafka.security.protocol},
 * {@code kafka.ssl.truststore.*}, …), a client that does not trust the broker's CA fails the handshake, and no
 * password shows in the output or the logs.
 * The certificates are made for each run by {@link TestCertificates}.
 */
@Tag("integration")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaTlsIntegrationTest {
    private static final long START_MS = 1732406400000L; // 2024-11-24T00:00:00Z

    @TempDir
    static Path dir;
    private TestCertificates tls;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    void makeCertificates() {
        tls = TestCertificates.create(dir);
    }

    @BeforeEach
    void captureLogs() {
        logs.list.clear();
        logs.start();
        rootLogger().addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        rootLogger().detachAppender(logs);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OverSsl {
        private EmbeddedKafkaBroker broker;
        private Path clientConfig;

        @BeforeAll
        void startBrokerWithSslListener() throws IOException {
            broker = EmbeddedKafkaBroker.startWithTls(dir.resolve("kafka-ssl"), tls.brokerKeystore(), tls.password());
            clientConfig = sslConfig("ssl.properties");
        }

        @AfterAll
        void stopBroker() {
            if (broker != null) {
                broker.close();
            }
        }

        @Test
        void shouldFailTheHandshakeWhenTheClientDoesNotTrustTheBrokersCa() {
            // SSL with the JDK's default truststore, which does not hold the test CA
            Map<String, Object> untrusting = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            try (Admin admin = Admin.create(untrusting)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
                assertInstanceOf(SslAuthenticationException.class, e.getCause());
            }
        }

        @Test
        void shouldSayTheBrokerRefusedTheConnectionWhenProduceLacksTheTruststore() throws IOException {
            Path noTruststore = Files.writeString(dir.resolve("ssl-no-truststore.properties"), "kafka.security.protocol=SSL\n");
            CliRun produce = CliRun.of("produce", "--simulate", "1", "--max-readings", "1", "--config", noTruststore.toString(),
                    "-b", broker.bootstrapServers());
            assertEquals(1, produce.exitCode(), produce.err());
            assertTrue(produce.err().startsWith("sensorcast produce: Kafka at " + broker.bootstrapServers()
                    + " refused the connection: SSL handshake failed"), produce.err());
        }

        @Test
        void shouldRoundTripReadingsThroughProduceAndConsume() {
            CliRun[] runs = assertRoundTrip(broker, clientConfig, "tls-readings-", 3, 7, 10);
            assertPasswordNowhere(tls.password(), runs);
        }

        @Test
        void shouldTurnReadingsIntoSequencesWhenIngestRunsOverTls() throws Exception {
            // ingest gets its client settings the way the ingest command does: the --config file's kafka.* keys
            KafkaConnection connection = KafkaConnection.of(broker.bootstrapServers(), Settings.kafkaClientOnly(clientConfig, Map.of()));
            String id = UUID.randomUUID().toString().substring(0, 8);
            IngestConfig config = IngestConfig.defaults().withApplicationId("ingest-tls-" + id)
                    .withTopics("readings-" + id, "sequences-" + id, "dead-letters-" + id)
                    .withWindow(4).withTopicPartitions(1).withStateDir(dir.resolve("ingest-state"))
                    .withStreamsOverrides(connection.clientSettings());
            try (IngestService ingest = IngestService.start(config, connection.bootstrapServers(), new SimpleMeterRegistry())) {
                assertTrue(ingest.awaitRunning(Duration.ofSeconds(90)), "ingest RUNNING over TLS: " + ingest.state());
                CliRun produce = CliRun.of("produce", "--simulate", "1", "--max-readings", "10", "--rate", "0",
                        "--start", "2024-11-24T00:00:00Z", "--topic", config.readingsTopic(),
                        "--config", clientConfig.toString(), "-b", broker.bootstrapServers());
                assertEquals(0, produce.exitCode(), produce.err());

                CliRun consume = CliRun.of("consume", "--topic", config.sequencesTopic(), "--max", "4", "--timeout", "60s",
                        "--compact", "--config", clientConfig.toString(), "-b", broker.bootstrapServers());
                assertEquals(0, consume.exitCode(), consume.err());
                // readings 00:00 … 00:09, one a minute; with 2 min grace stream time 00:09 closes the steps ending by
                // 00:07, i.e. 00:00 … 00:06, and a 4-step window is complete at steps 00:03, 00:04, 00:05 and 00:06
                List<Long> ends = new ArrayList<>();
                ObjectMapper json = new ObjectMapper();
                for (String line : consume.out().lines().toList()) {
                    JsonNode sequence = json.readTree(line.substring(line.indexOf('\t') + 1));
                    assertEquals("sim-0000.temp", sequence.get("sensor").asText());
                    ends.add(sequence.get("end").asLong());
                }
                assertEquals(List.of(START_MS + 3 * 60_000, START_MS + 4 * 60_000, START_MS + 5 * 60_000, START_MS + 6 * 60_000), ends);
                assertPasswordNowhere(tls.password(), produce, consume);
            }
        }
    }

    /** demo and soak run their services against a cluster of their own: each gets its own TLS broker. */
    @Nested
    class SelfContainedCommandsAgainstAnExternalTlsCluster {
        @Test
        void shouldRunTheDemoWithEveryClientOverTls() throws IOException {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startWithTls(dir.resolve("kafka-demo"), tls.brokerKeystore(), tls.password())) {
                CliRun demo = CliRun.of("demo", "--duration", "45s", "--sensors", "4", "--batch-size", "16", "--metrics-port", "0",
                        "--data-dir", dir.resolve("demo").toString(), "--config", sslConfig("demo-ssl.properties").toString(),
                        "-b", broker.bootstrapServers());
                assertEquals(0, demo.exitCode(), demo.err() + demo.out());
                assertFalse(demo.out().contains("Starting an embedded Kafka broker"), demo.out());
                List<String> progress = demo.out().lines().filter(l -> l.startsWith("[")).toList();
                String last = progress.get(progress.size() - 1);
                // readings in through the pump, sequences out of ingest, training steps from the trainer's
                // transactional consumer and producer, forecasts from serve: every client got the TLS settings
                assertTrue(number(last, "readings ([\\d,]+)") > 0, last);
                assertTrue(number(last, "sequences ([\\d,]+)") > 0, last);
                assertTrue(number(last, "step (\\d+)") > 0, last);
                assertTrue(number(last, "forecasts lstm ([\\d,]+)") + number(last, "persistence ([\\d,]+)") > 0, last);
                assertPasswordNowhere(tls.password(), demo);
            }
        }

        @Test
        void shouldRunTheSoakWithEveryClientOverTls() throws IOException {
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startWithTls(dir.resolve("kafka-soak"), tls.brokerKeystore(), tls.password())) {
                Path json = dir.resolve("soak.json");
                CliRun soak = CliRun.of("soak", "--duration", "30s", "--rate", "200", "--sensors", "10", "--sample-every", "15s",
                        "--out", json.toString(), "--config", sslConfig("soak-ssl.properties").toString(), "-b", broker.bootstrapServers());
                assertEquals(0, soak.exitCode(), soak.err() + soak.out());
                JsonNode samples = new ObjectMapper().readTree(json.toFile()).get("samples");
                assertEquals(2, samples.size(), soak.out());
                JsonNode last = samples.get(1);
                // a lag of -1 would mean the soak's admin client could not read the offsets
                assertTrue(last.get("consumerLag").asLong() >= 0, last.toString());
                assertTrue(last.get("readingsSent").asLong() > 0, last.toString());
                assertTrue(last.get("forecasts").asDouble() > 0, last.toString());
                assertPasswordNowhere(tls.password(), soak);
            }
        }

        private static long number(String line, String regex) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(line);
            assertTrue(m.find(), regex + " not in " + line);
            return Long.parseLong(m.group(1).replace(",", ""));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OverMutualTls {
        private EmbeddedKafkaBroker broker;

        @BeforeAll
        void startBrokerThatRequiresClientCertificates() {
            broker = EmbeddedKafkaBroker.startWithMutualTls(dir.resolve("kafka-mtls"), tls.brokerKeystore(), tls.password(),
                    tls.clientTruststore(), tls.password());
        }

        @AfterAll
        void stopBroker() {
            if (broker != null) {
                broker.close();
            }
        }

        @Test
        void shouldRefuseAClientThatPresentsNoCertificate() throws IOException {
            CliRun produce = CliRun.of("produce", "--simulate", "1", "--max-readings", "1", "--config",
                    sslConfig("mtls-no-keystore.properties").toString(), "-b", broker.bootstrapServers());

            assertEquals(1, produce.exitCode(), produce.err());
            assertEquals(1, produce.err().strip().lines().count(), produce.err());
            // under TLS 1.3 the broker's refusal arrives as an alert after the client's side of the handshake
            assertTrue(produce.err().startsWith("sensorcast produce: Kafka at " + broker.bootstrapServers()
                    + " refused the connection: ") && produce.err().contains("certificate"), produce.err());
        }

        @Test
        void shouldRoundTripReadingsWithTheClientCertificateFromTheConfig() throws IOException {
            Path clientConfig = Files.writeString(dir.resolve("mtls.properties"), Files.readString(sslConfig("mtls-base.properties"))
                    + String.join("\n",
                    "kafka.ssl.keystore.type=PKCS12",
                    "kafka.ssl.keystore.location=" + tls.clientKeystore(),
                    "kafka.ssl.keystore.password=" + tls.password(),
                    "kafka.ssl.key.password=" + tls.password()) + "\n");
            CliRun[] runs = assertRoundTrip(broker, clientConfig, "mtls-readings-", 2, 5, 3);
            assertPasswordNowhere(tls.password(), runs);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OverSaslSsl {
        private static final String USER = "sensorcast";
        private static final String PASSWORD = "scram-over-tls-51c2";
        private EmbeddedKafkaBroker broker;

        @BeforeAll
        void startBrokerWithSaslSslListener() {
            broker = EmbeddedKafkaBroker.startWithTlsAndScramUser(dir.resolve("kafka-sasl-ssl"), tls.brokerKeystore(),
                    tls.password(), USER, PASSWORD);
        }

        @AfterAll
        void stopBroker() {
            if (broker != null) {
                broker.close();
            }
        }

        @Test
        void shouldRoundTripReadingsWithScramCredentialsOverTls() throws IOException {
            Path clientConfig = saslSslConfig("sasl-ssl.properties", PASSWORD);
            CliRun[] runs = assertRoundTrip(broker, clientConfig, "sasl-ssl-readings-", 2, 3, 3);
            assertPasswordNowhere(PASSWORD, runs);
            assertPasswordNowhere(tls.password(), runs);
        }

        @Test
        void shouldFailAuthenticationInOneLineWithoutEchoingAWrongPassword() throws IOException {
            Path wrong = saslSslConfig("sasl-ssl-wrong.properties", "not-the-password-77");
            CliRun consume = CliRun.of("consume", "--topic", "forecasts", "--max", "1", "--timeout", "30s",
                    "--config", wrong.toString(), "-b", broker.bootstrapServers());
            assertEquals(1, consume.exitCode(), consume.err());
            assertEquals(1, consume.err().strip().lines().count(), consume.err());
            assertTrue(consume.err().contains("Authentication failed"), consume.err());
            assertPasswordNowhere("not-the-password-77", consume);
        }

        private Path saslSslConfig(String name, String password) throws IOException {
            return Files.writeString(dir.resolve(name), String.join("\n",
                    "kafka.security.protocol=SASL_SSL",
                    "kafka.sasl.mechanism=SCRAM-SHA-256",
                    "kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                            + USER + "\" password=\"" + password + "\";",
                    "kafka.ssl.truststore.location=" + tls.clientTruststore(),
                    "kafka.ssl.truststore.password=" + tls.password()) + "\n");
        }
    }

    /**
     * {@code produce --simulate sensors --seed seed} of {@code steps} steps into a fresh topic, then {@code consume}
     * of it, both with {@code clientConfig}: what comes back is exactly what the same seed gives. Returns both runs.
     */
    private static CliRun[] assertRoundTrip(EmbeddedKafkaBroker broker, Path clientConfig, String topicPrefix, int sensors,
                                            long seed, int steps) {
        String topic = topicPrefix + UUID.randomUUID();
        int readings = sensors * steps;
        CliRun produce = CliRun.of("produce", "--simulate", String.valueOf(sensors), "--max-readings", String.valueOf(readings),
                "--rate", "0", "--seed", String.valueOf(seed), "--start", "2024-11-24T00:00:00Z", "--topic", topic,
                "--config", clientConfig.toString(), "-b", broker.bootstrapServers());
        assertEquals(0, produce.exitCode(), produce.err());
        CliRun consume = CliRun.of("consume", "--topic", topic, "--max", String.valueOf(readings), "--timeout", "60s",
                "--compact", "--config", clientConfig.toString(), "-b", broker.bootstrapServers());
        assertEquals(0, consume.exitCode(), consume.err());
        SensorSimulator expected = new SensorSimulator(sensors, seed, START_MS, Duration.ofMinutes(1));
        List<String> expectedLines = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            for (Reading r : expected.tick()) {
                expectedLines.add(r.sensor() + "\t" + r.toJson());
            }
        }
        assertEquals(sorted(expectedLines), sorted(consume.out().lines().toList()));
        return new CliRun[] {produce, consume};
    }

    /** A --config file with the settings a client needs to reach the SSL listener. */
    private Path sslConfig(String name) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n",
                "kafka.security.protocol=SSL",
                "kafka.ssl.truststore.location=" + tls.clientTruststore(),
                "kafka.ssl.truststore.type=PKCS12",
                "kafka.ssl.truststore.password=" + tls.password()) + "\n");
    }

    private void assertPasswordNowhere(String password, CliRun... runs) {
        for (CliRun run : runs) {
            assertFalse(run.out().contains(password), "password in the output");
            assertFalse(run.err().contains(password), "password on stderr: " + run.err());
        }
        assertFalse(logs.list.isEmpty(), "logs were captured");
        logs.list.forEach(e -> assertFalse(e.getFormattedMessage().contains(password), "password logged: " + e.getFormattedMessage()));
    }

    private static Logger rootLogger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }
}
