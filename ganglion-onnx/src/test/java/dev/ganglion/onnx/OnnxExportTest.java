package dev.ganglion.onnx;

import dev.ganglion.testing.SharedData;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.ganglion.data.Dataset;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Imputer;
import dev.ganglion.data.Scaler;
import dev.ganglion.io.ModelStore;
import dev.ganglion.io.TabularData;
import dev.ganglion.model.Layer;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Loss;
import dev.ganglion.optim.Adam;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.TrainOptions;
import dev.ganglion.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Exported models run in the real onnxruntime and give what {@link Model#predict} gives. */
class OnnxExportTest {

    /** One example of every activation, with a non-default parameter where it has one. */
    static List<Activation> activations() {
        return List.of(new Activation.Linear(), new Activation.Step(), new Activation.Sigmoid(), new Activation.Tanh(),
                new Activation.Relu(), new Activation.LeakyRelu(0.2f), new Activation.Softmax(), new Activation.Gelu(),
                new Activation.Elu(0.7f), new Activation.Silu(), new Activation.Softplus());
    }

    @Test
    void theActivationListCoversTheSealedSet() {
        Set<Class<?>> tested = activations().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(tested).containsExactlyInAnyOrderElementsOf(new HashSet<>(Arrays.asList(Activation.class.getPermittedSubclasses())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void everyActivationMatchesPredict(Activation activation) {
        // the activation both in a hidden layer and at the output
        Model model = new Model(names(5), List.of(dense(7, activation), dense(4, activation)), new Loss.MeanSquaredError(),
                new Scaler.None(), "y", List.of(), 11L);
        randomise(model, 3);
        Tensor x = Tensor.randn(new SplittableRandom(5), 64, 5).mul(2f);
        assertMatches(model, x);
    }

    @Test
    void normalisationAndDropoutLayersMatchPredict() {
        List<Layer> layers = List.of(dense(9, new Activation.Relu()), new Layer.BatchNorm(), new Layer.Dropout(0.4f),
                dense(6, new Activation.Tanh()), new Layer.LayerNorm(), new Layer.Dropout(0.1f),
                dense(6, new Activation.Gelu()), new Layer.BatchNorm(), new Layer.LayerNorm(), dense(3, new Activation.Softmax()));
        Model model = new Model(names(4), layers, new Loss.CrossEntropy(), new Scaler.None(), "y", List.of("a", "b", "c"), 3L);
        randomise(model, 8);
        ModelProto proto = OnnxExport.toProto(model);
        assertThat(proto.getGraph().getNodeList().stream().map(NodeProto::getOpType))
                .contains("BatchNormalization", "LayerNormalization").doesNotContain("Dropout");
        assertMatches(model, Tensor.randn(new SplittableRandom(9), 50, 4));
    }

    @Test
    void scalingIsPartOfTheGraph() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 40, 3).mul(10f).add(5f);
        for (Scaler scaler : List.of(new Scaler.Divide(255f), Scaler.fitStandard(x), Scaler.fitMinMax(x),
                new Scaler.MinMax(new float[]{0f, 2f, -1f}, new float[]{1f, 2f, 4f}))) {
            Model model = new Model(names(3), List.of(dense(5, new Activation.Tanh()), dense(2, new Activation.Linear())),
                    new Loss.MeanSquaredError(), scaler, "y", List.of(), 2L);
            randomise(model, 4);
            assertMatches(model, x);
        }
    }

    @Test
    void imputationAndOneHotEncodingArePartOfTheGraph() {
        // columns: colour (categorical, first), size, shape (categorical), weight, zone (categorical, last)
        Map<String, List<String>> categories = new LinkedHashMap<>();
        categories.put("colour", List.of("red", "green", "blue"));
        categories.put("shape", List.of("round", "square"));
        categories.put("zone", List.of("n", "e", "s", "w"));
        List<String> columns = List.of("colour", "size", "shape", "weight", "zone");
        FeatureEncoding encoding = new FeatureEncoding(columns, categories,
                new Imputer(Imputer.Strategy.MEAN, new float[]{2f, 1.5f, 0f, -3f, 1f}));
        SplittableRandom rng = new SplittableRandom(12);
        int n = 60;
        float[] coded = new float[n * 5];
        for (int i = 0; i < n; i++) {
            coded[i * 5] = rng.nextInt(3);
            coded[i * 5 + 1] = (float) rng.nextGaussian() * 4f;
            coded[i * 5 + 2] = rng.nextInt(2);
            coded[i * 5 + 3] = (float) rng.nextGaussian() + 10f;
            coded[i * 5 + 4] = rng.nextInt(4);
        }
        for (int i = 0; i < n; i += 3) coded[i * 5 + rng.nextInt(5)] = Float.NaN;
        Tensor x = Tensor.of(coded, n, 5);
        Scaler scaler = new Scaler.Standard(new float[]{0.5f, 10f}, new float[]{4f, 1.5f});
        Model model = new Model(encoding, List.of(dense(8, new Activation.Elu(1f)), dense(3, new Activation.Softmax())),
                new Loss.CrossEntropy(), scaler, List.of("kind"), List.of("p", "q", "r"), List.of(), 5L);
        randomise(model, 6);
        assertThat(model.encoding().width()).isEqualTo(11);
        assertMatches(model, x);
    }

    @Test
    void aModelTrainedOnIrisGivesTheSamePredictions(@TempDir Path dir) throws Exception {
        TabularData.Labeled iris = TabularData.read(SharedData.file("iris.csv"), "label", null, TabularData.Target.CLASS_INDEX, null);
        Scaler scaler = Scaler.fitStandard(iris.data().features());
        Model model = new Model(iris.featureNames(), List.of(dense(10, new Activation.Relu()), new Layer.BatchNorm(),
                new Layer.Dropout(0.1f), dense(3, new Activation.Softmax())), new Loss.CrossEntropy(), scaler,
                iris.labelName(), iris.classNames(), 7L);
        Dataset scaled = model.scale(iris.data());
        new Trainer(model.network(), model.loss(), new Adam(model.network().parameters(), 0.02f),
                new TrainOptions(40, 16, true, 3L)).fit(scaled, null);
        int[] predicted = model.classify(model.predict(iris.data().features()));
        float[] truth = iris.data().targets().data();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == (int) truth[i]) correct++;
        assertThat(correct).as("trained model accuracy on iris").isGreaterThan(predicted.length * 8 / 10);

        // saved and loaded as a user would, then exported through the file
        ModelStore.save(model, dir.resolve("iris"), Map.of());
        Model loaded = ModelStore.load(dir.resolve("iris"));
        Path onnx = dir.resolve("iris.onnx");
        OnnxExport.write(loaded, onnx);
        Tensor expected = loaded.predict(iris.data().features());
        Tensor actual = Ort.run(Files.readAllBytes(onnx), OnnxExport.INPUT, iris.data().features());
        Ort.assertClose(actual, expected, "iris");
        assertThat(loaded.classify(actual)).containsExactly(predicted);
    }

    @Test
    void theFileDescribesItsInputOutputAndNames(@TempDir Path dir) throws Exception {
        Model model = new Model(List.of("r", "g", "b"), List.of(dense(4, new Activation.Relu()), dense(1, new Activation.Sigmoid())),
                new Loss.BinaryCrossEntropy(List.of()), new Scaler.Divide(255f), "text", List.of("dark", "light"), 1L);
        Path file = dir.resolve("sub/model.onnx");
        OnnxExport.write(model, file);
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(file));
        assertThat(proto.getOpsetImport(0).getVersion()).isEqualTo(OnnxExport.OPSET);
        var input = proto.getGraph().getInput(0);
        assertThat(input.getName()).isEqualTo("input");
        assertThat(input.getType().getTensorType().getShape().getDim(0).getDimParam()).isEqualTo("batch");
        assertThat(input.getType().getTensorType().getShape().getDim(1).getDimValue()).isEqualTo(3);
        var output = proto.getGraph().getOutput(0);
        assertThat(output.getName()).isEqualTo("output");
        assertThat(output.getType().getTensorType().getShape().getDim(1).getDimValue()).isEqualTo(1);
        Map<String, String> meta = new LinkedHashMap<>();
        proto.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertThat(meta).containsEntry("ganglion.inputs", "[\"r\",\"g\",\"b\"]").containsEntry("ganglion.classes", "[\"dark\",\"light\"]");
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString())).containsExactly("model.onnx");
        // a batch of one and a larger batch both run
        assertMatches(model, Tensor.of(new float[]{12f, 200f, 34f}, 1, 3));
        assertMatches(model, Tensor.rand(new SplittableRandom(2), 33, 3).mul(255f));
    }

    // ------------------------------------------------------------------ helpers

    static void assertMatches(Model model, Tensor rawInput) {
        byte[] onnx = OnnxExport.toProto(model).toByteArray();
        Tensor expected = model.predict(rawInput);
        Tensor actual = Ort.run(onnx, OnnxExport.INPUT, rawInput);
        Ort.assertClose(actual, expected, model.describe());
    }

    static Layer dense(int units, Activation activation) {
        return new dev.ganglion.model.LayerSpec(units, activation);
    }

    static List<String> names(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "f" + i).toList();
    }

    /** Random weights and biases (and batch-normalisation statistics, variances positive). */
    static void randomise(Model model, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        model.network().stateDict().forEach((name, t) -> {
            float[] v = t.data();
            for (int i = 0; i < v.length; i++) {
                v[i] = name.endsWith("running_var") ? 0.2f + 2f * (float) rng.nextDouble() : (float) rng.nextGaussian() * 0.7f;
            }
        });
    }
}
