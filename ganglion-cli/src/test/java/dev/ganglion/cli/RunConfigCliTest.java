package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ganglion.io.ModelStore;
import dev.ganglion.train.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code train --config}: a run file trains exactly what the same flags train; flags override it; saved models retrain. */
class RunConfigCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Two numeric columns, a categorical one with a few missing values, and a 0/1 label. */
    private Path shirts() throws IOException {
        Path csv = dir.resolve("shirts.csv");
        StringBuilder sb = new StringBuilder("x,colour,y,label\n");
        SplittableRandom rng = new SplittableRandom(11);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 300; i++) {
            double x = rng.nextDouble(-2, 2), y = rng.nextDouble(0, 50);
            int c = rng.nextInt(3);
            boolean label = x + (c == 0 ? 1 : 0) + y / 50 > 0.7;
            sb.append(i % 37 == 5 ? "" : Double.toString(x)).append(',').append(colours[c]).append(',').append(y).append(',')
                    .append(label ? 1 : 0).append('\n');
        }
        Files.writeString(csv, sb);
        return csv;
    }

    private static final List<String> FLAGS = List.of("--label", "label", "--categorical", "colour", "--impute", "median",
            "--layers", "16:relu,dropout(0.1),8:tanh,1:sigmoid", "--normalize", "standard", "--optimizer", "sgd", "--lr", "0.05",
            "--momentum", "0.9", "--schedule", "step(10,0.5)", "--l2", "0.001", "--clip-norm", "5", "--val-split", "0.1",
            "--early-stopping", "50", "--epochs", "20", "--batch", "16", "--seed", "3", "--test-split", "0.25",
            "--class-weights", "balanced");

    private static final String YAML = """
            # the same run as FLAGS
            label: label
            categorical: [colour]
            imputation: {strategy: median}
            layers:
              - {units: 16, activation: relu}
              - {type: dropout, rate: 0.1}
              - {units: 8, activation: tanh}
              - {units: 1, activation: sigmoid}
            preprocessing: {type: standard}
            training:
              data: shirts.csv
              optimizer: {name: sgd, learning_rate: 0.05, momentum: 0.9}
              schedule: step(10,0.5)
              l2: 0.001
              clip_norm: 5
              val_split: 0.1
              early_stopping: 50
              epochs: 20
              batch_size: 16
              seed: 3
              test_split: 0.25
              class_weights: balanced
            """;

    private Cli train(List<String> args) {
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of(more));
        return a;
    }

    private static JsonNode withoutResults(Path modelDir) throws IOException {
        ObjectNode c = (ObjectNode) JSON.readTree(modelDir.resolve(ModelStore.CONFIG_FILE).toFile());
        ((ObjectNode) c.get("training")).remove("results");
        return c;
    }

    @Test
    void aConfigFileTrainsTheSameWeightsAsTheSameFlags() throws IOException {
        Path csv = shirts();
        Files.writeString(dir.resolve("run.yaml"), YAML);
        Path byFlags = dir.resolve("flags"), byFile = dir.resolve("file");
        List<String> flags = new ArrayList<>(List.of("train", "--data", csv.toString()));
        flags.addAll(FLAGS);
        train(with(flags, "--out", byFlags.toString(), "--quiet"));
        train(List.of("train", "--config", dir.resolve("run.yaml").toString(), "--out", byFile.toString(), "--quiet"));
        assertThat(Files.readAllBytes(byFile.resolve(ModelStore.WEIGHTS_FILE)))
                .isEqualTo(Files.readAllBytes(byFlags.resolve(ModelStore.WEIGHTS_FILE)));
        assertThat(withoutResults(byFile)).isEqualTo(withoutResults(byFlags));
        JsonNode training = withoutResults(byFile).get("training");
        assertThat(training.get("epochs").asInt()).isEqualTo(20);
        assertThat(training.get("optimizer").get("name").asText()).isEqualTo("sgd");
        assertThat(JSON.readTree(byFile.resolve(ModelStore.CONFIG_FILE).toFile()).get("loss").asText()).startsWith("bce(");
    }

    @Test
    void commandLineFlagsOverrideTheFile() throws IOException {
        shirts();
        Path run = dir.resolve("run.yaml");
        Files.writeString(run, YAML);
        Path out = dir.resolve("override");
        train(List.of("train", "--config", run.toString(), "--epochs", "4", "--lr", "0.2", "--layers", "4:relu,1:sigmoid",
                "--out", out.toString(), "--quiet"));
        History h = ModelStore.loadHistory(out);
        assertThat(h.epochs()).hasSize(4);
        JsonNode config = JSON.readTree(out.resolve(ModelStore.CONFIG_FILE).toFile());
        assertThat(config.get("layers")).hasSize(2);
        assertThat(config.get("training").get("epochs").asInt()).isEqualTo(4);
        assertThat(config.get("training").get("optimizer").get("learning_rate").floatValue()).isEqualTo(0.2f);
        assertThat(config.get("training").get("optimizer").get("name").asText()).isEqualTo("sgd");     // from the file
        assertThat(config.get("training").get("batch_size").asInt()).isEqualTo(16);                    // from the file
        assertThat(config.get("preprocessing").get("type").asText()).isEqualTo("standard");            // from the file
        // --scale on the command line replaces the file's preprocessing instead of clashing with it
        Path scaled = dir.resolve("scaled");
        train(List.of("train", "--config", run.toString(), "--epochs", "2", "--scale", "10", "--out", scaled.toString(), "--quiet"));
        assertThat(JSON.readTree(scaled.resolve(ModelStore.CONFIG_FILE).toFile()).get("preprocessing").get("type").asText()).isEqualTo("divide");
    }

    @Test
    void aSavedModelRetrainsFromItsConfigJson() throws IOException {
        Path csv = shirts();
        Path first = dir.resolve("models/first"), again = dir.resolve("models/again");
        List<String> flags = new ArrayList<>(List.of("train", "--data", csv.toString()));
        flags.addAll(FLAGS);
        train(with(flags, "--out", first.toString(), "--quiet"));
        train(List.of("train", "--config", first.resolve(ModelStore.CONFIG_FILE).toString(), "--out", again.toString(), "--quiet"));
        assertThat(Files.readAllBytes(again.resolve(ModelStore.WEIGHTS_FILE)))
                .isEqualTo(Files.readAllBytes(first.resolve(ModelStore.WEIGHTS_FILE)));
        assertThat(withoutResults(again)).isEqualTo(withoutResults(first));
        assertThat(ModelStore.loadHistory(again).epochs()).hasSameSizeAs(ModelStore.loadHistory(first).epochs());
    }

    @Test
    void relativeDataPathsAreStoredRelativeToTheModelDirectory() throws IOException {
        Path csv = shirts();
        Path run = dir.resolve("conf/run.json");
        Files.createDirectories(run.getParent());
        Files.writeString(run, """
                {"label": "label", "categorical": ["colour"], "imputation": "mean", "layers": "4:relu,1:sigmoid",
                 "training": {"data": "../shirts.csv", "epochs": 2, "output": "../models/m"}}
                """);
        train(List.of("train", "--config", run.toString(), "--quiet"));           // the output comes from the file too
        Path model = dir.resolve("models/m");
        JsonNode config = JSON.readTree(model.resolve(ModelStore.CONFIG_FILE).toFile());
        assertThat(model.resolve(config.get("training").get("data").asText()).normalize()).isEqualTo(csv.normalize());
        assertThat(config.get("training").has("output")).isFalse();      // retraining must name its own --out
        Cli missingOut = Cli.run("train", "--config", model.resolve(ModelStore.CONFIG_FILE).toString());
        assertThat(missingOut.exitCode()).isEqualTo(2);
        assertThat(missingOut.err()).contains("--out");
    }

    @Test
    void mistakesInTheFileAreOneLineNamingTheKeyAndLine() throws IOException {
        shirts();
        Path run = dir.resolve("run.yaml");
        Files.writeString(run, YAML.replace("  batch_size: 16", "  batch: 16"));
        Cli unknown = Cli.run("train", "--config", run.toString(), "--out", dir.resolve("x").toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        int line = YAML.lines().toList().indexOf("  batch_size: 16") + 1;
        assertThat(unknown.err()).startsWith("ganglion: " + run + ": line " + line + ", column 3: \"training.batch\" is not a known key")
                .contains("did you mean \"training.batch_size\"");
        assertThat(unknown.err().strip().lines()).hasSize(1);
        assertThat(Files.exists(dir.resolve("x"))).isFalse();

        Files.writeString(run, YAML.replace("  epochs: 20", "  epochs: twenty"));
        Cli type = Cli.run("train", "--config", run.toString(), "--out", dir.resolve("x").toString());
        assertThat(type.exitCode()).isEqualTo(2);
        int epochsLine = YAML.lines().toList().indexOf("  epochs: 20") + 1;
        assertThat(type.err()).isEqualTo("ganglion: " + run + ": line " + epochsLine + ", column 11: \"training.epochs\" must be an integer, got \"twenty\"\n");

        Files.writeString(run, "label: label\nlayers: 4:relu,1:sigmoid\n");
        Cli noData = Cli.run("train", "--config", run.toString(), "--out", dir.resolve("x").toString());
        assertThat(noData.exitCode()).isEqualTo(2);
        assertThat(noData.err()).contains("--data").contains("training.data");
    }

    @Test
    void theExampleFileTrains() throws IOException {
        Path example = ReadmeExampleTest.readme().getParent().resolve("examples/font.yaml");
        Path examples = dir.resolve("examples");
        Files.createDirectories(examples);
        Files.copy(example, examples.resolve("font.yaml"));
        Cli gen = Cli.run("generate", "font", "--samples", "1500", "--out", examples.resolve("font.csv").toString());
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        Cli t = train(List.of("train", "--config", examples.resolve("font.yaml").toString(), "--json"));
        JsonNode res = JSON.readTree(t.out());
        Path model = dir.resolve("models/font-yaml");                  // training.output: ../models/font-yaml
        assertThat(Path.of(res.get("model_dir").asText())).isEqualTo(model);
        assertThat(res.get("epochs").asInt()).isEqualTo(60);
        assertThat(res.get("test_accuracy").asDouble()).isGreaterThan(0.95);
        assertThat(ModelStore.load(model).describe()).isEqualTo("3 -> 3:relu -> 1:sigmoid (bce)");
        assertThat(t.err()).contains("epoch 60/60");
    }
}
