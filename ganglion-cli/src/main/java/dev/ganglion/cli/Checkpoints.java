package dev.ganglion.cli;

import dev.ganglion.io.CheckpointStore;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.train.Trainer;
import dev.ganglion.train.TrainingInterruptedException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoints for {@code ganglion train}: writes them every N epochs through {@link CheckpointStore},
 * resumes from one, and turns SIGINT/SIGTERM into a checkpoint. On a signal, a shutdown hook asks
 * the trainer to stop after the current batch and waits (up to {@link #SIGNAL_WAIT_SECONDS}) while
 * the training thread writes the checkpoint and prints where it is; the JVM then exits with 130
 * (SIGINT) or 143 (SIGTERM).
 */
final class Checkpoints implements TrainingRun.Hook, AutoCloseable {
    /** How long a shutdown hook waits for the checkpoint of an interrupted run. */
    static final int SIGNAL_WAIT_SECONDS = 120;
    /** The exit code of {@code train} when interrupted in-process (a signal makes the JVM's own 130/143). */
    static final int INTERRUPTED = 130;
    private static final Set<String> DISPLAY_FLAGS = Set.of("--quiet", "--json", "--verbose");

    private final CheckpointOptions options;
    private final Path dir;
    private final List<String> arguments;
    private final PrintWriter err;
    private final boolean quiet;
    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Trainer trainer;
    private volatile Path last;

    /**
     * Installs the signal handling for a run writing its model to {@code out}, started with the
     * {@code train} command-line {@code arguments}.
     */
    Checkpoints(CheckpointOptions options, Path out, List<String> arguments, PrintWriter err, boolean quiet) {
        options.validate();
        this.options = options;
        this.dir = options.dirFor(out);
        this.arguments = recordable(arguments);
        this.err = err;
        this.quiet = quiet;
        this.hook = new Thread(this::onSignal, "ganglion-checkpoint-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void beforeFit(Trainer trainer, Model model) {
        if (options.resume != null) {
            CheckpointStore.Checkpoint c = CheckpointStore.read(options.resume);
            Model saved = ModelStore.load(options.resume);
            try {
                model.network().loadStateDict(saved.network().stateDict());
            } catch (IllegalArgumentException e) {
                throw new UserError(options.resume + ": the checkpoint's model does not fit this run: " + e.getMessage());
            }
            trainer.resumeFrom(c.state());
            if (!quiet) err.println("resuming from " + options.resume + " (" + position(c.state().epoch(), c.state().batch()) + ")");
        }
        String cwd = Path.of("").toAbsolutePath().toString();
        trainer.setCheckpoints(options.every, state -> {
            last = CheckpointStore.write(dir, model, Map.of("checkpoint", position(state.epoch(), state.batch())),
                    arguments, cwd, state, options.keep);
            if (!quiet) {
                err.println("checkpoint saved to " + last);
                err.flush();
            }
        });
        this.trainer = trainer;
    }

    /** Reports an interrupted run: one line with the checkpoint and how to resume; returns the exit code. */
    int interrupted(TrainingInterruptedException e) {
        err.println("ganglion: " + e.getMessage() + "; checkpoint saved to " + last + "; resume with: ganglion train --resume " + last);
        err.flush();
        finished.countDown();
        return INTERRUPTED;
    }

    /** Training is over (or failed): the shutdown hook no longer waits, and is removed. */
    @Override
    public void close() {
        trainer = null;
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private void onSignal() {
        Trainer t = trainer;
        if (t == null) return;
        t.requestInterrupt();
        try {
            if (!finished.await(SIGNAL_WAIT_SECONDS, TimeUnit.SECONDS)) {
                err.println("ganglion: no checkpoint after " + SIGNAL_WAIT_SECONDS + " s; exiting without one");
                err.flush();
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private static String position(int epoch, int batch) {
        return "after epoch " + epoch + (batch > 0 ? " and " + batch + " batch(es) of the next" : "");
    }

    /** The arguments worth storing: those after "train", without --resume and the display flags. */
    static List<String> recordable(List<String> args) {
        int t = args.indexOf("train");
        List<String> out = new ArrayList<>();
        for (int i = t + 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--resume")) i++;
            else if (!a.startsWith("--resume=") && !DISPLAY_FLAGS.contains(a)) out.add(a);
        }
        return out;
    }

    /**
     * Rewrites {@code ganglion [opts] train --resume DIR [--quiet] [--json]} into the command line the
     * checkpoint was made with, plus {@code --resume CHECKPOINT}; other command lines are returned as
     * they are. DIR is a checkpoint, a checkpoint directory (its newest is taken) or a model directory
     * with a {@code checkpoints} folder.
     */
    static String[] expandResume(String[] args) {
        int t = 0;
        while (t < args.length && args[t].startsWith("-")) t++;
        if (t >= args.length || !args[t].equals("train")) return args;
        String resume = null;
        List<String> extras = new ArrayList<>();
        for (int i = t + 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--resume")) {
                if (i + 1 >= args.length) return args;   // picocli reports the missing value
                resume = args[++i];
            } else if (a.startsWith("--resume=")) {
                resume = a.substring("--resume=".length());
            } else {
                extras.add(a);
            }
        }
        if (resume == null) return args;
        for (String e : extras) {
            if (!DISPLAY_FLAGS.contains(e)) {
                throw new UserError("--resume takes every setting from the checkpoint; only --quiet and --json may be added, got " + e);
            }
        }
        Path dir = resolve(Path.of(resume));
        CheckpointStore.Checkpoint c = CheckpointStore.read(dir);
        String cwd = Path.of("").toAbsolutePath().toString();
        if (!c.workingDirectory().equals(cwd)) {
            throw new UserError(dir + ": the run was started in " + c.workingDirectory() + " and its paths are relative to it; "
                    + "resume from there (cd " + c.workingDirectory() + ")");
        }
        List<String> out = new ArrayList<>(Arrays.asList(args).subList(0, t + 1));
        out.addAll(c.arguments());
        out.addAll(extras);
        out.add("--resume");
        out.add(dir.toString());
        return out.toArray(String[]::new);
    }

    /** The checkpoint that {@code path} designates. */
    static Path resolve(Path path) {
        if (Files.isRegularFile(path.resolve(CheckpointStore.META_FILE))) return path;
        if (!Files.isDirectory(path)) throw new UserError("--resume " + path + ": no such directory");
        for (Path p : List.of(path, path.resolve("checkpoints"))) {
            var latest = CheckpointStore.latest(p);
            if (latest.isPresent()) return latest.get();
        }
        throw new UserError("--resume " + path + ": no checkpoint there (a checkpoint holds " + CheckpointStore.META_FILE + ")");
    }
}
