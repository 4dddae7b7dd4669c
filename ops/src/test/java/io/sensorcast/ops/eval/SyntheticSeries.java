package io.sensorcast.ops.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/** A small hourly CSV ({@code ts,value}): a daily sine of amplitude 5 around 20 with seeded noise of σ 0.2. */
final class SyntheticSeries {
    private SyntheticSeries() {
    }

    /** {@code rows} rows from 2020-01-01T00:00Z; rows from 80% on get {@code testShift} added. */
    static Path write(Path file, int rows, double testShift) {
        Random noise = new Random(7);
        StringBuilder sb = new StringBuilder("ts,value\n");
        long t0 = 1_577_836_800_000L;
        for (int i = 0; i < rows; i++) {
            double v = 20 + 5 * Math.sin(2 * Math.PI * i / 24) + 0.2 * noise.nextGaussian() + (i >= rows * 0.8 ? testShift : 0);
            sb.append(t0 + i * 3_600_000L).append(',').append(String.format(Locale.ROOT, "%.4f", v)).append('\n');
        }
        try {
            return Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
