package dev.ganglion.cli;

import dev.ganglion.io.CheckpointStore;
import dev.ganglion.io.ModelStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real processes, real signals: {@code ganglion train} is started as a separate JVM and killed with
 * SIGKILL ({@link Process#destroyForcibly()}) or SIGTERM ({@link Process#destroy()}) while it trains;
 * the resumed run must end with exactly the weights of a run that was never stopped, and no kill,
 * even one in the middle of writing a checkpoint, may leave a checkpoint that does not load.
 */
class CheckpointProcessTest {
    @TempDir
    static Path tmp;
    static Path data;
    static byte[] reference;

    @BeforeAll
    static void referenceRun() throws Exception {
        data = tmp.resolve("font.csv");
        assertThat(Cli.run("generate", "font", "--samples", "700", "--seed", "5", "--out", data.toString()).exitCode()).isZero();
        Path out = tmp.resolve("reference");
        Process p = start(out, "--checkpoint-every", "0");
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log(out)).isZero();
        reference = Files.readAllBytes(out.resolve("model.safetensors"));
    }

    /** The training command: 30 epochs of small batches, so there is time to kill it. */
    private static List<String> trainArgs(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--label", "light_font",
                "--layers", "32:relu,dropout(0.2),16:relu,1:sigmoid", "--scale", "255", "--epochs", "30", "--batch", "8",
                "--optimizer", "adam", "--schedule", "cosine", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private static Process start(Path out, String... extra) throws IOException {
        return launch(out, trainArgs(out, extra));
    }

    /** Starts {@code ganglion ARGS} in a new JVM with the test's class path, logging to OUT.log. */
    private static Process launch(Path out, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", classPath, "dev.ganglion.cli.Main"));
        cmd.addAll(args);
        Files.createDirectories(out.getParent());
        Path log = logFile(out);
        return new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static Path logFile(Path out) {
        return out.resolveSibling(out.getFileName() + ".log");
    }

    private static String log(Path out) throws IOException {
        Path f = logFile(out);
        return Files.exists(f) ? Files.readString(f) : "(no log)";
    }

    /** Waits until {@code dir} holds a complete checkpoint newer than {@code after}; returns it. */
    private static Path awaitCheckpoint(Path dir, Process p, String after) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            var latest = CheckpointStore.latest(dir);
            if (latest.isPresent() && latest.get().getFileName().toString().compareTo(after) > 0) return latest.get();
            if (!p.isAlive()) {
                throw new AssertionError("training ended (exit " + p.exitValue() + ") before a checkpoint appeared:\n"
                        + log(dir.getParent()));
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no checkpoint in " + dir + " after 240 s");
    }

    private static void resumeToTheEnd(Path out, Path checkpoints) throws Exception {
        Process r = launch(out, List.of("train", "--resume", checkpoints.toString()));
        assertThat(r.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(r.exitValue()).as(log(out)).isZero();
    }

    @Test
    void sigkillAfterTheFirstCheckpointThenResumeGivesTheWeightsOfAnUninterruptedRun() throws Exception {
        Path out = tmp.resolve("killed");
        Path dir = out.resolve("checkpoints");
        Process p = start(out, "--checkpoint-every", "3");
        awaitCheckpoint(dir, p, "");
        p.destroyForcibly();                      // SIGKILL: no shutdown hook, no last words
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);
        assertThat(out.resolve("model.safetensors")).as("the killed run never finished").doesNotExist();

        resumeToTheEnd(out, dir);
        assertThat(log(out)).contains("resuming from " + CheckpointStore.latest(dir).map(x -> "").orElse(""));
        assertThat(Files.readAllBytes(out.resolve("model.safetensors"))).isEqualTo(reference);
    }

    @Test
    void sigtermSavesACheckpointExitsWith143AndSaysHowToResume() throws Exception {
        Path out = tmp.resolve("terminated");
        Path dir = out.resolve("checkpoints");
        Process p = start(out, "--checkpoint-every", "3");
        Path first = awaitCheckpoint(dir, p, "");
        p.destroy();                              // SIGTERM
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log(out)).isEqualTo(143);
        Path saved = CheckpointStore.latest(dir).orElseThrow();
        // written on the signal: later than the first periodic one, or the same position when the
        // signal landed right at that epoch's end (then it is written again, for the same point)
        assertThat(saved.getFileName().toString()).as("a checkpoint written on the signal").isGreaterThanOrEqualTo(first.getFileName().toString());
        List<String> lines = Files.readAllLines(logFile(out));
        assertThat(lines.getLast()).matches("ganglion: training interrupted after \\d+ epoch\\(s\\).*; checkpoint saved to "
                + java.util.regex.Pattern.quote(saved.toString()) + "; resume with: ganglion train --resume "
                + java.util.regex.Pattern.quote(saved.toString()));

        resumeToTheEnd(out, dir);
        assertThat(Files.readAllBytes(out.resolve("model.safetensors"))).isEqualTo(reference);
    }

    @Test
    void killsWhileCheckpointsAreWrittenNeverLeaveOneThatDoesNotLoad() throws Exception {
        Path out = tmp.resolve("hammered");
        Path dir = out.resolve("checkpoints");
        String after = "";
        int kills = 0;
        for (int round = 0; round < 6; round++) {
            Process p = round == 0 ? start(out, "--checkpoint-every", "1", "--keep-checkpoints", "2")
                    : launch(out, List.of("train", "--resume", dir.toString()));
            after = awaitCheckpoint(dir, p, after).getFileName().toString();
            Thread.sleep(7L * round);            // from right at a checkpoint write to well inside the next epoch
            if (!p.isAlive()) break;
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
            kills++;
            for (Path c : CheckpointStore.list(dir)) {   // everything that looks complete must load
                CheckpointStore.read(c);
                ModelStore.load(c);
            }
            after = CheckpointStore.latest(dir).orElseThrow().getFileName().toString();
        }
        assertThat(kills).isPositive();
        resumeToTheEnd(out, dir);
        assertThat(Files.readAllBytes(out.resolve("model.safetensors"))).isEqualTo(reference);
    }
}
