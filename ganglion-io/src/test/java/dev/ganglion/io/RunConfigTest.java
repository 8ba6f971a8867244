package dev.ganglion.io;

import dev.ganglion.data.Scaler;
import dev.ganglion.model.Layer;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Initializer;
import dev.ganglion.nn.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading run configurations: every key, strictness with line numbers, and a saved config.json as input. */
class RunConfigTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String FULL = """
            inputs: [size, colour, price]
            label: bought
            categorical: [colour]
            imputation: median
            layers:
              - {units: 16, activation: relu, init: he_normal}
              - {type: dropout, rate: 0.2}
              - type: batchnorm
              - {units: 8, activation: "leaky_relu(0.1)"}
              - layernorm
              - {units: 1, activation: sigmoid}
            loss: bce
            preprocessing: {type: standard}
            training:
              data: data/shirts.csv
              test_data: /abs/test.csv
              test_split: 0.25
              val_split: 0.1
              epochs: 30
              batch_size: 16
              seed: 7
              optimizer: {name: sgd, learning_rate: 1e-3, momentum: 0.8, weight_decay: 0.0005}
              schedule: step(10,0.5)
              warmup: 2
              clip_norm: 5
              l1: 0.001
              l2: 0.01
              early_stopping: {patience: 4, monitor: val_accuracy}
              class_weights: [1, 3]
              output: out/model
            """;

    @Test
    void readsEveryKeyOfAYamlFile() throws IOException {
        RunConfig c = RunConfig.read(write("run.yaml", FULL));
        assertThat(c.inputs()).containsExactly("size", "colour", "price");
        assertThat(c.labels()).containsExactly("bought");
        assertThat(c.categorical()).containsExactly("colour");
        assertThat(c.impute()).isEqualTo("median");
        assertThat(c.layers()).containsExactly(
                new LayerSpec(16, new Activation.Relu(), Initializer.parse("he_normal")),
                new Layer.Dropout(0.2f), new Layer.BatchNorm(),
                new LayerSpec(8, Activation.parse("leaky_relu(0.1)"), Initializer.defaultFor(Activation.parse("leaky_relu(0.1)"))),
                new Layer.LayerNorm(),
                new LayerSpec(1, new Activation.Sigmoid(), Initializer.defaultFor(new Activation.Sigmoid())));
        assertThat(c.loss()).isEqualTo("bce");
        assertThat(c.normalize()).isEqualTo("standard");
        assertThat(c.scale()).isNull();
        RunConfig.Training t = c.training();
        assertThat(t.data()).isEqualTo(dir.resolve("data/shirts.csv"));      // relative to the file's folder
        assertThat(t.testData()).isEqualTo(Path.of("/abs/test.csv"));
        assertThat(t.output()).isEqualTo(dir.resolve("out/model"));
        assertThat(t.testSplit()).isEqualTo(0.25);
        assertThat(t.valSplit()).isEqualTo(0.1);
        assertThat(t.epochs()).isEqualTo(30);
        assertThat(t.batchSize()).isEqualTo(16);
        assertThat(t.seed()).isEqualTo(7L);
        assertThat(t.optimizer()).isEqualTo("sgd");
        assertThat(t.learningRate()).isEqualTo(1e-3f);          // YAML 1.1 reads 1e-3 as text; accepted as a number
        assertThat(t.momentum()).isEqualTo(0.8f);
        assertThat(t.weightDecay()).isEqualTo(0.0005f);
        assertThat(t.schedule()).isEqualTo("step(10,0.5)");
        assertThat(t.warmup()).isEqualTo(2);
        assertThat(t.clipNorm()).isEqualTo(5.0);
        assertThat(t.clipValue()).isNull();
        assertThat(t.l1()).isEqualTo(0.001f);
        assertThat(t.l2()).isEqualTo(0.01f);
        assertThat(t.earlyStopping()).isEqualTo(4);
        assertThat(t.monitor()).isEqualTo("val_accuracy");
        assertThat(t.classWeights()).isEqualTo("1.0,3.0");
    }

    @Test
    void jsonAndYamlGiveTheSameConfiguration() throws IOException {
        RunConfig yaml = RunConfig.read(write("a.yml", """
                label: y
                layers: "8:tanh,1"
                preprocessing: {type: divide, divisor: 255}
                training: {data: d.csv, epochs: 3, optimizer: adam}
                """));
        RunConfig json = RunConfig.read(write("a.json", """
                {"label": "y", "layers": "8:tanh,1", "preprocessing": {"type": "divide", "divisor": 255},
                 "training": {"data": "d.csv", "epochs": 3, "optimizer": "adam"}}
                """));
        assertThat(yaml.layers()).isEqualTo(json.layers()).hasSize(2);
        assertThat(yaml.scale()).isEqualTo(json.scale()).isEqualTo(255f);
        assertThat(yaml.training()).isEqualTo(json.training());
        // content decides when the name does not: text starting with '{' is JSON
        RunConfig sniffed = RunConfig.read(write("run.conf", Files.readString(dir.resolve("a.json"))));
        assertThat(sniffed.training()).isEqualTo(json.training());
    }

    @Test
    void unknownKeysNameThePathAndLine() throws IOException {
        Path f = write("run.yaml", """
                label: y
                training:
                  data: d.csv
                  epoch: 5
                """);
        assertThatThrownBy(() -> RunConfig.read(f)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.key()).isEqualTo("training.epoch");
            assertThat(e.getMessage()).startsWith(f + ": line 4, column 3: \"training.epoch\" is not a known key")
                    .contains("did you mean \"training.epochs\"");
        });
        Path layer = write("layer.yaml", """
                layers:
                  - {units: 3, activation: relu}
                  - {units: 1, activaton: sigmoid}
                """);
        assertThatThrownBy(() -> RunConfig.read(layer)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.key()).isEqualTo("layers[1].activaton");
        });
        Path top = write("top.json", "{\n  \"label\": \"y\",\n  \"optimizer\": \"adam\"\n}\n");
        assertThatThrownBy(() -> RunConfig.read(top)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.key()).isEqualTo("optimizer");
        });
    }

    @Test
    void wrongTypesNameThePathAndLine() throws IOException {
        Path json = write("run.json", "{\n  \"label\": \"y\",\n  \"training\": {\n    \"epochs\": \"ten\"\n  }\n}\n");
        assertThatThrownBy(() -> RunConfig.read(json)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.getMessage()).isEqualTo(json + ": line 4, column 15: \"training.epochs\" must be an integer, got \"ten\"");
        });
        Path yaml = write("run.yaml", """
                label: y
                layers:
                  - {units: 3.5, activation: relu}
                """);
        assertThatThrownBy(() -> RunConfig.read(yaml)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.key()).isEqualTo("layers[0].units");
            assertThat(e.getMessage()).contains("must be an integer, got 3.5");
        });
        Path list = write("list.yaml", "label: y\ninputs: red\n");
        assertThatThrownBy(() -> RunConfig.read(list)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.getMessage()).contains("\"inputs\" must be a list of strings");
        });
        Path bad = write("act.yaml", "layers:\n  - {units: 2, activation: relux}\n");
        assertThatThrownBy(() -> RunConfig.read(bad)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.key()).isEqualTo("layers[0].activation");
        });
        Path dup = write("dup.yaml", "label: y\ntraining:\n  epochs: 3\n  epochs: 4\n");
        assertThatThrownBy(() -> RunConfig.read(dup)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.getMessage()).contains("\"training.epochs\" is given twice");
        });
        Path syntax = write("syntax.json", "{\"label\": \"y\",\n \"training\": {\"epochs\": 3,}}\n");
        assertThatThrownBy(() -> RunConfig.read(syntax)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(syntax + ": line 2").hasMessageContaining("is not valid JSON");
        Path yamlSyntax = write("syntax.yaml", "label: y\ninputs: [a, b\n");
        assertThatThrownBy(() -> RunConfig.read(yamlSyntax)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not valid YAML: while parsing a flow sequence; expected ',' or ']'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Path range = write("range.yaml", "training:\n  test_split: 1.5\n");
        assertThatThrownBy(() -> RunConfig.read(range)).hasMessageContaining("line 2").hasMessageContaining("must be in [0, 1)");
        assertThatThrownBy(() -> RunConfig.read(dir.resolve("missing.yaml"))).hasMessageContaining("no such file");
    }

    @Test
    void aSavedConfigJsonIsARunConfiguration() throws IOException {
        Model m = new Model(TabularModelStoreTest.encoding(), Layer.parseList("4:relu,dropout(0.3),1:sigmoid", null),
                new Loss.BinaryCrossEntropy(List.of(0.5f, 2f)), new Scaler.Standard(new float[]{0.5f, 30}, new float[]{0.25f, 10}),
                List.of("bought"), List.of("0", "1"), List.of(), 5);
        Path modelDir = dir.resolve("models/m");
        RunConfig.Training run = new RunConfig.Training(Path.of(dir.relativize(dir.resolve("shirts.csv")).toString()), null, null,
                null, 0.2, 0.0, 12, 8, 3L, "adam", 0.02f, null, 0f, "cosine", 1, null, null, 0f, 0f, 0, "val_loss", null, null);
        Map<String, Object> training = new java.util.LinkedHashMap<>(run.toMap(modelDir));
        training.put("results", Map.of("train_loss", 0.1));
        ModelStore.save(m, modelDir, training);
        RunConfig c = RunConfig.read(modelDir.resolve(ModelStore.CONFIG_FILE));
        assertThat(c.inputs()).isEqualTo(m.inputNames());
        assertThat(c.labels()).containsExactly("bought");
        assertThat(c.categorical()).containsExactly("colour");
        assertThat(c.impute()).isEqualTo("median");
        assertThat(c.layers()).isEqualTo(m.architecture());
        assertThat(Loss.parse(c.loss())).isEqualTo(m.loss());
        assertThat(c.normalize()).isEqualTo("standard");
        // the data path was written relative to the model directory and resolves back to the same file
        assertThat(c.training().data().toAbsolutePath().normalize()).isEqualTo(Path.of("shirts.csv").toAbsolutePath().normalize());
        assertThat(c.training().epochs()).isEqualTo(12);
        assertThat(c.training().optimizer()).isEqualTo("adam");
        assertThat(c.training().learningRate()).isEqualTo(0.02f);
        assertThat(c.training().schedule()).isEqualTo("cosine");
    }

    @Test
    void aConfigJsonFromBeforeRunConfigurationsStillReads() throws IOException {
        Path f = write("config.json", """
                {"format": "ganglion-model", "format_version": 1, "ganglion_version": "0.1.0",
                 "inputs": ["red", "green", "blue"], "label": "light_font", "classes": ["0", "1"],
                 "layers": [{"type": "dense", "units": 3, "activation": "relu", "init": "he_uniform"},
                            {"type": "dense", "units": 1, "activation": "sigmoid", "init": "xavier_uniform"}],
                 "loss": "bce", "preprocessing": {"type": "divide", "divisor": 255.0},
                 "training": {"data": "font.csv", "optimizer": "adam(lr=0.05, beta1=0.9, beta2=0.999, eps=1.0E-8)",
                   "epochs": 60, "batch_size": 32, "seed": 42, "test_split": 0.33, "train_loss": 0.02,
                   "train_accuracy": 0.99, "test_loss": 0.02, "test_accuracy": 0.99, "seconds": 0.35}}
                """);
        RunConfig c = RunConfig.read(f);
        assertThat(c.training().data()).isEqualTo(Path.of("font.csv"));      // then relative to the working directory
        assertThat(c.training().optimizer()).isEqualTo("adam");
        assertThat(c.training().learningRate()).isEqualTo(0.05f);
        assertThat(c.training().epochs()).isEqualTo(60);
        assertThat(c.scale()).isEqualTo(255f);
        assertThat(ModelStore.fromJson(f, ModelStore.readConfig(f)).describe()).isEqualTo("3 -> 3:relu -> 1:sigmoid (bce)");
    }
}
