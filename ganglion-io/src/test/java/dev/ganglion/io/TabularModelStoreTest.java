package dev.ganglion.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Imputer;
import dev.ganglion.data.Scaler;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** config.json keys for categorical inputs, imputation and several labels; old configs still load. */
class TabularModelStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static FeatureEncoding encoding() {
        Map<String, List<String>> cats = new LinkedHashMap<>();
        cats.put("colour", List.of("blue", "green", "red"));
        return new FeatureEncoding(List.of("size", "colour", "price"), cats,
                new Imputer(Imputer.Strategy.MEDIAN, new float[]{0.5f, 2, 30}));
    }

    private Model categoricalModel() {
        return new Model(encoding(), LayerSpec.parseList("4:relu,1:sigmoid", null), new Loss.BinaryCrossEntropy(),
                new Scaler.Standard(new float[]{0.5f, 30}, new float[]{0.25f, 10}), List.of("bought"), List.of("0", "1"), List.of(), 5);
    }

    private Model multiLabelModel() {
        return new Model(FeatureEncoding.numeric(List.of("x1", "x2")), LayerSpec.parseList("3:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.None(), List.of("a", "b", "c"), List.of(),
                List.of(List.of("0", "1"), List.of("no", "yes"), List.of("0", "1")), 5);
    }

    @Test
    void categoriesAndImputationRoundTrip() throws IOException {
        Model m = categoricalModel();
        Path out = dir.resolve("m");
        ModelStore.save(m, out, Map.of());
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertThat(config.get("inputs").toString()).isEqualTo("[\"size\",\"colour\",\"price\"]");
        assertThat(config.get("categorical").toString()).isEqualTo("{\"colour\":[\"blue\",\"green\",\"red\"]}");
        assertThat(config.get("imputation").toString())
                .isEqualTo("{\"strategy\":\"median\",\"values\":{\"size\":0.5,\"colour\":\"red\",\"price\":30.0}}");
        assertThat(config.get("preprocessing").get("mean")).hasSize(2);
        assertThat(config.has("labels")).isFalse();
        assertThat(config.get("label").asText()).isEqualTo("bought");

        Model loaded = ModelStore.load(out);
        assertThat(loaded.encoding()).isEqualTo(m.encoding());
        assertThat(loaded.encodedInputNames()).containsExactly("size", "colour=blue", "colour=green", "colour=red", "price");
        Tensor raw = Tensor.of(new float[][]{{0.7f, 1, 25}, {Float.NaN, Float.NaN, 40}});
        assertThat(loaded.predict(raw).data()).containsExactly(m.predict(raw).data());
    }

    @Test
    void severalLabelsRoundTrip() throws IOException {
        Path out = dir.resolve("multi");
        ModelStore.save(multiLabelModel(), out, Map.of());
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertThat(config.has("label")).isFalse();
        assertThat(config.get("labels").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(config.get("label_classes").toString()).isEqualTo("{\"a\":[\"0\",\"1\"],\"b\":[\"no\",\"yes\"],\"c\":[\"0\",\"1\"]}");
        assertThat(config.get("classes")).isEmpty();
        assertThat(config.has("categorical")).isFalse();
        assertThat(config.has("imputation")).isFalse();
        Model loaded = ModelStore.load(out);
        assertThat(loaded.isMultiLabel()).isTrue();
        assertThat(loaded.labelClasses()).containsExactly(List.of("0", "1"), List.of("no", "yes"), List.of("0", "1"));

        Model regression = new Model(FeatureEncoding.numeric(List.of("x")), LayerSpec.parseList("2", null),
                new Loss.MeanSquaredError(), new Scaler.None(), List.of("y1", "y2"), List.of(), List.of(), 5);
        ModelStore.save(regression, dir.resolve("reg"), Map.of());
        Model r = ModelStore.load(dir.resolve("reg"));
        assertThat(r.labelNames()).containsExactly("y1", "y2");
        assertThat(r.isClassifier()).isFalse();
        assertThat(r.isMultiLabel()).isFalse();
    }

    @Test
    void anOldConfigWithoutTheNewKeysLoads() throws IOException {
        Path out = dir.resolve("old");
        Model plain = new Model(List.of("r", "g", "b"), LayerSpec.parseList("3:relu,1:sigmoid", null), new Loss.BinaryCrossEntropy(),
                new Scaler.MinMax(new float[]{0, 0, 0}, new float[]{255, 255, 255}), "light_font", List.of("0", "1"), 1);
        ModelStore.save(plain, out, Map.of());
        String config = Files.readString(out.resolve("config.json"));
        assertThat(config).doesNotContain("categorical", "imputation", "\"labels\"", "label_classes");
        Model loaded = ModelStore.load(out);
        assertThat(loaded.encoding().isIdentity()).isTrue();
        assertThat(loaded.labelNames()).containsExactly("light_font");
        // a config as version 0.1.0 wrote it, without "label" even, still reads
        edit(out, root -> root.remove("label"));
        assertThat(ModelStore.load(out).labelName()).isEqualTo("label");
    }

    private void edit(Path model, Consumer<ObjectNode> change) throws IOException {
        Path file = model.resolve("config.json");
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        change.accept(root);
        Files.writeString(file, root.toPrettyString());
    }

    private void assertLoadFails(Path model, String... parts) {
        assertThatThrownBy(() -> ModelStore.load(model)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("config.json").hasMessageContaining(parts[0]).hasMessageContaining(parts[parts.length - 1]);
    }

    @Test
    void validatesTheNewKeys() throws IOException {
        Path m = dir.resolve("cat");
        ModelStore.save(categoricalModel(), m, Map.of());
        String good = Files.readString(m.resolve("config.json"));

        edit(m, root -> ((ObjectNode) root.get("categorical")).putArray("shape").add("round"));
        assertLoadFails(m, "\"categorical.shape\"", "is not one of the inputs");
        Files.writeString(m.resolve("config.json"), good);
        edit(m, root -> ((ObjectNode) root.get("categorical")).putArray("colour").add("red").add("red"));
        assertLoadFails(m, "\"categorical.colour\"", "repeats a category");
        Files.writeString(m.resolve("config.json"), good);
        edit(m, root -> ((ObjectNode) root.get("categorical")).putArray("colour").add("blue").add("red"));
        assertLoadFails(m, "model.safetensors", "layers.0.weight");
        Files.writeString(m.resolve("config.json"), good);
        edit(m, root -> ((ObjectNode) root.get("imputation").get("values")).put("colour", "purple"));
        assertLoadFails(m, "\"imputation.values.colour\"", "\"purple\" is not one of the column's categories");
        Files.writeString(m.resolve("config.json"), good);
        edit(m, root -> ((ObjectNode) root.get("imputation").get("values")).remove("price"));
        assertLoadFails(m, "\"imputation.values.price\"", "is missing");
        Files.writeString(m.resolve("config.json"), good);
        edit(m, root -> ((ObjectNode) root.get("imputation")).put("strategy", "avg"));
        assertLoadFails(m, "\"imputation.strategy\"", "unknown imputation");
        Files.writeString(m.resolve("config.json"), good);
        edit(m, root -> ((ArrayNode) root.get("preprocessing").get("mean")).add(1));
        assertLoadFails(m, "\"preprocessing.mean\"", "one per numeric input (2)");

        Path ml = dir.resolve("ml");
        ModelStore.save(multiLabelModel(), ml, Map.of());
        String goodMl = Files.readString(ml.resolve("config.json"));
        edit(ml, root -> ((ObjectNode) root.get("label_classes")).putArray("b").add("yes"));
        assertLoadFails(ml, "\"label_classes.b\"", "two different values");
        Files.writeString(ml.resolve("config.json"), goodMl);
        edit(ml, root -> ((ObjectNode) root.get("label_classes")).remove("c"));
        assertLoadFails(ml, "\"label_classes.c\"", "is missing");
        Files.writeString(ml.resolve("config.json"), goodMl);
        edit(ml, root -> ((ArrayNode) root.get("labels")).remove(2));
        assertLoadFails(ml, "\"label_classes.c\"", "is not one of the labels");
        Files.writeString(ml.resolve("config.json"), goodMl);
        edit(ml, root -> {
            ((ArrayNode) root.get("labels")).remove(2);
            ((ObjectNode) root.get("label_classes")).remove("c");
        });
        assertLoadFails(ml, "\"labels\"", "one per label");
        Files.writeString(ml.resolve("config.json"), goodMl);
        edit(ml, root -> root.put("label", "a"));
        assertLoadFails(ml, "\"label\"", "both given");
    }
}
