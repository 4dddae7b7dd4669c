package io.sensorcast.model;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training throughput (sequences/s) through the real {@link OnlineTrainer} path — last-value transform, TBPTT,
 * clipping listener, explosion detection, snapshots, metrics — for a given shape, at several batch sizes. The data
 * are the PyTorch peer's ({@code ../shared/peers/pytorch_lstm_bench.py}): sine waves with a random phase and noise;
 * the timing protocol is the peer's too (warm-up steps, then {@code repeats} timed steps, one step = one batch).
 *
 * <p>{@link #run} applies {@link Nd4jTuning#forSmallRecurrentModels()} (one OpenMP thread, op profiling off) first.
 */
public final class TrainBenchmark {

    /** One result: {@code {"benchmark":"train","params":{…},"value":N,"unit":"sequences/s"}}. */
    public record Result(String benchmark, Map<String, Object> params, double value, String unit) {
        public String toJson() {
            StringBuilder sb = new StringBuilder("{\"benchmark\":\"").append(benchmark).append("\",\"params\":{");
            boolean first = true;
            for (Map.Entry<String, Object> e : params.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append('"').append(e.getKey()).append("\":");
                Object v = e.getValue();
                if (v instanceof Number || v instanceof Boolean) {
                    sb.append(v);
                } else {
                    sb.append('"').append(v).append('"');
                }
            }
            return sb.append("},\"value\":").append(String.format(Locale.ROOT, "%.1f", value))
                    .append(",\"unit\":\"").append(unit).append("\"}").toString();
        }
    }

    private TrainBenchmark() {
    }

    /** The defaults of DESIGN.md at batch 1, 32, 256 and 1024, 10 timed steps each (as the acceptance check runs the peer). */
    public static List<Result> runDefault() {
        return run(ModelConfig.defaults(), new int[]{1, 32, 256, 1024}, 10);
    }

    public static List<Result> run(ModelConfig config, int[] batches, int repeats) {
        Nd4jTuning.forSmallRecurrentModels();
        List<Result> out = new ArrayList<>();
        for (int b : batches) {
            out.add(runBatch(config, b, repeats));
        }
        return out;
    }

    /** Sequences/s of {@code repeats} training steps at batch {@code batch}, after max(3, repeats/5) warm-up steps. */
    public static Result runBatch(ModelConfig config, int batch, int repeats) {
        Nd4jTuning.forSmallRecurrentModels();
        OnlineTrainer trainer = new OnlineTrainer("bench", config.withBatchSize(batch),
                new TrainerMetrics(new SimpleMeterRegistry(), config.clipThreshold()), Clock.systemUTC());
        float[][] windows = windows(batch, config.window(), config.seed());
        int warmup = Math.max(3, repeats / 5);
        for (int i = 0; i < warmup; i++) {
            trainer.train(windows);
        }
        long start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            trainer.train(windows);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("batch", batch);
        params.put("window", config.window());
        params.put("horizon", config.horizon());
        params.put("hidden", config.hidden());
        params.put("layers", config.layers());
        params.put("cell", config.cell().code());
        params.put("tbptt", config.tbpttForward());
        params.put("clipping", config.clippingPolicy().code());
        params.put("repeats", repeats);
        params.put("msPerBatch", Math.round(seconds / repeats * 1e6) / 1e3);
        return new Result("train", params, batch * repeats / seconds, "sequences/s");
    }

    /** The peer's data: {@code sin(2π t/24 + φ) + 0.1·N(0,1)}, φ uniform in [0, 2π). */
    static float[][] windows(int batch, int window, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] w = new float[batch][window];
        for (float[] row : w) {
            double phase = r.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < window; t++) {
                row[t] = (float) (Math.sin(t / 24.0 * 2 * Math.PI + phase) + 0.1 * r.nextGaussian());
            }
        }
        return w;
    }
}
