package io.sensorcast.model;

/** Runs {@link TrainBenchmark} from the command line: {@code [batches] [repeats]}, e.g. {@code 32,256 10}. */
public final class TrainBenchmarkMain {
    public static void main(String[] args) {
        int[] batches = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[]{1, 32, 256, 1024};
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        for (TrainBenchmark.Result r : TrainBenchmark.run(ModelConfig.defaults(), batches, repeats)) {
            System.out.println(r.toJson());
        }
    }
}
