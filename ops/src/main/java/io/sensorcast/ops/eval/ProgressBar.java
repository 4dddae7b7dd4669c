package io.sensorcast.ops.eval;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One console line redrawn in place ({@code \r}) when the percentage or the phase changes:
 * {@code [##########··········]  50%  training pass 3/10 · 1m 12s}. Never a line per update, so logs stay readable.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();
    private long total;
    private long done;
    private int lastPercent = -1;
    private String phase = "";
    private String lastPhase = null;

    public ProgressBar(PrintWriter out, long total) {
        this.out = out;
        this.total = Math.max(1, total);
    }

    /** Re-estimates the total work (e.g. after early stopping skipped some passes). */
    public void total(long total) {
        this.total = Math.max(done, Math.max(1, total));
        draw();
    }

    public void phase(String phase) {
        this.phase = phase;
        draw();
    }

    public void advance(long units) {
        done = Math.min(total, done + units);
        draw();
    }

    public void finish() {
        done = total;
        draw();
        out.println();
        out.flush();
    }

    private void draw() {
        int percent = (int) (100 * done / total);
        if (percent == lastPercent && phase.equals(lastPhase)) {
            return;
        }
        lastPercent = percent;
        lastPhase = phase;
        int filled = WIDTH * percent / 100;
        long s = (System.nanoTime() - startNanos) / 1_000_000_000L;
        out.print(String.format(Locale.ROOT, "\r[%s%s] %3d%%  %-70s %dm %02ds", "#".repeat(filled), ".".repeat(WIDTH - filled),
                percent, phase, s / 60, s % 60));
        out.flush();
    }
}
