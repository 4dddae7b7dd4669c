package io.sensorcast.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One numeric column of a CSV file as a time series of readings.
 *
 * <p>Timestamps may be epoch milliseconds, ISO-8601 instants or offsets ({@code 2016-07-01T00:00:00Z}), or local
 * date-times taken as UTC ({@code 2016-07-01 00:00:00}, the ETT data sets' form). Rows whose value is empty or not
 * a number are counted in {@link #skippedRows()} rather than silently turned into readings.
 *
 * <p>Example: {@code CsvSeries.read(Path.of("ETTh1.csv"), "date", "OT", "etth1.ot")} gives 17,420 readings one
 * hour apart.
 */
public final class CsvSeries {
    private static final DateTimeFormatter LOCAL_SPACE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]");

    private final List<Reading> readings;
    private final int skippedRows;

    private CsvSeries(List<Reading> readings, int skippedRows) {
        this.readings = readings;
        this.skippedRows = skippedRows;
    }

    public static CsvSeries read(Path file, String timeColumn, String valueColumn, String sensor) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            List<String> columns = Arrays.asList(split(stripBom(header)));
            int t = columns.indexOf(timeColumn);
            int v = columns.indexOf(valueColumn);
            if (t < 0) {
                throw new IllegalArgumentException(file + " has no column '" + timeColumn + "' (columns: " + String.join(", ", columns) + ")");
            }
            if (v < 0) {
                throw new IllegalArgumentException(file + " has no column '" + valueColumn + "' (columns: " + String.join(", ", columns) + ")");
            }
            List<Reading> out = new ArrayList<>();
            int skipped = 0;
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line);
                if (cells.length <= Math.max(t, v)) {
                    skipped++;
                    continue;
                }
                long ts = parseTimestamp(cells[t].trim(), file, lineNo);
                double value;
                try {
                    value = Double.parseDouble(cells[v].trim());
                } catch (NumberFormatException e) {
                    skipped++;
                    continue;
                }
                if (!Double.isFinite(value)) {
                    skipped++;
                    continue;
                }
                out.add(new Reading(sensor, ts, value));
            }
            return new CsvSeries(List.copyOf(out), skipped);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the timestamp forms this class accepts into epoch milliseconds. */
    public static long parseTimestamp(String s, Path file, int lineNo) {
        try {
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(s);
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant().toEpochMilli();
            }
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (s.indexOf('T') > 0) {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            return LocalDateTime.parse(s, LOCAL_SPACE).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + lineNo + ": cannot read timestamp '" + s + "'", e);
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].trim();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1);
            }
            cells[i] = c;
        }
        return cells;
    }

    public List<Reading> readings() {
        return readings;
    }

    public int skippedRows() {
        return skippedRows;
    }

    public Instant first() {
        return readings.isEmpty() ? null : Instant.ofEpochMilli(readings.get(0).ts());
    }
}
