package io.sensorcast.ingest.internals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.sensorcast.ingest.IngestConfig;
import io.sensorcast.ingest.SensorSequence;

/**
 * Everything ingest remembers about one sensor: its stream time and open steps (sum, count, the timestamps seen, for
 * duplicates), and its window: the last W closed steps (raw step means and observed flags) and running statistics.
 * See {@link io.sensorcast.ingest.IngestTopology} for the rules; this class implements them for one sensor, with no
 * Kafka in sight.
 *
 * <p>It is stored as two values ({@link #openStepsBytes()}, {@link #windowBytes()}) because they change at different
 * rates: every reading changes the open steps (~200 bytes with ten readings per step and a 2-minute grace), only a
 * closing step changes the window (~600 bytes at W = 96). A sensor that reads ten times per step so writes one window per step instead of ten.
 */
public final class SensorState {
    // formats 1 and 2 were one value holding the open steps too (1 also kept each open step's arrival time); both
    // are still read, as the window value, so a store written before the split carries on
    private static final byte WINDOW_FORMAT = 3;
    private static final byte OPEN_STEPS_FORMAT = 1;
    private static final long NONE = Long.MIN_VALUE;

    /** Outcome of {@link #add}. */
    public enum Outcome { ACCEPTED, DUPLICATE, LATE }

    private long streamTime = NONE;
    private final List<OpenStep> open = new ArrayList<>(4);
    // the last `size` closed steps in order, oldest first; capacity W
    private float[] values;
    private byte[] observed;
    private int size;
    private long appended;          // steps appended since the window (re)started, for the hop
    private long lastStep = NONE;   // index of the newest closed step
    private double lastValue;       // its raw mean (double, for interpolation)
    private long lastArrivedAt;
    private final RunningStats stats;
    private boolean windowChanged;

    private static final class OpenStep {
        final long index;
        double sum;
        int count;
        long[] seen;

        OpenStep(long index, int capacity) {
            this.index = index;
            this.seen = new long[capacity];
        }
    }

    public SensorState(int window) {
        values = new float[window];
        observed = new byte[window];
        stats = new RunningStats();
    }

    private SensorState(int window, RunningStats stats) {
        values = new float[window];
        observed = new byte[window];
        this.stats = stats;
    }

    public long streamTime() {
        return streamTime;
    }

    /** Whether the window (closed steps, statistics) changed since the last call, i.e. needs storing again. */
    public boolean takeWindowChanged() {
        boolean changed = windowChanged;
        windowChanged = false;
        return changed;
    }

    /**
     * Applies one valid reading and hands every sequence it completes to {@code out}, oldest first.
     *
     * @param arrivedAt wall-clock ms when ingest received the reading
     */
    public Outcome add(String sensor, long ts, double value, long arrivedAt, IngestConfig c, Consumer<SensorSequence> out) {
        long stepMs = c.stepMs();
        long index = Math.floorDiv(ts, stepMs);
        if (streamTime != NONE && (index + 1) * stepMs + c.graceMs() <= streamTime) {
            return Outcome.LATE;
        }
        OpenStep step = openStep(index);
        for (int i = 0; i < step.count; i++) {
            if (step.seen[i] == ts) {
                return Outcome.DUPLICATE;
            }
        }
        if (step.count == step.seen.length) {
            step.seen = Arrays.copyOf(step.seen, step.count * 2);
        }
        step.seen[step.count++] = ts;
        step.sum += value;
        if (ts > streamTime) {
            streamTime = ts;
        }
        closeSteps(sensor, c, arrivedAt, out);
        return Outcome.ACCEPTED;
    }

    private OpenStep openStep(long index) {
        int i = 0;
        while (i < open.size() && open.get(i).index < index) {
            i++;
        }
        if (i < open.size() && open.get(i).index == index) {
            return open.get(i);
        }
        OpenStep s = new OpenStep(index, 2);
        open.add(i, s);
        return s;
    }

    // Sequences are stamped with the arrival of the reading that closed their step, not of the step's own newest
    // reading: the wait for event time to pass end + grace is the user's lateness tolerance, not processing latency,
    // and with 1-minute steps it alone would be minutes.
    private void closeSteps(String sensor, IngestConfig c, long closedBy, Consumer<SensorSequence> out) {
        long stepMs = c.stepMs();
        while (!open.isEmpty() && (open.get(0).index + 1) * stepMs + c.graceMs() <= streamTime) {
            OpenStep s = open.remove(0);
            windowChanged = true;
            double mean = s.sum / s.count;
            if (lastStep != NONE) {
                long gap = s.index - lastStep - 1;
                if (gap > c.maxGapSteps()) {
                    size = 0;
                    appended = 0;
                } else {
                    long before = lastStep;
                    for (long g = 1; g <= gap; g++) {
                        double filled = lastValue + (mean - lastValue) * g / (gap + 1);
                        append(sensor, before + g, filled, (byte) 0, closedBy, c, out);
                    }
                }
            }
            stats.add(mean, c.forgettingFactor());
            append(sensor, s.index, mean, (byte) 1, closedBy, c, out);
            lastValue = mean;
        }
    }

    private void append(String sensor, long index, double raw, byte obs, long arrivedAt, IngestConfig c,
                        Consumer<SensorSequence> out) {
        int w = values.length;
        if (size == w) {
            System.arraycopy(values, 1, values, 0, w - 1);
            System.arraycopy(observed, 1, observed, 0, w - 1);
            size--;
        }
        values[size] = (float) raw;
        observed[size] = obs;
        size++;
        appended++;
        lastStep = index;
        lastArrivedAt = arrivedAt;
        if (size == w && (appended - w) % c.hop() == 0) {
            out.accept(sequence(sensor, c));
        }
    }

    private SensorSequence sequence(String sensor, IngestConfig c) {
        double mean = stats.mean();
        double std = stats.std();
        // a constant sensor has std 0; dividing by 1 keeps values finite and the record still denormalises exactly
        if (!(std > 1e-12 * Math.max(1, Math.abs(mean)))) {
            std = 1.0;
        }
        int w = values.length;
        float[] normalised = new float[w];
        for (int i = 0; i < w; i++) {
            normalised[i] = (float) ((values[i] - mean) / std);
        }
        return new SensorSequence(sensor, lastStep * c.stepMs(), c.stepMs(), normalised, observed.clone(), mean, std, lastArrivedAt);
    }

    // --- binary form: two store values ---

    /**
     * The open steps and stream time: {@code [format 1][stream time][count]{index, sum, count, (stream time − seen
     * ts) as int…}}. A reading in an open step is less than step + grace behind the stream time, which the
     * configuration keeps under 2^31 ms, so an int holds it: half the bytes of a timestamp, in the value written
     * at every reading.
     */
    public byte[] openStepsBytes() {
        int bytes = 1 + 8 + 4;
        for (OpenStep s : open) {
            bytes += 8 + 8 + 4 + 4 * s.count;
        }
        ByteBuffer b = ByteBuffer.allocate(bytes);
        b.put(OPEN_STEPS_FORMAT).putLong(streamTime).putInt(open.size());
        for (OpenStep s : open) {
            b.putLong(s.index).putDouble(s.sum).putInt(s.count);
            for (int i = 0; i < s.count; i++) {
                b.putInt(Math.toIntExact(streamTime - s.seen[i]));
            }
        }
        return b.array();
    }

    /** The window and statistics: {@code [format 3][W][size][appended][last step, value, arrival][stats][values][observed]}. */
    public byte[] windowBytes() {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 + 8 + 8 + 8 + 8 + 24 + size * 5);
        b.put(WINDOW_FORMAT).putInt(values.length);
        b.putInt(size).putLong(appended).putLong(lastStep).putDouble(lastValue).putLong(lastArrivedAt);
        b.putDouble(stats.weight()).putDouble(stats.mean()).putDouble(stats.m2());
        b.asFloatBuffer().put(values, 0, size);
        b.position(b.position() + 4 * size);
        b.put(observed, 0, size);
        return b.array();
    }

    /**
     * Reads a sensor's stored state; either value may be absent (null). A window value in format 1 or 2 also holds
     * open steps, which a stored open-steps value supersedes; such a state reports its window changed, so it is
     * rewritten in the current format. A window size different from {@code window} (a reconfigured W) keeps the
     * newest steps.
     */
    public static SensorState fromBytes(byte[] windowValue, byte[] openStepsValue, int window) {
        SensorState s;
        if (windowValue == null) {
            s = new SensorState(window);
        } else {
            ByteBuffer b = ByteBuffer.wrap(windowValue);
            byte format = b.get();
            if (format != WINDOW_FORMAT && format != 2 && format != 1) {
                throw new IllegalStateException("unknown sensor state format " + format);
            }
            b.getInt(); // stored window size
            List<OpenStep> open = new ArrayList<>();
            long streamTime = format == WINDOW_FORMAT ? NONE
                    : readOpenSteps(b, format == 1 ? OpenStepsLayout.IN_FORMAT_1 : OpenStepsLayout.IN_FORMAT_2, open);
            s = readWindow(b, window);
            s.streamTime = streamTime;
            s.open.addAll(open);
            s.windowChanged = format != WINDOW_FORMAT;
        }
        if (openStepsValue != null) {
            ByteBuffer b = ByteBuffer.wrap(openStepsValue);
            byte format = b.get();
            if (format != OPEN_STEPS_FORMAT) {
                throw new IllegalStateException("unknown open steps format " + format);
            }
            s.open.clear();
            s.streamTime = readOpenSteps(b, OpenStepsLayout.OWN_VALUE, s.open);
        }
        return s;
    }

    /** Where open steps were stored, and so how their timestamps are written. */
    private enum OpenStepsLayout {
        /** inside a format 1 value: timestamps as longs, then each step's arrival time (skipped) */
        IN_FORMAT_1,
        /** inside a format 2 value: timestamps as longs */
        IN_FORMAT_2,
        /** their own value ({@link #openStepsBytes()}): timestamps as int distances behind the stream time */
        OWN_VALUE
    }

    // returns the stream time
    private static long readOpenSteps(ByteBuffer b, OpenStepsLayout layout, List<OpenStep> into) {
        long streamTime = b.getLong();
        int openCount = b.getInt();
        for (int k = 0; k < openCount; k++) {
            OpenStep s = new OpenStep(b.getLong(), 0);
            s.sum = b.getDouble();
            s.count = b.getInt();
            if (layout == OpenStepsLayout.IN_FORMAT_1) {
                b.getLong();
            }
            s.seen = new long[Math.max(2, s.count)];
            for (int i = 0; i < s.count; i++) {
                s.seen[i] = layout == OpenStepsLayout.OWN_VALUE ? streamTime - b.getInt() : b.getLong();
            }
            into.add(s);
        }
        return streamTime;
    }

    private static SensorState readWindow(ByteBuffer b, int window) {
        int size = b.getInt();
        long appended = b.getLong();
        long lastStep = b.getLong();
        double lastValue = b.getDouble();
        long lastArrivedAt = b.getLong();
        RunningStats stats = new RunningStats(b.getDouble(), b.getDouble(), b.getDouble());
        SensorState s = new SensorState(window, stats);
        int skip = Math.max(0, size - window);
        b.position(b.position() + 4 * skip);
        b.asFloatBuffer().get(s.values, 0, size - skip);
        b.position(b.position() + 4 * (size - skip) + skip);
        b.get(s.observed, 0, size - skip);
        s.size = size - skip;
        s.appended = appended;
        s.lastStep = lastStep;
        s.lastValue = lastValue;
        s.lastArrivedAt = lastArrivedAt;
        return s;
    }
}
