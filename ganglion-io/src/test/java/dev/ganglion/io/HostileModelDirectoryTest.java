package dev.ganglion.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ganglion.data.Scaler;
import dev.ganglion.model.Layer;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Loss;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model directories built to hurt the loader: each must fail with a one-line
 * {@link ModelFormatException} that names the file and the key or tensor, before any large
 * allocation, and never with another exception.
 */
class HostileModelDirectoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path model;

    @BeforeEach
    void saveAGoodModel() {
        model = dir.resolve("model");
        Model m = new Model(List.of("a", "b", "c"), Layer.parseList("4:relu,dropout(0.5),batchnorm,2:softmax", null),
                Loss.parse("ce"), new Scaler.None(), "y", List.of("no", "yes"), 1);
        ModelStore.save(m, model, Map.of());
        assertThat(ModelStore.load(model).architecture()).hasSize(4);
    }

    private Path config() {
        return model.resolve(ModelStore.CONFIG_FILE);
    }

    private Path weights() {
        return model.resolve(ModelStore.WEIGHTS_FILE);
    }

    private void editConfig(Consumer<ObjectNode> change) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(config().toFile());
        change.accept(root);
        Files.writeString(config(), JSON.writeValueAsString(root));
    }

    private void editWeights(Consumer<Map<String, FloatTensorData>> change) {
        Map<String, FloatTensorData> w = new LinkedHashMap<>(SafeTensors.read(weights()).tensors());
        change.accept(w);
        SafeTensors.write(weights(), w);
    }

    private void assertFails(Path file, String tensor, String... parts) {
        assertThatThrownBy(() -> ModelStore.load(model))
                .isInstanceOfSatisfying(ModelFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.tensor()).isEqualTo(tensor);
                    assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n").contains(parts);
                });
    }

    @Test
    void duplicateKeysInTheConfig() throws IOException {
        String text = Files.readString(config());
        Files.writeString(config(), text.replaceFirst("\\{", "{\"loss\": \"mse\", "));
        assertFails(config(), null, "Duplicate field 'loss'");
    }

    @Test
    void nestingDeeperThanJacksonsLimit() throws IOException {
        // found by ModelConfigFuzzTest: Jackson's nesting limit error has no location, and the
        // message code dereferenced it (NullPointerException instead of a ModelFormatException)
        Files.writeString(config(), "[".repeat(1200));
        assertFails(config(), null, "invalid JSON: Document nesting depth (1001) exceeds the maximum allowed");
    }

    @Test
    void trailingGarbageAfterTheConfig() throws IOException {
        Files.writeString(config(), Files.readString(config()) + " {}");
        assertFails(config(), null, "invalid JSON");
    }

    @Test
    void aConfigThatIsNotAnObject() throws IOException {
        Files.writeString(config(), "[1, 2, 3]");
        assertFails(config(), null, "must hold a JSON object");
    }

    @Test
    void anOversizedConfig() throws IOException {
        Files.write(config(), new byte[10_000_001]);
        assertFails(config(), null, "is larger than 10000000 bytes");
    }

    @Test
    void absurdLayerSizesAreRefusedBeforeAnyAllocation() throws IOException {
        editConfig(root -> {
            ArrayNode layers = root.putArray("layers");
            for (int i = 0; i < 3; i++) layers.addObject().put("type", "dense").put("units", 40_000).put("activation", "relu");
            layers.addObject().put("type", "dense").put("units", 2).put("activation", "softmax");
        });
        assertFails(config(), null, "\"layers\" describe 3200320002 parameters and buffer values, more than this loader accepts");
    }

    @Test
    void aWeightMatrixLargerThanAJavaArray() throws IOException {
        editConfig(root -> {
            ObjectNode categorical = root.putObject("categorical");
            ArrayNode cats = categorical.putArray("a");
            for (int i = 0; i < 3000; i++) cats.add("c" + i);
            ArrayNode layers = root.putArray("layers");
            layers.addObject().put("type", "dense").put("units", 1_000_000).put("activation", "relu");
            layers.addObject().put("type", "dense").put("units", 2).put("activation", "softmax");
        });
        assertFails(config(), null, "\"layers[0].units\" makes a weight matrix of 1000000 x 3002 values, more than a Java array holds");
    }

    @Test
    void aWeightsFileTooSmallForTheArchitectureIsRefusedBeforeTheModelIsBuilt() throws IOException {
        editConfig(root -> ((ObjectNode) root.get("layers").get(0)).put("units", 400_000));
        assertFails(weights(), null, "too few for the", "truncated, or not this model's weights?");
    }

    @Test
    void aMissingTensor() {
        editWeights(w -> w.remove("layers.2.running_var"));
        assertFails(weights(), null, "layers.2.running_var");
    }

    @Test
    void anExtraTensor() {
        editWeights(w -> w.put("layers.9.weight", new FloatTensorData(new int[]{1}, new float[]{0})));
        assertFails(weights(), null, "layers.9.weight");
    }

    @Test
    void aTensorWithTheWrongShapeForTheArchitecture() {
        editWeights(w -> w.put("layers.0.weight", new FloatTensorData(new int[]{3, 4}, new float[12])));
        assertFails(weights(), null, "layers.0.weight", "[3, 4]");
    }

    @Test
    void nanWeights() {
        editWeights(w -> w.put("layers.0.bias", new FloatTensorData(new int[]{4}, new float[]{0, Float.NaN, 0, 0})));
        assertFails(weights(), "layers.0.bias", "NaN or infinite");
    }

    @Test
    void aJavaSerializationStreamIsReadAsBytesAndRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.ArrayList<>(List.of("not", "a", "model")));
        }
        byte[] serialized = bytes.toByteArray();
        byte[] padded = java.util.Arrays.copyOf(serialized, 4096);   // large enough to pass the size check
        Files.write(weights(), padded);
        assertFails(weights(), null, "header length");
        Files.write(weights(), serialized);
        assertFails(weights(), null, "too few");
        Files.write(config(), serialized);
        assertFails(config(), null, "is not valid UTF-8 text");
    }

    @Test
    void aClassNameWhereALayerTypeBelongsIsJustAnUnknownType() throws IOException {
        editConfig(root -> ((ObjectNode) root.get("layers").get(0)).put("type", "java.lang.ProcessBuilder"));
        assertFails(config(), null, "\"layers[0].type\" \"java.lang.ProcessBuilder\" is not a supported layer type");
        editConfig(root -> {
            ((ObjectNode) root.get("layers").get(0)).put("type", "dense");
            ((ObjectNode) root.get("layers").get(0)).put("activation", "java.lang.Runtime");
        });
        assertThatThrownBy(() -> ModelStore.load(model)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("layers[0].activation");
    }

    @Test
    void binaryGarbageInTheConfig() throws IOException {
        Files.write(config(), "{\"format\": \"\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1));
        assertFails(config(), null, "is not valid UTF-8");
    }
}
