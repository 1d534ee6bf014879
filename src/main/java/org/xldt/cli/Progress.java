package org.xldt.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on standard error for {@code xldt batch}, redrawn in place with
 * {@code \r} and erase-to-end-of-line: {@code [=========>         ] 512/1000 jobs, 3 failed, 0:12}.
 * Everything the batch prints on standard error goes through {@link #print} so that the bar never
 * mixes with other text. A disabled bar prints nothing of its own. Thread-safe.
 */
final class Progress {
    /** When to show the bar. */
    enum When {
        auto, always, never
    }

    private static final int WIDTH = 30;
    /** Redraw at most this often. */
    private static final long FRAME_NANOS = 100_000_000L;
    /** In auto mode, a run shorter than this shows no bar (the system property xldt.progress.delay-ms changes it, for tests). */
    private static final long DELAY_NANOS = Long.getLong("xldt.progress.delay-ms", 500) * 1_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final long delay;
    private final long start = System.nanoTime();
    private int total;
    private int done;
    private int failed;
    private boolean shown;
    private long lastDraw;

    private Progress(PrintWriter err, boolean enabled, long delay) {
        this.err = err;
        this.enabled = enabled;
        this.delay = delay;
    }

    /**
     * The bar for {@code when}: auto shows it when standard error is a terminal whose TERM is set
     * and not {@code dumb}, after half a second; always shows it at once; never does not.
     */
    static Progress create(PrintWriter err, When when) {
        return switch (when) {
            case never -> new Progress(err, false, 0);
            case always -> new Progress(err, true, 0);
            case auto -> new Progress(err, isTerminal(), DELAY_NANOS);
        };
    }

    private static boolean isTerminal() {
        String term = System.getenv("TERM");
        return term != null && !term.isEmpty() && !term.equals("dumb") && XlCfgInput.stderrIsTerminal();
    }

    synchronized void start(int jobs) {
        total = jobs;
    }

    /** One more job finished. */
    synchronized void finished(boolean ok) {
        done++;
        if (!ok) failed++;
        long now = System.nanoTime();
        if (done == total || now - lastDraw >= FRAME_NANOS) draw(now);
    }

    /** Prints {@code text} (whole lines) on standard error, under the bar. */
    synchronized void print(String text) {
        if (text.isEmpty()) return;
        erase();
        err.print(text);
        err.flush();
        if (shown) draw(System.nanoTime());
    }

    /** Removes the bar for good (at the end of the run). */
    synchronized void close() {
        erase();
        shown = false;
        err.flush();
    }

    private void erase() {
        if (shown) err.print("\r\033[K");
    }

    private void draw(long now) {
        if (!enabled || now - start < delay) return;
        lastDraw = now;
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        StringBuilder sb = new StringBuilder("\r[");
        for (int i = 0; i < WIDTH; i++) sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
        long s = (now - start) / 1_000_000_000L;
        sb.append("] ").append(done).append('/').append(total).append(" jobs");
        if (failed > 0) sb.append(", ").append(failed).append(" failed");
        sb.append(String.format(Locale.ROOT, ", %d:%02d", s / 60, s % 60)).append("\033[K");
        err.print(sb);
        err.flush();
        shown = true;
    }
}
