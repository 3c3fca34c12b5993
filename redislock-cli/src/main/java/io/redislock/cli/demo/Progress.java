package io.redislock.cli.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A simple text progress bar on stderr: redrawn in place on a terminal, one line per phase otherwise.
 *
 * <p>Thread-safety: {@link #begin}, {@link #end} from one thread; the redraw thread only reads.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_MILLIS = 200;

    private final PrintWriter err;
    private final boolean terminal;
    private volatile Phase current;
    private Thread redraw;

    private record Phase(String label, long start, long nanos, LongAdder ops) {}

    /**
     * Creates the bar.
     *
     * @param err where to draw
     * @param terminal whether stderr is a terminal (redraw in place)
     */
    public Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Starts a phase.
     *
     * @param label what runs
     * @param length how long it runs
     * @param ops the increment counter to show, or null for none
     */
    public void begin(String label, Duration length, LongAdder ops) {
        current = new Phase(label, System.nanoTime(), length.toNanos(), ops);
        if (!terminal) {
            err.println(label + " (" + length.toMillis() + " ms)...");
            err.flush();
            return;
        }
        redraw = new Thread(this::redrawLoop, "demo-progress");
        redraw.setDaemon(true);
        redraw.start();
    }

    /**
     * Ends the phase.
     *
     * @param summary a short result shown after the bar
     */
    public void end(String summary) {
        Phase p = current;
        current = null;
        if (redraw != null) {
            redraw.interrupt();
            try {
                redraw.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            redraw = null;
        }
        if (p == null) {
            return;
        }
        if (terminal) {
            err.print("\r" + line(p, 1.0) + "  " + summary + "\033[K\n");
        } else {
            err.println("  " + (p.ops == null ? "" : p.ops.sum() + " increments: ") + summary);
        }
        err.flush();
    }

    private void redrawLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            Phase p = current;
            if (p == null) {
                return;
            }
            double f = Math.min(1.0, (System.nanoTime() - p.start) / (double) Math.max(1, p.nanos));
            synchronized (err) {
                err.print("\r" + line(p, f) + "\033[K");
                err.flush();
            }
            try {
                Thread.sleep(REDRAW_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String line(Phase p, double fraction) {
        int filled = (int) Math.round(fraction * WIDTH);
        String count = p.ops == null ? "" : String.format(Locale.ROOT, " %8d increments", p.ops.sum());
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %-38s%s", "#".repeat(filled), "-".repeat(WIDTH - filled),
                Math.round(fraction * 100), p.label, count);
    }
}
