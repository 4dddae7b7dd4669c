package io.sensorcast.ops.eval;

import java.util.Locale;

/**
 * A chronological train / validation / test split of a CSV's rows. Given as row counts ({@code 8640,2880,2880}, the
 * published ETTh1 protocol: rows past the test span are not used) or as fractions of the rows
 * ({@code 0.6,0.2,0.2}).
 */
public record SeriesSplit(int train, int validation, int test) {
    public SeriesSplit {
        if (train < 1 || validation < 0 || test < 1) {
            throw new IllegalArgumentException("split needs train >= 1, validation >= 0, test >= 1 rows, got "
                    + train + "," + validation + "," + test);
        }
    }

    /** Parses {@code spec} for a file of {@code rows} rows; null or blank means 0.6,0.2,0.2. */
    public static SeriesSplit parse(String spec, int rows) {
        String s = spec == null || spec.isBlank() ? "0.6,0.2,0.2" : spec.trim();
        String[] parts = s.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--split needs three parts TRAIN,VAL,TEST, got '" + spec + "'");
        }
        int[] n = new int[3];
        boolean fractions = s.contains(".");
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            double v;
            try {
                v = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--split: '" + parts[i].trim() + "' is not a number");
            }
            sum += v;
            n[i] = fractions ? (int) Math.floor(v * rows) : (int) v;
            if (!fractions && v != Math.rint(v)) {
                throw new IllegalArgumentException("--split: row counts must be whole numbers, got " + parts[i].trim());
            }
        }
        if (fractions && sum > 1 + 1e-9) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--split fractions add up to %.3f > 1", sum));
        }
        SeriesSplit split = new SeriesSplit(n[0], n[1], n[2]);
        if (split.rows() > rows) {
            throw new IllegalArgumentException("--split asks for " + split.rows() + " rows but the series has " + rows);
        }
        return split;
    }

    /** Rows the split uses. */
    public int rows() {
        return train + validation + test;
    }

    public int[] asArray() {
        return new int[] {train, validation, test};
    }
}
