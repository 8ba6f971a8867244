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
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Optimisers, schedules, regularisation, normalisation layers and early stopping from the command line. */
class RegimenCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path rings() throws IOException {
        Path csv = dir.resolve("rings.csv");
        StringBuilder sb = new StringBuilder("x,y,inside\n");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            double x = rng.nextDouble(-2, 2), y = rng.nextDouble(-2, 2);
            sb.append(x).append(',').append(y).append(',').append(x * x + y * y < 1.5 ? 1 : 0).append('\n');
        }
        Files.writeString(csv, sb);
        return csv;
    }

    @Test
    void normalisationAndDropoutLayersTrainSaveAndReload() throws Exception {
        Path csv = rings(), model = dir.resolve("bn");
        Cli t = Cli.run("train", "--data", csv.toString(), "--label", "inside", "--layers", "16:relu,batchnorm,dropout(0.1),8:tanh,layernorm,1:sigmoid",
                "--optimizer", "adamw", "--lr", "0.01", "--schedule", "cosine", "--warmup", "3", "--clip-norm", "5", "--epochs", "60",
                "--seed", "2", "--json", "--quiet", "--out", model.toString());
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(JSON.readTree(t.out()).get("test_accuracy").asDouble()).isGreaterThan(0.9);
        String config = Files.readString(model.resolve("config.json"));
        assertThat(config).contains("\"batchnorm\"").contains("\"dropout\"").contains("\"layernorm\"");
        Model loaded = ModelStore.load(model);
        assertThat(loaded.network().namedBuffers()).containsKeys("layers.1.running_mean", "layers.1.running_var");
        // predictions are deterministic (dropout off, running statistics) and the same after reloading
        Cli p1 = Cli.run("predict", "--model", model.toString(), "--input", "0.1,0.2");
        Cli p2 = Cli.run("predict", "--model", model.toString(), "--input", "0.1,0.2");
        assertThat(p1.out()).isEqualTo(p2.out()).endsWith(",1\n");
        float direct = loaded.predict(Tensor.of(new float[]{0.1f, 0.2f}, 1, 2)).item();
        assertThat(p1.out()).contains(Float.toString(direct));
        Cli tr = Cli.run("trace", "--model", model.toString(), "--input", "0.1,0.2", "--target", "1");
        assertThat(tr.exitCode()).as(tr.err()).isZero();
        assertThat(tr.out()).contains("BatchNorm1d").contains("Dropout").contains("layers.1.weight");
    }

    @Test
    void earlyStoppingWithAValidationSplitStopsAndRestoresTheBest() throws Exception {
        Path csv = rings();
        Cli t = Cli.run("train", "--data", csv.toString(), "--label", "inside", "--layers", "32:relu,1:sigmoid", "--lr", "0.05",
                "--epochs", "300", "--early-stopping", "5", "--val-split", "0.2", "--json", "--out", dir.resolve("es").toString());
        assertThat(t.exitCode()).as(t.err()).isZero();
        JsonNode res = JSON.readTree(t.out());
        assertThat(res.get("epochs").asInt()).isLessThan(300);
        assertThat(t.err()).contains("val loss").contains("val accuracy");
        assertThat(res.get("train_samples").asInt() + res.get("test_samples").asInt()).isLessThan(400);   // some went to validation
    }

    @Test
    void everyOptimizerTrains() throws Exception {
        Path csv = rings();
        for (String[] opt : new String[][]{{"sgd", "0.5"}, {"momentum", "0.05"}, {"nesterov", "0.05"}, {"adam", "0.02"},
                {"adamw", "0.02"}, {"rmsprop", "0.01"}, {"adagrad", "0.1"}}) {
            Cli t = Cli.run("train", "--data", csv.toString(), "--label", "inside", "--layers", "16:tanh,1:sigmoid", "--optimizer", opt[0],
                    "--lr", opt[1], "--epochs", "80", "--json", "--quiet", "--out", dir.resolve(opt[0]).toString());
            assertThat(t.exitCode()).as(opt[0] + ": " + t.err()).isZero();
            assertThat(JSON.readTree(t.out()).get("test_accuracy").asDouble()).as(opt[0]).isGreaterThan(0.85);
        }
        Cli l = Cli.run("train", "--data", csv.toString(), "--label", "inside", "--layers", "16:tanh,1:sigmoid", "--optimizer", "lbfgs",
                "--batch", "0", "--epochs", "30", "--l2", "0.001", "--json", "--quiet", "--out", dir.resolve("lbfgs").toString());
        assertThat(l.exitCode()).as(l.err()).isZero();
        assertThat(JSON.readTree(l.out()).get("test_accuracy").asDouble()).isGreaterThan(0.9);
    }

    @Test
    void regimenMistakesAreUserErrors() throws Exception {
        Path csv = rings();
        String[][] cases = {
                {"--optimizer", "lbfgs"}, {"--optimizer", "adamax"}, {"--schedule", "wiggle"}, {"--schedule", "step(a,b)"},
                {"--early-stopping", "3"}, {"--monitor", "val_f1", "--early-stopping", "3", "--val-split", "0.1"}, {"--clip-norm", "-1"},
                {"--layers", "16:relu,dropout(1.5),1:sigmoid"}, {"--layers", "16:relu,dropout(0.2)"}};
        String[] expect = {"--batch 0", "unknown optimizer", "unknown schedule", "not numbers", "--val-split", "unknown monitor",
                "--clip-norm", "dropout", "must end with a dense layer"};
        for (int i = 0; i < cases.length; i++) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--data", csv.toString(), "--label", "inside",
                    "--out", dir.resolve("x").toString()));
            if (!java.util.Arrays.asList(cases[i]).contains("--layers")) args.addAll(java.util.List.of("--layers", "4:relu,1:sigmoid"));
            args.addAll(java.util.List.of(cases[i]));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(String.join(" ", cases[i]) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", cases[i])).contains(expect[i]).doesNotContain("\tat ");
        }
    }
}
