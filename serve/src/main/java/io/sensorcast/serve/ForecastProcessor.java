package io.sensorcast.serve;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.kafka.DeferredWriteStore;
import io.sensorcast.model.FusedLstmKernel;
import io.sensorcast.model.LastValueReference;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers sequences, forecasts them in batches across sensors, scores earlier forecasts against the actuals each
 * sequence brings, and forwards one {@link Forecast} per sequence.
 *
 * <p><b>Batching under exactly-once.</b> Every buffered sequence is also written to the changelogged store
 * {@code serve-pending-sequences} before {@link #process} returns, and deleted when its forecast is forwarded. A
 * commit can therefore happen at any moment: the input offset, the buffered sequence (store changelog) and any
 * forecasts already forwarded all belong to the same transaction. After a crash the task restores the store and
 * {@link #init} reloads the buffer, so a sequence whose offset was committed but not yet forecast is forecast after
 * the restart (no loss), and a forecast whose transaction aborted is redone from the re-read input (no duplicate
 * visible to {@code read_committed} consumers). A batch is forecast when it reaches {@code batchSize} (inside
 * {@code process}) or by a wall-clock punctuation every {@code maxWait}.
 *
 * <p><b>Inference.</b> By default one full-window forward pass per batch and model
 * ({@link LastValueReference#forecast}): exactly the forecast the trainer's protocol scores. With
 * {@code statefulInference}, {@link RecurrentStates} advances each sensor by one {@code rnnTimeStep} per consecutive
 * sequence (about W times less work per forecast), at the price described there: each sequence is normalised with the
 * sensor's statistics at its own time, so a carried state saw differently scaled inputs and conditions on more than W
 * steps. The states live in memory only; after a restart or rebalance sensors are re-seeded from their windows.
 */
final class ForecastProcessor implements Processor<String, SensorSequence, String, Forecast> {
    private static final Logger LOG = LoggerFactory.getLogger(ForecastProcessor.class);
    /** Sensors whose recurrent state a task keeps (least recently used beyond this are re-seeded): ~0.5 KB each. */
    static final int MAX_STATEFUL_SENSORS = 500_000;
    /** A sensor's ledger goes to its store every this many forecasts (see {@link LedgerCache}). */
    static final int LEDGER_WRITE_EVERY = 12;
    /** Decoded ledgers kept per task (~9 KB each); beyond, the least recently used are written and dropped. */
    static final int MAX_CACHED_LEDGERS = 10_000;

    private final ServeConfig config;
    private final ModelRegistry models;
    private final ServeMetrics metrics;
    private final Clock clock;
    private final SensorRouting routing;
    private final LastValueReference reference;
    private final PredictionInterval interval;
    private final String pendingStoreName;
    private final String ledgerStoreName;
    private final RecurrentStates states;

    private ProcessorContext<String, Forecast> context;
    private DeferredWriteStore<BufferedSequence.Value> pendingStore;
    private LedgerCache ledgers;
    private final List<Buffered> buffer = new ArrayList<>();
    /** Per model id, this task's copy of the live network (see {@link #replicaOf}). */
    private final Map<String, Replica> replicas = new HashMap<>();
    /** Per model id, the version whose recurrent states the live one may carry on (see {@link #continues}). */
    private final Map<String, Long> carriedFrom = new HashMap<>();
    /** Wall-clock time at which the oldest sequence in {@link #buffer} was buffered. */
    private long oldestBufferedAt;
    private long nextId;

    private record Buffered(String id, SensorSequence sequence, long timestamp) {
    }

    ForecastProcessor(ServeConfig config, ModelRegistry models, ServeMetrics metrics, Clock clock,
                      String pendingStoreName, String ledgerStoreName) {
        this.config = config;
        this.models = models;
        this.metrics = metrics;
        this.clock = clock;
        this.routing = new SensorRouting(config.routingRules(), config.defaultModelId());
        this.reference = new LastValueReference(config.model());
        this.interval = new PredictionInterval(config.intervalLevel(), config.minResiduals());
        this.pendingStoreName = pendingStoreName;
        this.ledgerStoreName = ledgerStoreName;
        this.states = config.statefulInference() ? new RecurrentStates(config.reseedEvery(), MAX_STATEFUL_SENSORS) : null;
    }

    @Override
    public void init(ProcessorContext<String, Forecast> context) {
        this.context = context;
        pendingStore = context.getStateStore(pendingStoreName);
        // a fresh cache on every (re-)initialisation: the store then holds the committed ledgers, memory may be ahead
        ledgers = new LedgerCache(context.getStateStore(ledgerStoreName), config.model().horizon(),
                config.residualWindow(), LEDGER_WRITE_EVERY, MAX_CACHED_LEDGERS);
        // Kafka Streams re-initialises this same instance when it revives a corrupted task (e.g. a commit that timed
        // out while the broker was away): the store is restored to the last commit, so whatever the buffer held
        // beyond it belongs to the aborted transaction and will be re-read from the input. Keeping it would forecast
        // those sequences twice.
        buffer.clear();
        nextId = 0;
        try (KeyValueIterator<String, byte[]> all = pendingStore.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                BufferedSequence.Value v = BufferedSequence.decode(kv.value);
                buffer.add(new Buffered(kv.key, v.sequence(), v.timestamp()));
                nextId = Math.max(nextId, Long.parseLong(kv.key) + 1);
            }
        }
        if (!buffer.isEmpty()) {
            LOG.info("Reloaded {} buffered sequences from {} after a restart", buffer.size(), pendingStoreName);
            oldestBufferedAt = context.currentSystemTimeMs();
        }
        // Flush only a batch whose oldest sequence has waited maxWait, not whatever is buffered at each tick: when a
        // flush takes longer than maxWait (a full-window pass costs tens of ms whatever the batch), a tick is due after
        // every record, and flushing then would forecast batches of one or two and fall ever further behind.
        // checked five times per maxWait, so a partial batch waits at most ~1.2 × maxWait, not up to twice it
        context.schedule(Duration.ofMillis(Math.max(1, config.maxWait().toMillis() / 5)), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (!buffer.isEmpty() && now - oldestBufferedAt >= config.maxWait().toMillis()) {
                flush();
            }
        });
    }

    @Override
    public void process(Record<String, SensorSequence> record) {
        SensorSequence s = record.value();
        if (s == null || s.values().length == 0) {
            return;
        }
        String id = bufferId(nextId++);
        // written at the commit only if still buffered then (a full batch is usually forecast before it)
        pendingStore.putLater(id, new BufferedSequence.Value(record.timestamp(), s));
        if (buffer.isEmpty()) {
            oldestBufferedAt = context.currentSystemTimeMs();
        }
        buffer.add(new Buffered(id, s, record.timestamp()));
        if (buffer.size() >= config.batchSize()) {
            flush();
        }
    }

    /** Zero-padded to 19 digits so the store iterates in arrival order after a restart (String.format is ~1 µs). */
    static String bufferId(long id) {
        String digits = Long.toString(id);
        return "0".repeat(19 - digits.length()) + digits;
    }

    /** Forecasts every buffered sequence, in arrival order, and forwards the forecasts. */
    void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        List<Buffered> batch = new ArrayList<>(buffer);
        buffer.clear();
        // the live model of each model id is read once per batch: a swap never splits a batch
        Map<String, Optional<ModelRegistry.LiveModel>> live = new HashMap<>();
        String[] modelIds = new String[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            modelIds[i] = routing.modelFor(batch.get(i).sequence().sensor());
            live.computeIfAbsent(modelIds[i], models::get);
        }
        float[][] normalised = networkForecasts(batch, modelIds, live);

        int horizon = config.model().horizon();
        for (int i = 0; i < batch.size(); i++) {
            Buffered b = batch.get(i);
            SensorSequence s = b.sequence();
            SensorLedger ledger = ledgers.get(s.sensor());
            ledger.score(s.end(), s.stepMs(), s.values(), s.observed(), s.mean(), s.std(), metrics::scored);

            Optional<ModelRegistry.LiveModel> model = live.get(modelIds[i]);
            boolean lstm = normalised[i] != null;
            float[] norm = lstm ? normalised[i] : persistence(s.values(), horizon);
            float[] halfWidths = interval.halfWidths(ledger, s.values(), horizon);
            float[] values = new float[horizon];
            float[] rawWidths = new float[horizon];
            List<Forecast.Point> points = new ArrayList<>(horizon);
            for (int k = 0; k < horizon; k++) {
                double value = s.denormalise(norm[k]);
                double w = halfWidths[k] * s.std();
                values[k] = (float) value;
                rawWidths[k] = (float) w;
                points.add(new Forecast.Point(s.end() + (k + 1) * s.stepMs(), value, value - w, value + w));
            }
            ledger.add(new SensorLedger.Pending(s.end(), s.stepMs(), modelIds[i], s.std(), values, rawWidths));
            ledgers.updated(s.sensor());
            String method = lstm ? Forecast.LSTM : Forecast.PERSISTENCE;
            Forecast f = new Forecast(s.sensor(), s.end(), s.stepMs(), modelIds[i],
                    lstm ? model.get().version() : null, method, points);
            context.forward(new Record<>(s.sensor(), f, b.timestamp()));
            pendingStore.deleteLater(b.id());
            metrics.forecast(method);
            if (s.arrivedAt() > 0) {
                metrics.latency(clock.millis() - s.arrivedAt());
            }
        }
    }

    /**
     * Normalised forecasts from each sequence's live model, batched per (model, window length); null where there is no
     * model, or where the network gave a non-finite value (that sequence falls back to persistence).
     */
    private float[][] networkForecasts(List<Buffered> batch, String[] modelIds,
                                       Map<String, Optional<ModelRegistry.LiveModel>> live) {
        float[][] out = new float[batch.size()][];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            if (live.get(modelIds[i]).isPresent()) {
                groups.computeIfAbsent(modelIds[i] + '\u0000' + batch.get(i).sequence().values().length,
                        k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> group : groups.values()) {
            ModelRegistry.LiveModel model = live.get(modelIds[group.get(0)]).get();
            float[][] windows = new float[group.size()][];
            for (int j = 0; j < group.size(); j++) {
                windows[j] = batch.get(group.get(j)).sequence().values();
            }
            float[][] forecasts;
            try {
                MultiLayerNetwork network = replicaOf(model);
                forecasts = states == null ? reference.forecast(network, windows)
                        : stateful(model, network, group.stream().map(batch::get).toList(), windows);
            } catch (RuntimeException e) {
                // never silence, never a poison batch: these sequences get persistence forecasts
                LOG.error("Model=[{}] version=[{}] failed on a batch of {}; forecasting persistence for it: {}",
                        model.modelId(), model.version(), group.size(), e.toString());
                continue;
            }
            for (int j = 0; j < group.size(); j++) {
                out[group.get(j)] = allFinite(forecasts[j]) ? forecasts[j] : null;
            }
        }
        return out;
    }

    /**
     * This task's own copy of {@code model}'s network, made once per installed model. A DL4J network keeps a call's
     * inputs and recurrent state in its layers, so one network cannot serve two threads at once; sharing the live one
     * under a lock made each stream thread wait for the other's calls (up to a second behind a seeding pass). A copy
     * is ~70 KB, and the fused LSTM kernel it gets (the trainer's) computes a step with one BLAS call instead of DL4J's
     * dozens of small ops.
     */
    private MultiLayerNetwork replicaOf(ModelRegistry.LiveModel model) {
        Replica r = replicas.get(model.modelId());
        if (r == null || r.model().network() != model.network()) {
            MultiLayerNetwork copy;
            synchronized (model.network()) {
                copy = model.network().clone();
            }
            FusedLstmKernel.install(copy);
            if (r != null && continues(model, r.model())) {
                carriedFrom.put(model.modelId(), r.model().version());
            } else {
                carriedFrom.remove(model.modelId());
            }
            r = new Replica(model, copy);
            replicas.put(model.modelId(), r);
        }
        return r.network();
    }

    /**
     * Whether {@code next} continues {@code live}'s training (a later training step, the same parameters' shape), so
     * recurrent states built by {@code live} may be carried into it ({@link RecurrentStates#SWAP_SPREAD}); a model
     * trained afresh or rolled back to an earlier step starts from seeds.
     */
    static boolean continues(ModelRegistry.LiveModel next, ModelRegistry.LiveModel live) {
        return next.trainingStep() > live.trainingStep() && next.network().numParams() == live.network().numParams();
    }

    private record Replica(ModelRegistry.LiveModel model, MultiLayerNetwork network) {
    }

    /** Advances the sensors that can be advanced, seeds the others (two network calls at most). */
    private float[][] stateful(ModelRegistry.LiveModel model, MultiLayerNetwork network, List<Buffered> group,
                               float[][] windows) {
        int n = group.size();
        List<Integer> warm = new ArrayList<>();
        List<Integer> cold = new ArrayList<>();
        java.util.Set<String> inThisCall = new java.util.HashSet<>();
        for (int j = 0; j < n; j++) {
            SensorSequence s = group.get(j).sequence();
            // a sensor twice in one batch: the second one is seeded (its predecessor's state is not stored yet)
            boolean first = inThisCall.add(s.sensor());
            boolean advance = first && states.canAdvance(s.sensor(), model.version(),
                    carriedFrom.getOrDefault(model.modelId(), RecurrentStates.NO_VERSION), s.end(), s.stepMs());
            (advance ? warm : cold).add(j);
        }
        float[][] out = new float[n][];
        int layers = network.getnLayers() - 1;   // recurrent layers of this checkpoint (the last is the output)
        if (!warm.isEmpty()) {
            float[][] r = states.advance(network, reference, layers, model.version(), sensors(group, warm),
                    ends(group, warm), select(windows, warm));
            for (int k = 0; k < warm.size(); k++) {
                out[warm.get(k)] = r[k];
            }
        }
        if (!cold.isEmpty()) {
            float[][] r = states.seed(network, reference, layers, model.version(), sensors(group, cold),
                    ends(group, cold), select(windows, cold));
            for (int k = 0; k < cold.size(); k++) {
                out[cold.get(k)] = r[k];
            }
        }
        return out;
    }

    private static String[] sensors(List<Buffered> group, List<Integer> idx) {
        return idx.stream().map(j -> group.get(j).sequence().sensor()).toArray(String[]::new);
    }

    private static long[] ends(List<Buffered> group, List<Integer> idx) {
        return idx.stream().mapToLong(j -> group.get(j).sequence().end()).toArray();
    }

    private static float[][] select(float[][] windows, List<Integer> idx) {
        return idx.stream().map(j -> windows[j]).toArray(float[][]::new);
    }

    private static float[] persistence(float[] values, int horizon) {
        float[] out = new float[horizon];
        java.util.Arrays.fill(out, values[values.length - 1]);
        return out;
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
    }
}
