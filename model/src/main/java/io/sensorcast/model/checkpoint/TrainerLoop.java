package io.sensorcast.model.checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.ingest.SensorSequenceJson;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's Kafka plumbing for one model id: consume {@code sensor-sequences}, train in batches, and commit
 * the consumed offsets, the gradient events and (when healthy) a checkpoint in one transaction every N steps or T.
 *
 * <p><b>Transactions.</b> A transaction opens with the first batch after a commit and stays open across batches
 * until the cadence is due; then the checkpoint (if {@link CheckpointPublisher} lets it through), the offsets of
 * every sequence trained so far ({@code sendOffsetsToTransaction} with the consumer's group metadata) and the
 * events the batches produced commit together. Consumer: group {@code sensorcast-trainer-<modelId>},
 * {@code read_committed}, no auto-commit, static member id = group id. Producer: {@code transactional.id = sensorcast-trainer-<modelId>},
 * so a restarted trainer fences its predecessor and aborts its open transaction.
 *
 * <p><b>Restart.</b> {@link #run} first reads the checkpoint topic ({@link LatestCheckpointReader}), restores the
 * newest checkpoint of the model that verifies, hands it to {@link BatchTrainer#resume}, and then consumes from the
 * group's committed offsets — which are the ones committed with that checkpoint, unless a later commit withheld
 * its checkpoint (see below). Training done after the last commit is neither kept nor visible: it is redone.
 * Versions continue after the highest verified version on the topic.
 *
 * <p><b>Withheld checkpoints.</b> When a checkpoint is withheld the offsets and events still commit (a transaction
 * cannot stay open for long). A crash before the next published checkpoint then resumes from the older checkpoint
 * at the newer offsets: the sequences in between are not trained on again. This is the behaviour wanted after an
 * explosion (roll back to the last healthy model) and a known loss otherwise.
 *
 * <p><b>Falling behind.</b> When more sequences wait on the broker than a poll brought, the loop trains on at most
 * {@link TrainerLoopConfig#catchUpBatches()} batches of each poll ({@link BacklogSampler}: the newest half, the rest
 * sampled from the older ones) and consumes the others without training, so it catches up instead of learning from
 * ever older data (DESIGN.md). Records that are not valid sequences of window W are skipped (logged, {@link #skippedRecords()}),
 * their offsets committed.
 *
 * <p>Any Kafka or training error ends {@link #run} with that error ({@link #failure()}); the transaction is not
 * committed, so restarting resumes from the last commit. A loop runs once: {@link io.sensorcast.model.TrainerService}
 * starts a new one (with a new network restored from the last checkpoint) after a transient error.
 *
 * <pre>{@code
 * TrainerLoop loop = new TrainerLoop(TrainerLoopConfig.defaults(servers, checkpointConfig), trainer,
 *         new CheckpointMeters(registry, modelId), Clock.systemUTC());
 * loop.start();   // its own thread
 * ...
 * loop.close();   // final commit, then stop
 * }</pre>
 */
public final class TrainerLoop implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrainerLoop.class);

    private final TrainerLoopConfig config;
    private final BatchTrainer trainer;
    private final CheckpointPublisher publisher;
    private final CheckpointListener listener;
    private final Clock clock;
    private final CountDownLatch done = new CountDownLatch(1);

    private final java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean started;
    private volatile boolean stopRequested;
    private volatile boolean halted;
    /** Set when the loop is ending on an error: nothing may commit on the way out (see {@link #runLoop}). */
    private volatile boolean failed;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Throwable failure;
    private volatile long restoredStep = -1;
    private volatile long restoredVersion;
    private volatile long publishedVersion;
    private volatile long skippedRecords;
    private volatile long sampledOut;

    // owned by the loop thread
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final BacklogSampler sampler = new BacklogSampler(0x5eed);
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    private KafkaProducer<String, byte[]> producer;
    private CheckpointCadence cadence;
    private boolean inTransaction;
    private OptionalLong lastExplosionStep = OptionalLong.empty();

    public TrainerLoop(TrainerLoopConfig config, BatchTrainer trainer, CheckpointListener listener, Clock clock) {
        this.config = config;
        this.trainer = trainer;
        this.clock = clock;
        this.publisher = new CheckpointPublisher(config.checkpoints(), listener, clock);
        this.listener = listener;
    }

    /** Runs {@link #run} on a new thread named {@code sensorcast-trainer-<modelId>}. */
    public Thread start() {
        started = true; // before the thread exists, so that close() right after start() waits for it
        Thread thread = new Thread(this, config.groupId());
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        started = true;
        if (!ran.compareAndSet(false, true)) {
            throw new IllegalStateException("a trainer loop runs once");
        }
        try {
            runLoop();
        } catch (WakeupException e) {
            if (!stopRequested) {
                failure = e;
            }
        } catch (Throwable e) {
            failure = e;
            log.error("trainer loop stopped model=[{}] error=[{}]", config.modelId(), e.toString(), e);
        } finally {
            done.countDown();
        }
    }

    /** Stops after committing what was trained (final checkpoint offer included) and waits for the loop to end. */
    @Override
    public void close() {
        stopRequested = true;
        wakeUp();
        awaitTermination(config.startupTimeout().plusSeconds(30));
    }

    /**
     * Stops as if the process had died: nothing after the last committed transaction reaches readers; the open
     * transaction is left to be aborted by the next incarnation. For tests and drills.
     */
    public void halt() {
        halted = true;
        stopRequested = true;
        wakeUp();
        awaitTermination(config.startupTimeout().plusSeconds(30));
    }

    /** Waits for {@link #run} to end; true at once if it never started. */
    public boolean awaitTermination(Duration timeout) {
        if (!started) {
            return true;
        }
        try {
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The error that ended {@link #run}, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The training step of the checkpoint restored at start, if one was. */
    public OptionalLong restoredStep() {
        long s = restoredStep;
        return s < 0 ? OptionalLong.empty() : OptionalLong.of(s);
    }

    /** The version of the checkpoint restored at start; 0 if none. */
    public long restoredVersion() {
        return restoredVersion;
    }

    /** The version of the last checkpoint this loop committed; 0 if none yet. */
    public long publishedVersion() {
        return publishedVersion;
    }

    /** Records skipped because they were not valid sequences. */
    public long skippedRecords() {
        return skippedRecords;
    }

    /** Sequences consumed without training while the loop was behind ({@link TrainerLoopConfig#catchUpBatches()}). */
    public long sampledOut() {
        return sampledOut;
    }

    private void wakeUp() {
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void runLoop() {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            producer = p;
            consumer = c;
            try {
                p.initTransactions(); // fences a previous incarnation, aborting its open transaction
                restore();
                cadence = new CheckpointCadence(config.checkpointEverySteps(), config.checkpointEvery(), trainer.step(), clock.millis());
                c.subscribe(List.of(config.sequencesTopic()), new Rebalance());
                while (!stopRequested) {
                    poll();
                    trainReadyBatches();
                    if (inTransaction && !stopRequested && cadence.due(trainer.step(), clock.millis())) {
                        commitCycle();
                    }
                }
                if (!halted && inTransaction) {
                    commitCycle();
                }
            } catch (RuntimeException | Error e) {
                // Closing the consumer revokes its partitions, and the revocation callback commits what was trained.
                // After an error that would commit a transaction the error left half-done: a checkpoint sent before
                // sendOffsetsToTransaction timed out went out a second time, with the same version, in the commit
                // made on the way out. The open transaction is left to be aborted by the next incarnation instead.
                failed = true;
                throw e;
            } finally {
                if (halted || failed) {
                    p.close(Duration.ZERO);
                    c.close(Duration.ZERO);
                }
            }
        }
    }

    private void restore() {
        CheckpointPublisherConfig pc = config.checkpoints();
        ModelShape expected = ModelShape.of(trainer.network(), pc.window(), pc.horizon());
        CheckpointScan scan = new LatestCheckpointReader(readerConfig(), pc.topic(), pc.hmacKey(), pc.maxEnvelopeBytes(),
                config.startupTimeout()).scan();
        long highest = scan.highestVersion(config.modelId());
        publisher.reserveVersionsUpTo(highest);
        Optional<Restored> restored = scan.restoreLatest(config.modelId(), expected, r ->
                log.warn("checkpoint not restorable model=[{}] reason=[{}] detail=[{}]", config.modelId(), r.code(), r.detail()));
        if (restored.isPresent()) {
            CheckpointEnvelope e = restored.get().envelope();
            trainer.resume(restored.get().network(), e.trainingStep());
            publisher.resumeFrom(e);
            restoredStep = e.trainingStep();
            restoredVersion = e.version();
            log.info("trainer resumed model=[{}] version=[{}] step=[{}] checkpointOffsets=[{}]", config.modelId(),
                    e.version(), e.trainingStep(), e.sourceOffsets());
        } else if (highest > 0) {
            log.warn("no restorable checkpoint model=[{}]: starting from a fresh network; versions continue after [{}]",
                    config.modelId(), highest);
        } else {
            log.info("no checkpoint yet model=[{}]: starting from a fresh network", config.modelId());
        }
    }

    private void poll() {
        try {
            long now = clock.millis();
            int before = pending.size();
            for (ConsumerRecord<String, byte[]> r : consumer.poll(config.pollTimeout())) {
                pending.add(new Pending(r, now));
            }
            int polled = pending.size() - before;
            int keep = config.catchUpBatches() * config.batchSize();
            long sampledBefore = sampledOut;
            if (pending.size() > keep && behind()) {
                sampleBacklog(keep);
            }
            listener.polled(polled, (int) (polled - (sampledOut - sampledBefore)));
        } catch (WakeupException e) {
            if (!stopRequested) {
                throw e;
            }
        }
    }

    private void trainReadyBatches() {
        while (!stopRequested && !pending.isEmpty() && (pending.size() >= config.batchSize()
                || clock.millis() - pending.peekFirst().polledAtMs() >= config.maxWait().toMillis())) {
            trainOneBatch(Math.min(config.batchSize(), pending.size()));
            if (cadence.due(trainer.step(), clock.millis())) {
                commitCycle();
            }
        }
    }

    private void trainOneBatch(int size) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(size);
        List<SensorSequence> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ConsumerRecord<String, byte[]> r = pending.poll().record();
            records.add(r);
            SensorSequence s = parse(r);
            if (s != null) {
                batch.add(s);
            }
        }
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
        if (!batch.isEmpty()) {
            TrainOutcome outcome = trainer.train(batch);
            for (String event : outcome.gradientEvents()) {
                producer.send(new ProducerRecord<>(config.eventsTopic(), config.modelId(), event.getBytes(StandardCharsets.UTF_8)));
            }
            if (outcome.explosion()) {
                lastExplosionStep = OptionalLong.of(trainer.step());
            }
        }
        for (ConsumerRecord<String, byte[]> r : records) {
            consumed(r);
        }
    }

    /** Offsets only move forward: a sampled-out record may be newer than a kept one trained after it. */
    private void consumed(ConsumerRecord<String, byte[]> r) {
        nextOffsets.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
    }

    /** Whether more sequences wait on the broker than this loop has polled (known lag of its partitions). */
    private boolean behind() {
        long lag = 0;
        for (TopicPartition tp : consumer.assignment()) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        return lag > 0;
    }

    /** Keeps {@code keep} of the pending sequences ({@link BacklogSampler}); the others count as consumed. */
    private void sampleBacklog(int keep) {
        List<Pending> all = new ArrayList<>(pending);
        int[] chosen = sampler.choose(all.size(), keep);
        pending.clear();
        int next = 0;
        for (int i = 0; i < all.size(); i++) {
            if (next < chosen.length && chosen[next] == i) {
                pending.add(all.get(i));
                next++;
            } else {
                consumed(all.get(i).record());
                sampledOut++;
            }
        }
    }

    private SensorSequence parse(ConsumerRecord<String, byte[]> r) {
        if (r.value() != null) {
            try {
                SensorSequence s = SensorSequenceJson.fromBytes(r.value());
                if (s.length() == config.checkpoints().window()) {
                    return s;
                }
                log.warn("skipping sequence of another window topic=[{}] partition=[{}] offset=[{}] length=[{}] window=[{}]",
                        r.topic(), r.partition(), r.offset(), s.length(), config.checkpoints().window());
            } catch (IllegalArgumentException e) {
                log.warn("skipping record that is not a sequence topic=[{}] partition=[{}] offset=[{}] error=[{}]",
                        r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
        skippedRecords++;
        return null;
    }

    /** Checkpoint (when healthy), offsets and events: one commit. */
    private void commitCycle() {
        if (halted || failed) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        Map<String, Long> sourceOffsets = new LinkedHashMap<>();
        nextOffsets.forEach((tp, next) -> {
            offsets.put(tp, new OffsetAndMetadata(next));
            sourceOffsets.put(tp.toString(), next);
        });
        PublishDecision decision = publisher.decide(new CheckpointCandidate(trainer.network(), trainer.step(),
                lastExplosionStep, trainer.quality(), sourceOffsets));
        if (decision instanceof PublishDecision.Publish p) {
            publisher.send(producer, p);
        }
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        }
        producer.commitTransaction();
        inTransaction = false;
        if (decision instanceof PublishDecision.Publish p) {
            publisher.committed(p);
            publishedVersion = p.envelope().version();
        }
        cadence.reset(trainer.step(), clock.millis());
    }

    private Properties clientProps() {
        Properties props = new Properties();
        props.putAll(config.clientOverrides());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    private Map<String, Object> readerConfig() {
        Map<String, Object> c = new LinkedHashMap<>(config.clientOverrides());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return c;
    }

    private Properties producerProps() {
        Properties props = clientProps();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.groupId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.checkpoints().maxEnvelopeBytes() + 1024 * 1024);
        // the transaction spans one checkpoint interval; the broker caps this at transaction.max.timeout.ms (15 min)
        long timeout = Math.max(60_000, Math.min(900_000, 2 * config.checkpointEvery().toMillis() + 30_000));
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) timeout);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.startupTimeout().toMillis());
        return props;
    }

    private Properties consumerProps() {
        Properties props = clientProps();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        // static membership: one trainer per model id, so a restarted one takes its predecessor's place at once
        // instead of waiting a session timeout for the dead member to leave
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private record Pending(ConsumerRecord<String, byte[]> record, long polledAtMs) {
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (halted || failed) {
                return;
            }
            if (inTransaction) {
                commitCycle(); // commit what was trained before another member takes over
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            committed.forEach((tp, o) -> {
                if (o != null) {
                    nextOffsets.putIfAbsent(tp, o.offset());
                }
            });
            log.info("trainer assigned model=[{}] partitions=[{}] committedOffsets=[{}]", config.modelId(), partitions, nextOffsets);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (inTransaction && !halted && !failed) {
                producer.abortTransaction();
                inTransaction = false;
                throw new AssignmentLostException("partitions " + partitions + " lost mid-transaction; the network is "
                        + "ahead of the committed offsets, restart to resume from the last checkpoint");
            }
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(nextOffsets::remove);
            pending.removeIf(p -> partitions.contains(new TopicPartition(p.record().topic(), p.record().partition())));
        }
    }
}
