package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("output contains /%s/:%n%s", regex, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void demoLearnsTheFontRuleAndSavesTheModel() {
        Path out = dir.resolve("demo-model");
        Cli r = Cli.run("demo", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        double before = number(r.out(), "before training\\s+([0-9.]+)");
        double majority = number(r.out(), "larger class: ([0-9.]+)");
        double after = number(r.out(), "after training\\s+([0-9.]+)");
        assertThat(after).isGreaterThanOrEqualTo(0.97);
        assertThat(before).isLessThan(after - 0.15);
        assertThat(Math.abs(before - majority)).as("untrained accuracy is roughly a class share").isLessThan(0.35);
        assertThat(r.err()).contains("epoch   1/100").contains("epoch 100/100");
        assertThat(r.out()).contains("examples from the test set").contains("model saved to " + out);
        assertThat(out.resolve("config.json")).exists();
        assertThat(out.resolve("model.safetensors")).exists();
    }

    @Test
    void perceptronExampleClassifiesItsTableAndShowsEveryNeuron() {
        Cli r = Cli.run("demo", "perceptron");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("4 of 4 rows correct").contains("z_h1  a_h1").doesNotContain("WRONG");
    }

    @Test
    void xorExampleLearnsTheTable() {
        Cli r = Cli.run("demo", "xor");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("epoch 300").contains("accuracy 1.00");
    }

    @Test
    void backpropExampleMatchesTheHandWrittenChainRule() {
        Cli r = Cli.run("demo", "backprop");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        double worst = number(r.out(), "largest difference: ([0-9.eE+-]+)");
        assertThat(worst).isLessThan(1e-5);
        assertThat(r.out()).contains("layers.0.weight").contains("layers.1.bias");
    }

    @Test
    void unknownDemoIsAUserError() {
        Cli r = Cli.run("demo", "mnist");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown example \"mnist\"").contains("perceptron");
    }

    private Path fontCsv(int samples, long seed) {
        Path csv = dir.resolve("font-" + seed + ".csv");
        Cli g = Cli.run("generate", "font", "--samples", Integer.toString(samples), "--seed", Long.toString(seed), "--out", csv.toString());
        assertThat(g.exitCode()).as(g.err()).isZero();
        return csv;
    }

    @Test
    void trainEvaluatePredictTraceRoundTrip() throws IOException {
        Path csv = fontCsv(900, 3);
        Path model = dir.resolve("m");
        Cli t = Cli.run("train", "--data", csv.toString(), "--label", "light_font", "--layers", "3:relu,1:sigmoid",
                "--scale", "255", "--lr", "0.05", "--epochs", "60", "--test-split", "0.33", "--seed", "1",
                "--out", model.toString(), "--json");
        assertThat(t.exitCode()).as(t.err()).isZero();
        JsonNode res = JSON.readTree(t.out());
        for (String key : new String[]{"train_loss", "train_accuracy", "test_loss", "test_accuracy", "epochs",
                "train_samples", "test_samples", "seconds"}) {
            assertThat(res.has(key)).as("json has %s: %s", key, t.out()).isTrue();
        }
        assertThat(res.get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(res.get("train_samples").asInt() + res.get("test_samples").asInt()).isEqualTo(900);
        assertThat(res.get("epochs").asInt()).isEqualTo(60);
        try (var files = Files.list(model)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("config.json", "history.csv", "model.safetensors");
        }

        Cli e = Cli.run("evaluate", "--model", model.toString(), "--data", csv.toString(), "--label", "light_font", "--json");
        assertThat(e.exitCode()).as(e.err()).isZero();
        JsonNode ev = JSON.readTree(e.out());
        assertThat(ev.get("samples").asInt()).isEqualTo(900);
        assertThat(ev.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);

        Cli p = Cli.run("predict", "--model", model.toString(), "--input", "0,0,128");
        assertThat(p.exitCode()).as(p.err()).isZero();
        String[] lines = p.out().strip().split("\n");
        assertThat(lines[0]).isEqualTo("output,class");
        assertThat(lines[1]).endsWith(",1");   // navy background -> light font

        Cli pf = Cli.run("predict", "--model", model.toString(), "--data", csv.toString());
        assertThat(pf.exitCode()).as(pf.err()).isZero();
        assertThat(pf.out().strip().split("\n")).hasSize(901);

        Cli tr = Cli.run("trace", "--model", model.toString(), "--input", "0,0,128", "--target", "1", "--json");
        assertThat(tr.exitCode()).as(tr.err()).isZero();
        JsonNode trace = JSON.readTree(tr.out());
        assertThat(trace.get("layers")).hasSize(2);
        assertThat(trace.get("layers").get(0).get("z")).hasSize(3);
        assertThat(trace.get("layers").get(1).get("a")).hasSize(1);
        assertThat(trace.get("gradients").get("layers.0.weight")).hasSize(3);
        // A of the hidden layer is relu(Z)
        for (int j = 0; j < 3; j++) {
            double z = trace.get("layers").get(0).get("z").get(j).asDouble();
            assertThat(trace.get("layers").get(0).get("a").get(j).asDouble()).isCloseTo(Math.max(0, z), within(1e-6));
        }
        // the output matches predict, and the loss is -log(p) for target 1
        double a = trace.get("layers").get(1).get("a").get(0).asDouble();
        assertThat(Double.parseDouble(lines[1].split(",")[0])).isCloseTo(a, within(1e-6));
        assertThat(trace.get("loss").asDouble()).isCloseTo(-Math.log(a), within(1e-4));

        Cli human = Cli.run("trace", "--model", model.toString(), "--input", "0,0,128", "--target", "1");
        assertThat(human.out()).contains("Z = W·x + b").contains("A = relu(Z)").contains("layers.1.bias");

        // the saved model predicts exactly what the command printed
        Model loaded = ModelStore.load(model);
        float pLoaded = loaded.predict(Tensor.of(new float[]{0, 0, 128}, 1, 3)).item();
        assertThat(pLoaded).isEqualTo((float) a);
    }

    @Test
    void trainingIsReproducibleFromTheSeed() throws IOException {
        Path csv = fontCsv(300, 5);
        String[] args = {"train", "--data", csv.toString(), "--label", "light_font", "--layers", "4:tanh,1:sigmoid",
                "--normalize", "standard", "--epochs", "5", "--seed", "9", "--quiet", "--out"};
        Cli a = Cli.run(append(args, dir.resolve("a").toString()));
        Cli b = Cli.run(append(args, dir.resolve("b").toString()));
        assertThat(a.exitCode()).isZero();
        assertThat(b.exitCode()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("a/model.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/model.safetensors")));
    }

    @Test
    void softmaxClassifierWithStringLabels() throws IOException {
        Path csv = dir.resolve("blobs.csv");
        StringBuilder sb = new StringBuilder("x,y,kind\n");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        String[] kinds = {"circle", "square", "star"};
        double[][] centres = {{0, 0}, {4, 0}, {2, 4}};
        for (int i = 0; i < 300; i++) {
            int k = i % 3;
            sb.append(centres[k][0] + rng.nextGaussian() * 0.7).append(',')
                    .append(centres[k][1] + rng.nextGaussian() * 0.7).append(',').append(kinds[k]).append('\n');
        }
        Files.writeString(csv, sb);
        Path model = dir.resolve("blobs");
        Cli t = Cli.run("train", "--data", csv.toString(), "--label", "kind", "--layers", "8:relu,3:softmax",
                "--epochs", "40", "--out", model.toString(), "--json");
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(JSON.readTree(t.out()).get("test_accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);
        Cli p = Cli.run("predict", "--model", model.toString(), "--input", "4.1,-0.2");
        assertThat(p.out()).startsWith("p_circle,p_square,p_star,class").contains(",square");
    }

    @Test
    void regressionWithLinearOutput() throws IOException {
        Path csv = dir.resolve("line.csv");
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 200; i++) {
            double x = i / 100.0 - 1;
            sb.append(x).append(',').append(3 * x + 0.5).append('\n');
        }
        Files.writeString(csv, sb);
        Cli t = Cli.run("train", "--data", csv.toString(), "--label", "y", "--layers", "1", "--optimizer", "sgd",
                "--lr", "0.1", "--epochs", "200", "--batch", "0", "--out", dir.resolve("lin").toString(), "--json");
        assertThat(t.exitCode()).as(t.err()).isZero();
        JsonNode res = JSON.readTree(t.out());
        assertThat(res.get("test_loss").asDouble()).isLessThan(1e-3);
        assertThat(res.get("test_accuracy").isNull()).isTrue();
        Cli p = Cli.run("predict", "--model", dir.resolve("lin").toString(), "--input", "0.5");
        assertThat(p.out()).startsWith("y\n");
        assertThat(Double.parseDouble(p.out().strip().split("\n")[1])).isCloseTo(2.0, within(0.05));
    }

    @Test
    void versionNamesTheComputeBackend() {
        Cli v = Cli.run("--version");
        assertThat(v.exitCode()).isZero();
        assertThat(v.out()).contains("ganglion ").contains("compute: ");
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String cmd : new String[]{"demo", "train", "evaluate", "predict", "trace", "generate"}) {
            Cli h = Cli.run(cmd, "--help");
            assertThat(h.exitCode()).isZero();
            assertThat(h.out()).as(cmd).contains("Example");
        }
    }

    private static String[] append(String[] a, String last) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = last;
        return r;
    }
}
