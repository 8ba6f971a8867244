package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CvAndMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Three Gaussian blobs with string labels. */
    private Path blobs(int n) throws IOException {
        Path csv = dir.resolve("blobs.csv");
        StringBuilder sb = new StringBuilder("x,y,kind\n");
        SplittableRandom rng = new SplittableRandom(4);
        String[] kinds = {"circle", "square", "star"};
        double[][] centres = {{0, 0}, {4, 0}, {2, 4}};
        for (int i = 0; i < n; i++) {
            int k = i % 3;
            sb.append(centres[k][0] + rng.nextGaussian()).append(',').append(centres[k][1] + rng.nextGaussian())
                    .append(',').append(kinds[k]).append('\n');
        }
        Files.writeString(csv, sb);
        return csv;
    }

    @Test
    void crossValidationReportsEveryFoldAndTheMean() throws Exception {
        Path csv = blobs(150);
        Cli r = Cli.run("cv", "--data", csv.toString(), "--label", "kind", "--layers", "8:relu,3:softmax", "--epochs", "30",
                "--folds", "5", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode res = JSON.readTree(r.out());
        assertThat(res.get("folds")).hasSize(5);
        int total = 0;
        double sum = 0;
        for (JsonNode f : res.get("folds")) {
            total += f.get("test_samples").asInt();
            sum += f.get("test_accuracy").asDouble();
        }
        assertThat(total).isEqualTo(150);
        assertThat(res.get("mean_test_accuracy").asDouble()).isCloseTo(sum / 5, within(1e-9)).isGreaterThan(0.85);
        Cli text = Cli.run("cv", "--data", csv.toString(), "--label", "kind", "--layers", "8:relu,3:softmax", "--epochs", "5", "--folds", "3");
        assertThat(text.out()).contains("fold 3/3").contains("mean").contains("±");
    }

    @Test
    void evaluateReportsPerClassScoresAndTheConfusionMatrix() throws Exception {
        Path csv = blobs(300);
        Path model = dir.resolve("m");
        assertThat(Cli.run("train", "--data", csv.toString(), "--label", "kind", "--layers", "8:relu,3:softmax", "--epochs", "30",
                "--quiet", "--out", model.toString()).exitCode()).isZero();
        Cli j = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--json");
        assertThat(j.exitCode()).as(j.err()).isZero();
        JsonNode m = JSON.readTree(j.out());
        assertThat(m.get("samples").asInt()).isEqualTo(300);
        assertThat(m.get("classes")).hasSize(3);
        assertThat(m.get("classes").get(1).get("class").asText()).isEqualTo("square");
        int cmTotal = 0, diagonal = 0;
        for (int i = 0; i < 3; i++) for (int k = 0; k < 3; k++) {
            cmTotal += m.get("confusion_matrix").get(i).get(k).asInt();
            if (i == k) diagonal += m.get("confusion_matrix").get(i).get(k).asInt();
        }
        assertThat(cmTotal).isEqualTo(300);
        assertThat(m.get("accuracy").asDouble()).isCloseTo(diagonal / 300.0, within(1e-12));
        assertThat(m.get("micro").get("f1").asDouble()).isCloseTo(m.get("accuracy").asDouble(), within(1e-12));
        assertThat(m.get("roc_auc").asDouble()).isBetween(0.9, 1.0);
        assertThat(m.get("log_loss").asDouble()).isCloseTo(m.get("loss").asDouble(), within(1e-3));
        Cli t = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString());
        assertThat(t.out()).contains("precision").contains("circle").contains("weighted").contains("confusion matrix");
    }

    @Test
    void regressionModelsReportRegressionMetrics() throws Exception {
        Path csv = dir.resolve("line.csv");
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 100; i++) sb.append(i / 50.0 - 1).append(',').append(2 * (i / 50.0 - 1) + 1).append('\n');
        Files.writeString(csv, sb);
        Path model = dir.resolve("lin");
        assertThat(Cli.run("train", "--data", csv.toString(), "--label", "y", "--layers", "1", "--optimizer", "sgd", "--lr", "0.1",
                "--epochs", "100", "--batch", "0", "--quiet", "--out", model.toString()).exitCode()).isZero();
        JsonNode m = JSON.readTree(Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--json").out());
        assertThat(m.get("r2").asDouble()).isGreaterThan(0.999);
        assertThat(m.get("rmse").asDouble()).isCloseTo(Math.sqrt(m.get("mse").asDouble()), within(1e-9));
        assertThat(m.has("accuracy")).isFalse();
    }

    /** Writes an IDX pair of 8x8 images: class 0 has a bright left half, class 1 a bright right half. */
    private Path[] idx(String name, int n, long seed) throws IOException {
        Path images = dir.resolve(name + "-images.gz"), labels = dir.resolve(name + "-labels");
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] lab = new byte[n];
        try (DataOutputStream img = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
            img.writeInt(2051);
            img.writeInt(n);
            img.writeInt(8);
            img.writeInt(8);
            for (int i = 0; i < n; i++) {
                int c = rng.nextInt(2);
                lab[i] = (byte) c;
                for (int p = 0; p < 64; p++) {
                    boolean bright = (p % 8 < 4) == (c == 0);
                    img.writeByte(bright ? 150 + rng.nextInt(100) : rng.nextInt(100));
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(labels); DataOutputStream l = new DataOutputStream(out)) {
            l.writeInt(2049);
            l.writeInt(n);
            l.write(lab);
        }
        return new Path[]{images, labels};
    }

    @Test
    void idxImagesTrainEvaluateAndPredict() throws Exception {
        Path[] train = idx("train", 400, 1), test = idx("test", 100, 2);
        Path model = dir.resolve("idx-model");
        Cli t = Cli.run("train", "--data", train[0].toString(), "--labels", train[1].toString(), "--layers", "16:relu,10:softmax",
                "--loss", "ce", "--scale", "255", "--epochs", "10", "--test-data", test[0].toString(), "--test-labels", test[1].toString(),
                "--json", "--quiet", "--out", model.toString());
        assertThat(t.exitCode()).as(t.err()).isZero();
        JsonNode res = JSON.readTree(t.out());
        assertThat(res.get("test_samples").asInt()).isEqualTo(100);
        assertThat(res.get("train_samples").asInt()).isEqualTo(400);
        assertThat(res.get("test_accuracy").asDouble()).isGreaterThan(0.95);
        Cli e = Cli.run("evaluate", "--model", model.toString(), "--data", test[0].toString(), "--labels", test[1].toString(), "--json");
        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(JSON.readTree(e.out()).get("accuracy").asDouble()).isCloseTo(res.get("test_accuracy").asDouble(), within(1e-9));
        Cli p = Cli.run("predict", "--model", model.toString(), "--data", test[0].toString());
        assertThat(p.exitCode()).as(p.err()).isZero();
        assertThat(p.out().strip().split("\n")).hasSize(101);
        assertThat(p.out()).startsWith("p_0,p_1,p_2");
    }

    @Test
    void idxImagesWithoutLabelsForTestDataIsAUserError() throws Exception {
        Path[] train = idx("train", 50, 1), test = idx("test", 20, 2);
        Cli t = Cli.run("train", "--data", train[0].toString(), "--labels", train[1].toString(), "--layers", "10:softmax",
                "--test-data", test[0].toString(), "--out", dir.resolve("x").toString());
        assertThat(t.exitCode()).isEqualTo(2);
        assertThat(t.err()).contains("--test-labels");
    }
}
