package io.sensorcast.ops.eval;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.Reading;
import io.sensorcast.ingest.SensorSequence;
import io.sensorcast.model.ModelConfig;
import io.sensorcast.model.OnlineBatchTrainer;
import io.sensorcast.model.OnlineTrainer;
import io.sensorcast.model.ReplayBuffer;
import io.sensorcast.model.StepReport;
import io.sensorcast.model.TrainerMetrics;
import io.sensorcast.serve.Forecast;
import io.sensorcast.serve.ServeConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the accuracy protocol of DESIGN.md on one CSV column, through the services' own code:
 * <ol>
 * <li>the CSV's rows go through the ingest topology ({@link IngestReplay}): resampling at {@code step}, gap rules,
 * per-sensor running normalisation, W-step windows;</li>
 * <li>the <b>frozen</b> model is trained by the trainer's {@link OnlineTrainer} on the windows that lie wholly in the
 * train span, in shuffled minibatches, for up to {@code passes} passes; after each pass it forecasts the validation
 * span, and the weights of the best pass are kept (stopping after {@code patience} passes without improvement);</li>
 * <li>the frozen model is published as a checkpoint to a serve topology ({@link ServeReplay}) that forecasts every
 * later window;</li>
 * <li>the <b>online</b> model starts from the frozen one and learns test-then-train through the validation and test
 * spans with the trainer's {@link OnlineBatchTrainer}: each batch of windows is first forecast by a second serve
 * topology (from the latest checkpoint), then trained on, then the new weights are published to that topology. A
 * forecast issued at step t is therefore made by a model that has seen only windows ending at or before t;</li>
 * <li>persistence and seasonal naive ({@link Baselines}) on the same resampled steps.</li>
 * </ol>
 * Scored points are (origin t, lead k) with t+1 in the span and t+horizon not past it (the published ETTh1
 * convention: inputs may reach back into the previous span, targets never leave the span), skipping interpolated
 * actuals. Errors are reported in the series' units and z-scored with the train rows' statistics
 * ({@link TrainStatistics}), whatever running normalisation the pipeline applied to the model's inputs: forecasts
 * come back from serve in the series' units and are re-scaled only for the report.
 *
 * <p>The {@link EvalTransport} decides only how ingest and serve are reached (in process, or as Kafka Streams
 * applications on a cluster); the readings, the training and the scoring are the same either way.
 */
public final class EvalRunner {
    public static final String FROZEN = "lstm-frozen";
    public static final String ONLINE = "lstm-online";
    /** Windows kept for replay: ETTh1's whole train span fits. */
    static final int REPLAY_CAPACITY = 20_000;
    public static final String PERSISTENCE = "persistence";
    public static final String SEASONAL = "seasonal-naive";
    private static final int SERVE_BATCH = 256;
    private static final int VALIDATION_BATCH = 512;
    private static final int STRETCH_ORIGINS = 8;

    private final EvalSettings settings;
    private final EvalTransport transport;
    private final PrintWriter progressOut;

    /** In process ({@link EvalTransport#IN_PROCESS}). */
    public EvalRunner(EvalSettings settings, PrintWriter progressOut) {
        this(settings, EvalTransport.IN_PROCESS, progressOut);
    }

    /** @param transport how ingest and serve are reached: in process, or over Kafka ({@link KafkaEvalTransport}) */
    public EvalRunner(EvalSettings settings, EvalTransport transport, PrintWriter progressOut) {
        this.settings = settings;
        this.transport = transport;
        this.progressOut = progressOut;
    }

    public EvalReport run() {
        long t0 = System.nanoTime();
        ModelConfig model = settings.model();
        int h = model.horizon();
        String sensor = settings.valueColumn();
        List<Reading> all = new ArrayList<>(CsvSeries.read(settings.csv(), settings.timeColumn(), settings.valueColumn(), sensor).readings());
        all.sort(Comparator.comparingLong(Reading::ts)); // stable: a CSV in time order is unchanged
        SeriesSplit split = SeriesSplit.parse(settings.split(), all.size());
        List<Reading> rows = all.subList(0, split.rows());
        long stepMs = settings.step() != null ? settings.step().toMillis() : medianSpacing(rows);
        int season = settings.season() != null ? settings.season() : (int) Math.max(1, Duration.ofDays(1).toMillis() / stepMs);
        TrainStatistics stats = TrainStatistics.of(rows, split.train());

        long valStart = Math.floorDiv(rows.get(split.train()).ts(), stepMs);
        long testStart = split.validation() == 0 ? valStart : Math.floorDiv(rows.get(split.train() + split.validation()).ts(), stepMs);
        long testLast = Math.floorDiv(rows.get(split.rows() - 1).ts(), stepMs);

        ProgressBar progress = new ProgressBar(progressOut, 100);
        progress.phase("ingest: resampling and windowing");
        // grace 0: a step closes as soon as the next one starts (a CSV is in time order, nothing arrives late)
        IngestConfig ingest = IngestConfig.defaults().withStep(Duration.ofMillis(stepMs)).withGrace(Duration.ZERO)
                .withWindow(model.window()).withHop(1).withMaxGapSteps(settings.maxGapSteps());
        List<Reading> replay = new ArrayList<>(rows);
        replay.add(closingReading(rows.get(rows.size() - 1), ingest));
        IngestReplay.Result ingested = transport.ingest().run(replay, ingest);
        StepSeries steps = StepSeries.of(ingested.sequences(), stepMs);

        List<SensorSequence> trainWindows = new ArrayList<>();
        List<SensorSequence> later = new ArrayList<>();
        for (SensorSequence s : ingested.sequences()) {
            long end = Math.floorDiv(s.end(), stepMs);
            if (end < valStart) {
                trainWindows.add(s);
            }
            if (end >= valStart - 1 && end <= testLast) {
                later.add(s);
            }
        }
        if (trainWindows.isEmpty()) {
            throw new IllegalArgumentException("no " + model.window() + "-step window fits in the train span ("
                    + split.train() + " rows at a " + Duration.ofMillis(stepMs) + " step): use a longer train split or a smaller --window");
        }
        List<SensorSequence> valOrigins = origins(later, stepMs, valStart, testStart - 1, h);
        List<SensorSequence> testOrigins = origins(later, stepMs, testStart, testLast, h);
        if (testOrigins.isEmpty()) {
            throw new IllegalArgumentException("no forecast origin in the test span: it needs more than horizon + 1 steps");
        }

        int batch = model.batchSize();
        int batchesPerPass = (trainWindows.size() + batch - 1) / batch;
        int onlineBatches = (later.size() + batch - 1) / batch;
        int serveBatches = (later.size() + SERVE_BATCH - 1) / SERVE_BATCH;
        progress.total(5 + (long) settings.passes() * batchesPerPass + onlineBatches + serveBatches);
        progress.advance(5);

        OnlineTrainer trainer = new OnlineTrainer("eval", model, new TrainerMetrics(new SimpleMeterRegistry(),
                model.clipThreshold()), Clock.systemUTC());
        List<EvalReport.TrainingStep> history = new ArrayList<>();
        List<Double> validationMse = new ArrayList<>();
        Random shuffle = new Random(model.seed());
        INDArray best = null;
        double bestMse = Double.POSITIVE_INFINITY;
        int bestPass = 0;
        int pass = 0;
        String lastValidation = "";
        while (pass < settings.passes() && pass - bestPass < settings.patience()) {
            pass++;
            progress.phase("frozen model: pass " + pass + "/" + settings.passes() + lastValidation);
            List<SensorSequence> order = new ArrayList<>(trainWindows);
            Collections.shuffle(order, shuffle);
            for (int i = 0; i < order.size(); i += batch) {
                record(history, trainer.train(order.subList(i, Math.min(order.size(), i + batch))));
                progress.advance(1);
            }
            double mse = valOrigins.isEmpty() ? history.get(history.size() - 1).loss()
                    : validationMse(trainer, valOrigins, steps, stats, h);
            validationMse.add(mse);
            lastValidation = String.format(java.util.Locale.ROOT, " (validation MSE %.4f after pass %d)", mse, pass);
            if (mse < bestMse || best == null) {
                bestMse = mse;
                bestPass = pass;
                best = trainer.network().params().dup();
            }
        }
        trainer.network().params().assign(best);
        progress.total(5 + (long) pass * batchesPerPass + onlineBatches + serveBatches);

        // stateful inference first: ServeConfig rejects it together with re-referenced inputs (eval's default)
        ServeConfig serve = ServeConfig.defaults().withStatefulInference(false, 72).withModel(model)
                .withBatching(SERVE_BATCH, Duration.ofMillis(20));
        Map<Long, Forecast> frozen = new HashMap<>();
        Map<Long, Forecast> online = new HashMap<>();
        progress.phase("frozen model: forecasting (serve)");
        try (ServeReplay frozenServe = transport.serve(serve, "frozen")) {
            frozenServe.publish(trainer.network(), trainer.step());
            for (int i = 0; i < later.size(); i += SERVE_BATCH) {
                collect(frozen, frozenServe.forecast(later.subList(i, Math.min(later.size(), i + SERVE_BATCH))), stepMs);
                progress.advance(1);
            }
        }

        int onlineFrom = history.size();
        progress.phase("online model: test-then-train (serve + trainer)");
        OnlineBatchTrainer onlineTrainer;
        if (settings.replay() > 0) {
            ReplayBuffer seen = new ReplayBuffer(REPLAY_CAPACITY, model.seed());
            seen.offer(trainWindows);
            onlineTrainer = new OnlineBatchTrainer(trainer, seen, settings.replay());
        } else {
            onlineTrainer = new OnlineBatchTrainer(trainer);
        }
        try (ServeReplay onlineServe = transport.serve(serve.withBatching(batch, Duration.ofMillis(20)), "online")) {
            onlineServe.publish(trainer.network(), trainer.step());
            for (int i = 0; i < later.size(); i += batch) {
                List<SensorSequence> chunk = later.subList(i, Math.min(later.size(), i + batch));
                collect(online, onlineServe.forecast(chunk), stepMs);
                // the window ending at valStart − 1 lies wholly in the train span: the frozen passes had it
                List<SensorSequence> fresh = chunk.stream().filter(s -> Math.floorDiv(s.end(), stepMs) >= valStart).toList();
                if (!fresh.isEmpty()) {
                    onlineTrainer.train(fresh);
                    record(history, trainer.lastReport());
                    onlineServe.publish(trainer.network(), trainer.step());
                }
                progress.advance(1);
            }
        }
        progress.finish();

        List<MethodScore> test = score(testOrigins, frozen, online, steps, stats, h, season, stepMs);
        List<MethodScore> val = score(valOrigins, frozen, online, steps, stats, h, season, stepMs);
        EvalReport.Stretch stretch = stretch(testOrigins, frozen, online, steps, h, stepMs);
        return new EvalReport(settings.csv().getFileName() + " " + settings.valueColumn(), split.rows(), split, h,
                model.window(), stepMs, season, stats, model, pass, bestPass, validationMse, test, val, history,
                onlineFrom, stretch, ingested.sequences().size(), ingested.deadLetters(), testOrigins.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * A reading at the end of {@code last}'s step plus ingest's grace, replayed after the split's rows. Ingest closes a
     * step only when a later reading of its sensor brings the sensor's stream time to the step's end + grace, so
     * without it the split's last step would never close and its point would be lost. The closing reading's own step
     * never closes, so it is in no window and never scored; rows after the split are not replayed at all (so they
     * cannot leak into the last step's mean when {@code --step} is coarser than the rows' spacing). Live ingest is
     * unchanged: there a sensor's next reading closes its step.
     */
    static Reading closingReading(Reading last, IngestConfig ingest) {
        long stepEnd = (Math.floorDiv(last.ts(), ingest.stepMs()) + 1) * ingest.stepMs();
        return new Reading(last.sensor(), stepEnd + ingest.graceMs(), last.value());
    }

    /** Median spacing of consecutive distinct timestamps, in ms. */
    static long medianSpacing(List<Reading> rows) {
        long[] d = new long[Math.max(0, rows.size() - 1)];
        int n = 0;
        for (int i = 1; i < rows.size(); i++) {
            long gap = rows.get(i).ts() - rows.get(i - 1).ts();
            if (gap > 0) {
                d[n++] = gap;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot infer --step: fewer than two distinct timestamps");
        }
        Arrays.sort(d, 0, n);
        return d[n / 2];
    }

    /** Sequences usable as forecast origins t with t+1 ≥ first and t+h ≤ last. */
    private static List<SensorSequence> origins(List<SensorSequence> sequences, long stepMs, long first, long last, int h) {
        return sequences.stream().filter(s -> {
            long t = Math.floorDiv(s.end(), stepMs);
            return t + 1 >= first && t + h <= last;
        }).toList();
    }

    private static void record(List<EvalReport.TrainingStep> history, StepReport r) {
        history.add(new EvalReport.TrainingStep(r.loss(), r.preClipNorm(), r.event() != null));
    }

    private static void collect(Map<Long, Forecast> into, List<Forecast> forecasts, long stepMs) {
        for (Forecast f : forecasts) {
            into.put(Math.floorDiv(f.issuedAt(), stepMs), f);
        }
    }

    /** The frozen candidate's MSE on the validation span (train-normalised), forecast the way serving does. */
    private static double validationMse(OnlineTrainer trainer, List<SensorSequence> origins, StepSeries steps,
                                        TrainStatistics stats, int h) {
        MethodScore score = new MethodScore("validation", stats, h);
        for (int i = 0; i < origins.size(); i += VALIDATION_BATCH) {
            List<SensorSequence> chunk = origins.subList(i, Math.min(origins.size(), i + VALIDATION_BATCH));
            double[][] f = trainer.predict(chunk);
            for (int j = 0; j < chunk.size(); j++) {
                long t = Math.floorDiv(chunk.get(j).end(), chunk.get(j).stepMs());
                for (int k = 0; k < h; k++) {
                    if (steps.observed(t + k + 1)) {
                        score.add(k, f[j][k], steps.value(t + k + 1));
                    }
                }
            }
        }
        return score.mse();
    }

    private static List<MethodScore> score(List<SensorSequence> origins, Map<Long, Forecast> frozen, Map<Long, Forecast> online,
                                           StepSeries steps, TrainStatistics stats, int h, int season, long stepMs) {
        MethodScore f = new MethodScore(FROZEN, stats, h);
        MethodScore o = new MethodScore(ONLINE, stats, h);
        MethodScore p = new MethodScore(PERSISTENCE, stats, h);
        MethodScore s = new MethodScore(SEASONAL, stats, h);
        for (SensorSequence origin : origins) {
            long t = Math.floorDiv(origin.end(), stepMs);
            Forecast ff = lstmForecast(frozen, t, FROZEN);
            Forecast of = lstmForecast(online, t, ONLINE);
            double[] pp = Baselines.persistence(steps, t, h);
            double[] ss = Baselines.seasonalNaive(steps, t, h, season);
            for (int k = 0; k < h; k++) {
                if (!steps.observed(t + k + 1)) {
                    continue;
                }
                double actual = steps.value(t + k + 1);
                f.add(k, ff.points().get(k).value(), actual);
                o.add(k, of.points().get(k).value(), actual);
                p.add(k, pp[k], actual);
                s.add(k, ss[k], actual);
            }
        }
        return List.of(f, o, p, s);
    }

    private static Forecast lstmForecast(Map<Long, Forecast> forecasts, long origin, String method) {
        Forecast f = forecasts.get(origin);
        if (f == null || !Forecast.LSTM.equals(f.method())) {
            // serve falls back to persistence when it has no verified model: that must not pass for the model's score
            throw new IllegalStateException(method + ": serve gave " + (f == null ? "no forecast" : f.method())
                    + " for origin step " + origin + " instead of the model's");
        }
        return f;
    }

    private static EvalReport.Stretch stretch(List<SensorSequence> testOrigins, Map<Long, Forecast> frozen,
                                              Map<Long, Forecast> online, StepSeries steps, int h, long stepMs) {
        long first = Math.floorDiv(testOrigins.get(0).end(), stepMs);
        int origins = Math.max(1, Math.min(STRETCH_ORIGINS, testOrigins.size() / h));
        int n = origins * h + 1;
        double[] actual = new double[n];
        double[] on = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        double[] fr = new double[n];
        double[] pe = new double[n];
        Arrays.fill(on, Double.NaN);
        Arrays.fill(lo, Double.NaN);
        Arrays.fill(hi, Double.NaN);
        Arrays.fill(fr, Double.NaN);
        Arrays.fill(pe, Double.NaN);
        for (int i = 0; i < n; i++) {
            Double v = steps.value(first + i);
            actual[i] = v == null ? Double.NaN : v;
        }
        for (int j = 0; j < origins; j++) {
            long t = first + (long) j * h;
            Forecast o = online.get(t);
            Forecast f = frozen.get(t);
            Double last = steps.value(t);
            for (int k = 0; k < h; k++) {
                int i = j * h + k + 1;
                if (o != null) {
                    on[i] = o.points().get(k).value();
                    lo[i] = o.points().get(k).lo();
                    hi[i] = o.points().get(k).hi();
                }
                if (f != null) {
                    fr[i] = f.points().get(k).value();
                }
                pe[i] = last == null ? Double.NaN : last;
            }
        }
        return new EvalReport.Stretch(first, actual, on, lo, hi, fr, pe);
    }
}
