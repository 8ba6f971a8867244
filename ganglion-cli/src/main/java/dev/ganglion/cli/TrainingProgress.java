package dev.ganglion.cli;

import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;
import dev.ganglion.train.Trainer;
import dev.ganglion.train.TrainingListener;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress on stderr. On a terminal: a bar redrawn in place ({@code \r}) with the batch
 * progress of the current epoch, the rate in samples per second, the time left for the whole run,
 * the mean batch loss of the epoch so far and the previous epoch's accuracy and validation figures; the epochs that the plain log
 * shows stay on screen as lines. Elsewhere (pipes, CI, files): the plain log, one line per epoch
 * for about 20 epochs ({@link TrainingRun.Progress}). {@code GANGLION_PROGRESS=bar|lines|none}
 * overrides the choice; {@code --quiet} always shows nothing. The drawing is {@link #render}, a pure function of the state.
 */
final class TrainingProgress implements TrainingListener {
    /** How progress is shown. */
    enum Mode { BAR, LINES, NONE }

    /** The environment variable that overrides the choice. */
    static final String ENV = "GANGLION_PROGRESS";
    private static final long REDRAW_NANOS = 100_000_000L;

    /**
     * What the bar shows.
     *
     * @param epoch        current epoch, from 1
     * @param epochs       epochs in the run
     * @param batch        batches done in this epoch
     * @param batches      batches per epoch
     * @param samples      samples done in this epoch
     * @param epochSeconds seconds since this epoch started
     * @param totalSeconds seconds since training started
     * @param loss         mean batch loss of this epoch so far
     * @param previous     the previous epoch's figures, or null in the first epoch
     * @param validation   "val" or "test": what the previous epoch's validation figures measured
     */
    record State(int epoch, int epochs, int batch, int batches, long samples, double epochSeconds, double totalSeconds,
                 double loss, EpochStats previous, String validation) {
        /** The share of the whole run done, 0..1. */
        double fractionDone() {
            return ((epoch - 1) + (double) batch / batches) / epochs;
        }
    }

    /** Chooses the display: {@code --quiet} shows none; else {@code env} (nullable) decides, else whether stderr is a terminal. */
    static Mode choose(String env, boolean quiet, boolean terminal) {
        if (quiet) return Mode.NONE;
        if (env != null && !env.isBlank()) {
            return switch (env.strip().toLowerCase(Locale.ROOT)) {
                case "bar" -> Mode.BAR;
                case "lines", "plain" -> Mode.LINES;
                case "none", "off" -> Mode.NONE;
                default -> throw new UserError(ENV + "=" + env + ": expected bar, lines or none");
            };
        }
        return terminal ? Mode.BAR : Mode.LINES;
    }

    /** Set by the {@code ganglion} launcher, which pipes the JVM's stderr: 1 when its own stderr is a terminal, else 0. */
    static final String TTY_ENV = "GANGLION_STDERR_TTY";

    /**
     * Whether stderr is a terminal: as the launcher says ({@value #TTY_ENV}), else when the JVM has
     * a terminal console and, on Linux, file descriptor 2 is a terminal device too (so
     * {@code 2> log} gets the plain log).
     */
    static boolean stderrIsTerminal() {
        String launcher = System.getenv(TTY_ENV);
        if (launcher != null && !launcher.isBlank()) return launcher.strip().equals("1");
        var console = System.console();
        if (console == null || !console.isTerminal()) return false;
        Path fd2 = Path.of("/proc/self/fd/2");
        if (!Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return true;
        try {
            String target = Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    /** The listener for {@code mode}, or null for {@link Mode#NONE}. */
    static TrainingListener create(Mode mode, PrintWriter err, int epochs, String validation, int trainSamples, int batchSize) {
        return switch (mode) {
            case NONE -> null;
            case LINES -> new TrainingRun.Progress(err, epochs, validation);
            case BAR -> new TrainingProgress(err, epochs, validation, trainSamples, batchSize, System::nanoTime, terminalWidth());
        };
    }

    /** The width to draw in: {@code COLUMNS} when set (the launcher sets it from the terminal), else 80. */
    static int terminalWidth() {
        try {
            String c = System.getenv("COLUMNS");
            return c == null ? 80 : Math.max(40, Integer.parseInt(c.strip()));
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /** One bar line for {@code s}, at most {@code width - 1} characters (no {@code \r}, no newline). */
    static String render(State s, int width) {
        int digits = Integer.toString(s.epochs()).length();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "epoch %" + digits + "d/%d ", s.epoch(), s.epochs()));
        int barWidth = 20;
        int filled = s.batches() == 0 ? 0 : (int) ((long) barWidth * s.batch() / s.batches());
        sb.append('[').append("=".repeat(filled));
        if (filled < barWidth) sb.append('>').append(" ".repeat(barWidth - filled - 1));
        sb.append(']');
        int bd = Integer.toString(s.batches()).length();
        sb.append(String.format(Locale.ROOT, " %" + bd + "d/%d", s.batch(), s.batches()));
        if (s.epochSeconds() > 0 && s.samples() > 0) {
            sb.append(String.format(Locale.ROOT, "  %s samples/s", compact(s.samples() / s.epochSeconds())));
        }
        double f = s.fractionDone();
        if (f > 0 && s.totalSeconds() > 0) sb.append("  ETA ").append(duration(s.totalSeconds() * (1 - f) / f));
        if (!Double.isNaN(s.loss())) sb.append(String.format(Locale.ROOT, "  loss %.4f", s.loss()));
        EpochStats p = s.previous();
        if (p != null) {
            sb.append("  | last epoch:");
            if (!Double.isNaN(p.trainAccuracy())) sb.append(String.format(Locale.ROOT, " acc %.4f", p.trainAccuracy()));
            if (!Double.isNaN(p.validationLoss())) sb.append(String.format(Locale.ROOT, " %s_loss %.4f", s.validation(), p.validationLoss()));
            if (!Double.isNaN(p.validationAccuracy())) sb.append(String.format(Locale.ROOT, " %s_acc %.4f", s.validation(), p.validationAccuracy()));
            if (sb.toString().endsWith(":")) sb.append(String.format(Locale.ROOT, " loss %.4f", p.trainLoss()));
        }
        return sb.length() < width ? sb.toString() : sb.substring(0, Math.max(0, width - 1));
    }

    /** 950, 12.3k, 4.56M. */
    static String compact(double v) {
        if (v < 10_000) return String.format(Locale.ROOT, "%.0f", v);
        if (v < 1e6) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    }

    /** 0:07, 12:34, 1:02:03. */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s >= 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private final PrintWriter err;
    private final int epochs;
    private final String validation;
    private final int trainSamples;
    private final int batchSize;
    private final LongSupplier clock;
    private final int width;
    private final TrainingRun.Progress lines;
    private long trainStart, epochStart, lastDraw;
    private double lossSum;
    private EpochStats previous;
    private int drawnLength;

    /**
     * @param trainSamples samples per epoch
     * @param batchSize    mini-batch size (0: full batch)
     * @param clock        nanosecond clock ({@link System#nanoTime} outside tests)
     * @param width        terminal width in characters
     */
    TrainingProgress(PrintWriter err, int epochs, String validation, int trainSamples, int batchSize, LongSupplier clock, int width) {
        this.err = err;
        this.epochs = epochs;
        this.validation = validation;
        this.trainSamples = trainSamples;
        this.batchSize = batchSize <= 0 ? trainSamples : Math.min(batchSize, trainSamples);
        this.clock = clock;
        this.width = width;
        this.lines = new TrainingRun.Progress(err, epochs, validation);
    }

    @Override
    public void onTrainStart(Trainer trainer) {
        trainStart = clock.getAsLong();
        epochStart = trainStart;
        lastDraw = trainStart - REDRAW_NANOS;
        previous = null;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss) {
        long now = clock.getAsLong();
        if (batch == 1) {
            epochStart = now;
            lossSum = 0;
        }
        lossSum += loss;
        if (batch != batches && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        long samples = Math.min((long) trainSamples, (long) batch * batchSize);
        State s = new State(epoch, epochs, batch, batches, samples, (now - epochStart) / 1e9, (now - trainStart) / 1e9,
                lossSum / batch, previous, validation);
        draw(render(s, width));
    }

    @Override
    public void onEpochEnd(EpochStats stats, Trainer trainer) {
        previous = stats;
        String line = lines.line(stats, trainer);
        if (line != null) {
            clear();
            err.println(line);
            err.flush();
        }
    }

    @Override
    public void onTrainEnd(History history, Trainer trainer) {
        clear();
        err.flush();
    }

    private void draw(String text) {
        err.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
        err.flush();
        drawnLength = text.length();
    }

    private void clear() {
        if (drawnLength == 0) return;
        err.print("\r" + " ".repeat(drawnLength) + "\r");
        drawnLength = 0;
    }
}
