package dev.ganglion.cli;

import dev.ganglion.io.CheckpointStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ganglion train --checkpoint-every / --resume} in-process: a run resumed from any of its
 * checkpoints writes the same model.safetensors, byte for byte, as the run that went through.
 */
class CheckpointCliTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void data() {
        data = tmp.resolve("font.csv");
        assertThat(Cli.run("generate", "font", "--samples", "400", "--seed", "3", "--out", data.toString()).exitCode()).isZero();
    }

    private static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--label", "light_font",
                "--layers", "12:relu,dropout(0.25),8:tanh,1:sigmoid", "--scale", "255", "--epochs", "5", "--batch", "16",
                "--optimizer", "adam", "--schedule", "cosine", "--warmup", "1", "--early-stopping", "3", "--monitor", "loss",
                "--out", out.toString(), "--quiet"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void resumingFromEveryEpochCheckpointWritesTheSameWeightsByteForByte() throws IOException {
        Path out = tmp.resolve("every");
        Cli first = Cli.run(args(out, "--checkpoint-every", "1", "--keep-checkpoints", "0").toArray(String[]::new));
        assertThat(first.exitCode()).as(first.err()).isZero();
        byte[] expected = Files.readAllBytes(out.resolve("model.safetensors"));
        List<Path> checkpoints = CheckpointStore.list(out.resolve("checkpoints"));
        assertThat(checkpoints).extracting(p -> p.getFileName().toString())
                .containsExactly("epoch-000001", "epoch-000002", "epoch-000003", "epoch-000004", "epoch-000005");
        // the last checkpoint holds the final weights of the run
        assertThat(Files.readAllBytes(checkpoints.getLast().resolve("model.safetensors"))).isEqualTo(expected);

        for (Path c : checkpoints) {
            Files.delete(out.resolve("model.safetensors"));
            Cli resumed = Cli.run("train", "--resume", c.toString(), "--quiet");
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(Files.readAllBytes(out.resolve("model.safetensors"))).as("resumed from %s", c.getFileName()).isEqualTo(expected);
        }
        // a checkpoint is a model directory too
        Cli predict = Cli.run("evaluate", "--model", checkpoints.get(1).toString(), "--data", data.toString());
        assertThat(predict.exitCode()).as(predict.err()).isZero();
    }

    @Test
    void resumeTakesTheNewestCompleteCheckpointAndIgnoresHiddenLeftovers() throws IOException {
        Path out = tmp.resolve("latest");
        assertThat(Cli.run(args(out, "--checkpoint-every", "2").toArray(String[]::new)).exitCode()).isZero();
        Path dir = out.resolve("checkpoints");
        assertThat(CheckpointStore.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("epoch-000002", "epoch-000004", "epoch-000005");
        // what a kill in the middle of a write leaves: a hidden, incomplete directory
        Path torn = dir.resolve(".tmp-epoch-000009-1234");
        Files.createDirectories(torn);
        Files.writeString(torn.resolve("checkpoint.json"), "{\"format\": \"ganglion-chec");
        assertThat(Checkpoints.resolve(out)).isEqualTo(dir.resolve("epoch-000005"));
        assertThat(Checkpoints.resolve(dir)).isEqualTo(dir.resolve("epoch-000005"));
        deleteTree(dir.resolve("epoch-000005"));   // as if the run had been killed before its last checkpoint
        assertThat(Checkpoints.resolve(out)).isEqualTo(dir.resolve("epoch-000004"));
        Cli resumed = Cli.run("train", "--resume", out.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(torn).as("the next write cleans leftovers up").doesNotExist();
        assertThat(dir.resolve("epoch-000005")).isDirectory();
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    @Test
    void keepsTheNewestCheckpointsOnly() {
        Path out = tmp.resolve("keep");
        assertThat(Cli.run(args(out, "--checkpoint-every", "1", "--keep-checkpoints", "2").toArray(String[]::new)).exitCode()).isZero();
        assertThat(CheckpointStore.list(out.resolve("checkpoints"))).extracting(p -> p.getFileName().toString())
                .containsExactly("epoch-000004", "epoch-000005");
    }

    @Test
    void badResumeRequestsAreOneLineUserErrors() throws IOException {
        Path out = tmp.resolve("bad");
        assertThat(Cli.run(args(out, "--checkpoint-every", "5").toArray(String[]::new)).exitCode()).isZero();
        Path c = out.resolve("checkpoints").resolve("epoch-000005");

        Cli extra = Cli.run("train", "--resume", c.toString(), "--epochs", "9");
        assertThat(extra.exitCode()).isEqualTo(2);
        assertThat(extra.err()).isEqualTo("ganglion: --resume takes every setting from the checkpoint; only --quiet and --json may be added, got --epochs\n");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli none = Cli.run("train", "--resume", empty.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("ganglion: --resume " + empty + ": no checkpoint there").doesNotContain("Exception");

        try (RandomAccessFile f = new RandomAccessFile(c.resolve(CheckpointStore.STATE_FILE).toFile(), "rw")) {
            f.setLength(f.length() - 3);
        }
        Cli torn = Cli.run("train", "--resume", c.toString());
        assertThat(torn.exitCode()).isEqualTo(2);
        assertThat(torn.err()).contains(CheckpointStore.STATE_FILE).hasLineCount(1);

        Files.writeString(c.resolve(CheckpointStore.META_FILE), "{\"format\": \"ganglion-checkpoint\", \"format_version\": 7}");
        Cli version = Cli.run("train", "--resume", c.toString());
        assertThat(version.err()).isEqualTo("ganglion: " + c.resolve(CheckpointStore.META_FILE)
                + ": \"format_version\" is 7; this Ganglion reads version 1\n");
    }
}
