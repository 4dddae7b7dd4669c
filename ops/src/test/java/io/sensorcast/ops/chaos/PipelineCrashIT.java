package io.sensorcast.ops.chaos;

import static io.sensorcast.ops.chaos.ChaosPipeline.Service.INGEST;
import static io.sensorcast.ops.chaos.ChaosPipeline.Service.SERVE;
import static io.sensorcast.ops.chaos.ChaosPipeline.Service.TRAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sensorcast.ops.chaos.ChaosPipeline.Service;
import io.sensorcast.serve.Forecast;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Crash and restart, with broker, ingest, trainer and serve as separate processes and a steady stream of 20 sensors:
 * each service in turn is killed with {@code kill -9} in the middle of the stream and started again, then the broker
 * is stopped and started on the same data directory. After each fault, a {@code read_committed} reader must see every
 * sensor's sequences complete (the exact count the fed steps give, no hole, no interpolated step, no duplicate) and
 * exactly one forecast per sequence. The faults accumulate: each test audits everything since the start.
 */
@Tag("chaos")
@Tag("integration")
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineCrashIT {
    private static final int SENSORS = 20;
    private static final int WINDOW = 96;
    /** Steps fed around each fault: 60 steps × 20 sensors, one step every 50 ms; the fault lands half-way. */
    private static final int STEPS_PER_FAULT = 60;
    private static final long PAUSE_MS = 50;
    /**
     * Longer than every client timeout the services run with: the producers' 60 s {@code max.block.ms} (the trainer's
     * too), the trainer's 60 s transaction timeout, Kafka Streams' 10 s transaction timeout under exactly-once and the
     * 30 s request timeout; before the services recovered by themselves, serve and the trainer died in such an outage.
     */
    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(75);
    private static final Pattern RESUMED = Pattern.compile("trainer resumed model=\\[default] version=\\[(\\d+)]");

    private ChaosPipeline pipeline;
    private ReadingFeed feed;
    /** Forecasts for sequences ending after this were made once a verified model was live. */
    private long modelLiveFrom;

    @BeforeAll
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void startPipelineAndWarmUp() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "chaos", "pipeline-crash-" + System.currentTimeMillis()));
        pipeline = ChaosPipeline.start(dir, INGEST, TRAIN, SERVE);
        feed = new ReadingFeed(pipeline.bootstrapServers(), "c", SENSORS);
        // enough windows for the trainer to publish a checkpoint, then more until serve forecasts with it
        feed.feed(130, 0);
        ChaosPipeline.awaitTrue(Duration.ofMinutes(3), () -> !TopicAudit.read(pipeline.bootstrapServers()).checkpointVersions().isEmpty(),
                "a first checkpoint\n" + pipeline.logs());
        long t0 = System.nanoTime();
        while (true) {
            feed.feed(2, 0);
            TopicAudit a = awaitCaughtUp(Duration.ofMinutes(2));
            List<Forecast> fs = a.forecastList();
            Forecast newest = fs.stream().max(java.util.Comparator.comparingLong(Forecast::issuedAt)).orElseThrow();
            if (Forecast.LSTM.equals(newest.method())) {
                modelLiveFrom = newest.issuedAt();
                break;
            }
            assertTrue(System.nanoTime() - t0 < Duration.ofMinutes(2).toNanos(), "serve never forecast with a model\n" + pipeline.logs());
        }
        System.out.printf("chaos warm-up: %d steps × %d sensors fed, first lstm forecast for step ending %d%n",
                feed.steps(), SENSORS, modelLiveFrom);
    }

    @AfterAll
    void stopPipeline() {
        if (feed != null) {
            feed.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void shouldForecastEverySequenceExactlyOnceWhenServeIsKilledMidStream() {
        Duration recovery = killMidStreamAndRestart(SERVE);
        assertKeptItsLocalState(SERVE);

        TopicAudit a = assertExactlyOnce(SERVE, recovery);
        long persistenceSinceModel = a.forecastList().stream()
                .filter(f -> f.issuedAt() > modelLiveFrom && Forecast.PERSISTENCE.equals(f.method())).count();
        // the restarted serve restores the global checkpoint store before it processes a sequence
        assertEquals(0, persistenceSinceModel, "persistence forecasts after the restart\n" + pipeline.logs());
    }

    @Test
    @Order(2)
    void shouldEmitEverySequenceExactlyOnceWhenIngestIsKilledMidStream() {
        Duration recovery = killMidStreamAndRestart(INGEST);
        assertKeptItsLocalState(INGEST);

        assertExactlyOnce(INGEST, recovery);
    }

    @Test
    @Order(3)
    void shouldResumeFromTheLastCommittedCheckpointWhenTrainerIsKilledMidStream() {
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> feed.feed(STEPS_PER_FAULT, PAUSE_MS));
        sleep(STEPS_PER_FAULT * PAUSE_MS / 2);
        pipeline.service(TRAIN).kill();
        List<Long> committedBeforeKill = TopicAudit.read(pipeline.bootstrapServers()).checkpointVersions();
        long lastBeforeKill = committedBeforeKill.get(committedBeforeKill.size() - 1);
        long t0 = System.nanoTime();
        pipeline.service(TRAIN).start();
        feeding.join();

        ChaosPipeline.awaitTrue(Duration.ofMinutes(2), () -> RESUMED.matcher(lastStart(TRAIN)).find(),
                "the restarted trainer resumed\n" + pipeline.service(TRAIN).tail());
        Duration resumed = Duration.ofNanos(System.nanoTime() - t0);
        Matcher m = RESUMED.matcher(lastStart(TRAIN));
        assertTrue(m.find());
        assertEquals(lastBeforeKill, Long.parseLong(m.group(1)), "restored version");
        // the next checkpoint continues the numbering
        ChaosPipeline.awaitTrue(Duration.ofMinutes(2), () -> {
            feed.feed(1, 0);
            return TopicAudit.read(pipeline.bootstrapServers()).checkpointVersions().stream().anyMatch(v -> v > lastBeforeKill);
        }, "a checkpoint after the restart\n" + pipeline.service(TRAIN).tail());
        Duration newCheckpoint = Duration.ofNanos(System.nanoTime() - t0);
        awaitCaughtUp(Duration.ofMinutes(2));

        TopicAudit a = assertExactlyOnce(TRAIN, newCheckpoint);
        List<Long> versions = a.checkpointVersions();
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "checkpoint versions strictly increase: " + versions);
        }
        assertEquals(lastBeforeKill + 1, versions.get(committedBeforeKill.size()), "first version after the restart: " + versions);
        System.out.printf("chaos trainer kill -9: resumed from version %d in %.1f s, next checkpoint v%d after %.1f s; versions %s%n",
                lastBeforeKill, resumed.toMillis() / 1000.0, lastBeforeKill + 1, newCheckpoint.toMillis() / 1000.0, versions);
    }

    @Test
    @Order(4)
    void shouldContinueWithNothingLostWhenTheBrokerIsAwayLongerThanTheClientTimeouts() {
        List<Long> versionsBefore = TopicAudit.read(pipeline.bootstrapServers()).checkpointVersions();
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> feed.feed(STEPS_PER_FAULT, PAUSE_MS));
        sleep(STEPS_PER_FAULT * PAUSE_MS / 2);
        pipeline.stopBroker();
        long down = System.nanoTime();
        for (Service s : Service.values()) {
            ChaosPipeline.awaitTrue(Duration.ofSeconds(30), () -> pipeline.health(s) == 503,
                    s + " /health reports the outage\n" + pipeline.service(s).tail());
        }
        Duration unready = Duration.ofNanos(System.nanoTime() - down);
        sleep(Math.max(0, BROKER_OUTAGE.toMillis() - (System.nanoTime() - down) / 1_000_000));
        pipeline.assertAllAlive();
        Duration outage = Duration.ofNanos(System.nanoTime() - down);
        Duration brokerStart = pipeline.startBrokerAgain();
        long t0 = System.nanoTime();
        feeding.join();
        for (Service s : Service.values()) {
            ChaosPipeline.awaitTrue(Duration.ofMinutes(3), () -> pipeline.health(s) == 200,
                    s + " /health ready again by itself\n" + pipeline.service(s).tail());
        }
        Duration ready = Duration.ofNanos(System.nanoTime() - t0);
        awaitCaughtUp(Duration.ofMinutes(5));
        Duration recovery = Duration.ofNanos(System.nanoTime() - t0);
        // the trainer carries on from its last committed checkpoint: a new version after the outage, numbering unbroken
        ChaosPipeline.awaitTrue(Duration.ofMinutes(2), () -> {
            feed.feed(1, 0);
            return TopicAudit.read(pipeline.bootstrapServers()).checkpointVersions().size() > versionsBefore.size();
        }, "a checkpoint after the outage\n" + pipeline.service(TRAIN).tail());
        awaitCaughtUp(Duration.ofMinutes(2));

        TopicAudit a = assertExactlyOnce("broker restart", recovery);
        List<Long> versions = a.checkpointVersions();
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "checkpoint versions strictly increase: " + versions);
        }
        System.out.printf("chaos broker restart: broker away %.1f s (every /health 503 within %.1f s), broker start %.1f s,"
                        + " every /health 200 %.1f s and pipeline caught up %.1f s after it was back; stream threads replaced:"
                        + " ingest %s, serve %s; trainer loop restarts %s; checkpoint versions %s%n",
                outage.toMillis() / 1000.0, unready.toMillis() / 1000.0, brokerStart.toMillis() / 1000.0,
                ready.toMillis() / 1000.0, recovery.toMillis() / 1000.0,
                metric(INGEST, "sensorcast_stream_threads_replaced_total"), metric(SERVE, "sensorcast_stream_threads_replaced_total"),
                metric(TRAIN, "sensorcast_trainer_loop_restarts_total"), versions);
    }

    @Test
    @Order(5)
    void shouldRestartFromItsLocalStateWithNothingLostWhenIngestIsStoppedMidStream() {
        assertRestartsFromLocalStateAfterStop(INGEST);
    }

    @Test
    @Order(6)
    void shouldRestartFromItsLocalStateWithNothingLostWhenServeIsStoppedMidStream() {
        assertRestartsFromLocalStateAfterStop(SERVE);
    }

    /**
     * Ctrl-C (SIGTERM) mid-stream, then a restart: the service closes Kafka Streams before its JVM exits, so its stores
     * keep their committed offsets and the restart neither finds them corrupted nor rebuilds them from the changelog.
     */
    private void assertRestartsFromLocalStateAfterStop(Service service) {
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> feed.feed(STEPS_PER_FAULT, PAUSE_MS));
        sleep(STEPS_PER_FAULT * PAUSE_MS / 2);
        long t0 = System.nanoTime();
        pipeline.service(service).stop();
        Duration stopped = Duration.ofNanos(System.nanoTime() - t0);
        String stoppedLog = lastStart(service);
        pipeline.service(service).start();
        feeding.join();
        awaitCaughtUp(Duration.ofMinutes(5));
        Duration recovery = Duration.ofNanos(System.nanoTime() - t0);

        // the stopped run's own lines (its close, and the SIGTERM note with exit code and time), not the restart's
        assertTrue(stoppedLog.contains("Kafka Streams closed (NOT_RUNNING)"),
                "Kafka Streams closed before the JVM exited; the stopped run's last lines:\n" + lastLines(stoppedLog, 60));
        assertFalse(lastStart(service).contains("are corrupted"),
                "the restart found its stores corrupted and rebuilt them\n" + pipeline.service(service).tail());
        assertExactlyOnce("stop (SIGTERM) " + service.name().toLowerCase(java.util.Locale.ROOT), recovery);
        System.out.printf("chaos stop %s (SIGTERM): exited in %.1f s, restarted and caught up in %.1f s%n",
                service.name().toLowerCase(java.util.Locale.ROOT), stopped.toMillis() / 1000.0, recovery.toMillis() / 1000.0);
    }

    /** The sum of a counter's samples in the service's scrape, or "none" when it is not there. */
    private String metric(Service s, String name) {
        return pipeline.scrape(s).lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .reduce(Double::sum).map(v -> String.valueOf(v.longValue())).orElse("none");
    }

    /**
     * Under exactly-once Kafka Streams wipes a store that may hold uncommitted writes and rebuilds it from its
     * changelog; with transactional state stores a killed service's stores hold committed writes only, so the
     * restart keeps them and replays just the changelog's tail.
     */
    private void assertKeptItsLocalState(Service service) {
        assertFalse(lastStart(service).contains("bootstrap from scratch"),
                "the restart wiped its stores and rebuilt them from the changelogs\n" + pipeline.service(service).tail());
    }

    /** Feeds a burst, kills the service half-way (kill -9), starts it again; returns the time to catch up after the restart. */
    private Duration killMidStreamAndRestart(Service service) {
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> feed.feed(STEPS_PER_FAULT, PAUSE_MS));
        sleep(STEPS_PER_FAULT * PAUSE_MS / 2);
        pipeline.service(service).kill();
        long t0 = System.nanoTime();
        pipeline.service(service).start();
        feeding.join();
        awaitCaughtUp(Duration.ofMinutes(5));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private TopicAudit awaitCaughtUp(Duration timeout) {
        int expected = SENSORS * ReadingFeed.expectedSequencesPerSensor(feed.steps(), WINDOW);
        TopicAudit[] last = new TopicAudit[1];
        ChaosPipeline.awaitTrue(timeout, () -> {
            pipeline.assertAllAlive();
            last[0] = TopicAudit.read(pipeline.bootstrapServers());
            return last[0].caughtUp(expected);
        }, "caught up with " + expected + " sequences; last audit: " + (last[0] == null ? "none" : last[0].figures()) + "\n" + pipeline.logs());
        return last[0];
    }

    private TopicAudit assertExactlyOnce(Service killed, Duration recovery) {
        return assertExactlyOnce("kill -9 " + killed.name().toLowerCase(java.util.Locale.ROOT), recovery);
    }

    private TopicAudit assertExactlyOnce(String fault, Duration recovery) {
        pipeline.assertAllAlive();
        TopicAudit a = TopicAudit.read(pipeline.bootstrapServers());
        int perSensor = ReadingFeed.expectedSequencesPerSensor(feed.steps(), WINDOW);
        System.out.printf("chaos %s: %d readings in (%d steps × %d sensors); %s; recovered in %.1f s%n",
                fault, feed.steps() * SENSORS, feed.steps(), SENSORS, a.figures(), recovery.toMillis() / 1000.0);
        String why = a.figures() + "\n" + pipeline.logs();
        assertEquals(0, a.duplicateSequences(), why);
        assertEquals(0, a.holes(), why);
        assertEquals(0, a.incompleteSequences(), "a lost reading shows as an interpolated step\n" + why);
        assertEquals(SENSORS * perSensor, a.sequences(), why);
        for (int s = 0; s < SENSORS; s++) {
            assertEquals(perSensor, a.sequencesPerSensor().getOrDefault(feed.sensor(s), 0), feed.sensor(s) + "\n" + why);
        }
        assertEquals(0, a.duplicateForecasts(), why);
        assertEquals(0, a.sequencesWithoutForecast(), why);
        assertEquals(0, a.forecastsWithoutSequence(), why);
        assertEquals(a.sequences(), a.forecasts(), why);
        return a;
    }

    private String lastStart(Service s) {
        String log = pipeline.service(s).log();
        return log.substring(log.lastIndexOf("---- start"));
    }

    private static String lastLines(String log, int n) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
