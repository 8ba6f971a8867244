package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** --class-weights balanced|W0,W1,... on the (binary) cross-entropy, stored with the model's loss. */
class ClassWeightsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Cli ok(String... args) {
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).as("ganglion %s%nstderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    /** About one sample in nine is class 1. */
    private Path rare() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 600; i++) {
            double x1 = rng.nextGaussian(), x2 = rng.nextGaussian();
            int y = x1 + 0.5 * x2 + 0.7 * rng.nextGaussian() > 1.6 ? 1 : 0;
            sb.append(String.format(Locale.ROOT, "%.3f,%.3f,%d%n", x1, x2, y));
        }
        Path f = dir.resolve("rare.csv");
        Files.writeString(f, sb);
        return f;
    }

    private static double positiveRecall(Path model, Path csv) throws IOException {
        JsonNode eval = JSON.readTree(ok("evaluate", "--model", model.toString(), "--data", csv.toString(), "--json").out());
        return eval.get("classes").get(1).get("recall").asDouble();
    }

    @Test
    void balancedWeightsComeFromTheClassCountsAndRaiseTheRareClassesRecall() throws IOException {
        Path csv = rare();
        long ones = Files.readAllLines(csv).stream().filter(l -> l.endsWith(",1")).count(), n = 600, zeros = n - ones;
        Path plain = dir.resolve("plain"), balanced = dir.resolve("balanced");
        String[] common = {"--data", csv.toString(), "--label", "label", "--layers", "8:relu,1:sigmoid", "--epochs", "40",
                "--lr", "0.02", "--quiet"};
        ok(concat(new String[]{"train"}, common, new String[]{"--out", plain.toString()}));
        ok(concat(new String[]{"train"}, common, new String[]{"--class-weights", "balanced", "--out", balanced.toString()}));
        String expected = "bce(" + (float) ((double) n / (2 * zeros)) + "," + (float) ((double) n / (2 * ones)) + ")";
        assertThat(JSON.readTree(balanced.resolve("config.json").toFile()).get("loss").asText()).isEqualTo(expected);
        assertThat(ok("evaluate", "--model", balanced.toString(), "--data", csv.toString()).out()).contains("(" + expected + ")");
        assertThat(positiveRecall(balanced, csv)).isGreaterThan(positiveRecall(plain, csv));
    }

    @Test
    void explicitWeightsForEachClassAndForMultiLabel() throws IOException {
        StringBuilder sb = new StringBuilder("x,kind,a,b\n");
        for (int i = 0; i < 60; i++) sb.append(i).append(',').append("abc".charAt(i % 3)).append(',').append(i % 2).append(',')
                .append(i % 4 == 0 ? 1 : 0).append('\n');
        Path csv = dir.resolve("kinds.csv");
        Files.writeString(csv, sb);
        Path model = dir.resolve("kinds");
        ok("train", "--data", csv.toString(), "--label", "kind", "--features", "x", "--layers", "3:softmax",
                "--class-weights", "1,2,3", "--epochs", "2", "--quiet", "--out", model.toString());
        assertThat(JSON.readTree(model.resolve("config.json").toFile()).get("loss").asText()).isEqualTo("ce(1.0,2.0,3.0)");
        ok("evaluate", "--model", model.toString(), "--data", csv.toString());

        // multi-label: one (w0, w1) for every label, balanced from the pooled 0/1 counts (a: 30 of 60, b: 15 of 60)
        ok("train", "--data", csv.toString(), "--label", "a,b", "--features", "x", "--layers", "2:sigmoid",
                "--class-weights", "balanced", "--epochs", "2", "--quiet", "--out", model.toString());
        assertThat(JSON.readTree(model.resolve("config.json").toFile()).get("loss").asText())
                .isEqualTo("bce(" + (float) (120.0 / (2 * 75)) + "," + (float) (120.0 / (2 * 45)) + ")");
    }

    @Test
    void mistakesAreOneLine() throws IOException {
        Path csv = rare();
        Cli r = Cli.run("train", "--data", csv.toString(), "--label", "label", "--layers", "1:sigmoid", "--class-weights", "1,2,3",
                "--out", dir.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--class-weights has 3 weight(s), but \"label\" has 2 classes [0, 1]");
        r = Cli.run("train", "--data", csv.toString(), "--label", "x2", "--layers", "1", "--class-weights", "balanced",
                "--out", dir.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--class-weights needs a cross-entropy loss (bce, bce_logits or ce), not mse");
        r = Cli.run("train", "--data", csv.toString(), "--label", "label", "--layers", "1:sigmoid", "--loss", "bce(1,2)",
                "--class-weights", "balanced", "--out", dir.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("already has class weights");
        r = Cli.run("train", "--data", csv.toString(), "--label", "label", "--layers", "1:sigmoid", "--class-weights", "1,x",
                "--out", dir.resolve("x").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("\"x\" is not a weight >= 0");
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
