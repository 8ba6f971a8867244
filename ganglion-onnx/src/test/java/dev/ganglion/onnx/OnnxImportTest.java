package dev.ganglion.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.ganglion.data.Scaler;
import dev.ganglion.io.ModelFormatException;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Layer;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ONNX files built here the way other frameworks write them run in onnxruntime and, imported, in
 * Ganglion, with the same outputs; malformed or unsupported files fail with one clear line.
 */
class OnnxImportTest {
    @TempDir
    Path dir;

    private final SplittableRandom rng = new SplittableRandom(21);

    /** torch.onnx.export of nn.Linear layers in the MatMul + Add form: weights stored transposed [in, out]. */
    @Test
    void pytorchStyleMatMulAndAdd() throws Exception {
        Graph g = new Graph(4);
        String h = g.matMulAdd("x", 4, 8, "fc1");
        h = g.unary("Relu", h, "relu1");
        h = g.matMulAdd(h, 8, 6, "fc2");
        h = g.unary("Tanh", h, "tanh2");
        h = g.matMulAdd(h, 6, 3, "fc3");
        h = g.node("Softmax", List.of(h), "softmax", attribute("axis", 1));
        Model model = assertSameOutputs(g.finish(h, 3), 4);
        assertThat(model.describe()).isEqualTo("4 -> 8:relu -> 6:tanh -> 3:softmax (ce)");
    }

    /** Keras/tf2onnx and PyTorch's Gemm form: transB = 1, alpha and beta, bias from a Constant node, Identity and Dropout. */
    @Test
    void gemmWithTransBAlphaBetaConstantsIdentityAndDropout() throws Exception {
        Graph g = new Graph(5);
        String w1 = g.initializer("w1", randoms(7 * 5), 7, 5);
        String b1 = g.node("Constant", List.of(), "b1", tensorAttribute("value", tensor("b1v", randoms(7), 7)));
        String h = g.node("Gemm", List.of("x", w1, b1), "gemm1", attribute("transB", 1), floatAttribute("alpha", 0.5f),
                floatAttribute("beta", 2f));
        h = g.node("LeakyRelu", List.of(h), "leaky", floatAttribute("alpha", 0.1f));
        h = g.node("Dropout", List.of(h), "dropout");
        String w2 = g.initializer("w2", randoms(7 * 4), 7, 4);
        String b2 = g.initializer("b2", randoms(4), 1, 4);
        h = g.node("Gemm", List.of(h, w2, b2), "gemm2");
        h = g.unary("Identity", h, "identity");
        h = g.unary("Sigmoid", h, "sigmoid");
        Model model = assertSameOutputs(g.finish(h, 4), 5);
        assertThat(model.describe()).isEqualTo("5 -> 7:leaky_relu(0.1) -> 4:sigmoid (bce)");
    }

    @Test
    void consecutiveLinearLayersAndEluSoftplus() throws Exception {
        Graph g = new Graph(3);
        String h = g.matMulAdd("x", 3, 5, "a");
        h = g.matMulAdd(h, 5, 5, "b");
        h = g.node("Elu", List.of(h), "elu", floatAttribute("alpha", 0.5f));
        String w = g.initializer("wc", randoms(2 * 5), 2, 5);
        h = g.node("Gemm", List.of(h, w), "c", attribute("transB", 1));
        h = g.unary("Softplus", h, "softplus");
        Model model = assertSameOutputs(g.finish(h, 2), 3);
        assertThat(model.describe()).isEqualTo("3 -> 5:linear -> 5:elu(0.5) -> 2:softplus (mse)");
    }

    /** PyTorch's Linear → BatchNorm1d → ReLU (folded into the dense layer), then ReLU → BatchNorm1d and LayerNorm as layers. */
    @Test
    void batchAndLayerNormalisation() throws Exception {
        Graph g = new Graph(4);
        String h = g.matMulAdd("x", 4, 6, "fc1");
        h = g.batchNorm(h, 6, "bn1", 1e-3f);
        h = g.unary("Relu", h, "relu1");
        h = g.batchNorm(h, 6, "bn2", 2e-4f);
        String w = g.initializer("w2", randoms(5 * 6), 5, 6);
        h = g.node("Gemm", List.of(h, w, g.initializer("b2", randoms(5), 5)), "fc2", attribute("transB", 1));
        h = g.unary("Tanh", h, "tanh2");
        h = g.node("LayerNormalization", List.of(h, g.initializer("ln.w", randoms(5), 5), g.initializer("ln.b", randoms(5), 5)),
                "ln", attribute("axis", -1), floatAttribute("epsilon", 1e-5f));
        h = g.matMulAdd(h, 5, 2, "fc3");
        Model model = assertSameOutputs(g.finish(h, 2), 4);
        assertThat(model.describe()).isEqualTo("4 -> 6:relu -> batchnorm -> 5:tanh -> layernorm -> 2:linear (mse)");
    }

    @Test
    void exportedNormalisationLayersImportBack() throws Exception {
        List<Layer> layers = List.of(OnnxExportTest.dense(7, new Activation.Relu()), new Layer.BatchNorm(), new Layer.Dropout(0.3f),
                OnnxExportTest.dense(5, new Activation.Elu(1f)), new Layer.LayerNorm(), OnnxExportTest.dense(3, new Activation.Softmax()));
        Model model = new Model(OnnxExportTest.names(4), layers, new Loss.CrossEntropy(), new Scaler.None(), "y", List.of("a", "b", "c"), 9L);
        OnnxExportTest.randomise(model, 23);
        Path file = dir.resolve("norm.onnx");
        OnnxExport.write(model, file);
        Model back = OnnxImport.read(file, new OnnxImport.Options(model.inputNames(), "y", model.classNames()));
        assertThat(back.describe()).isEqualTo("4 -> 7:relu -> batchnorm -> 5:elu -> layernorm -> 3:softmax (ce)");
        Tensor x = Tensor.randn(rng, 30, 4);
        Ort.assertClose(back.predict(x), model.predict(x), "norm round trip");
    }

    @Test
    void normalisationThatGanglionCannotHoldIsRefused() throws Exception {
        Graph g = new Graph(3);
        String h = g.unary("Relu", g.matMulAdd("x", 3, 3, "fc"), "relu");
        h = g.node("LayerNormalization", List.of(h, g.initializer("ln.w", randoms(3), 3)), "ln", floatAttribute("epsilon", 1e-6f));
        Path file = g.write(g.matMulAdd(h, 3, 1, "out"), 1);
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults()))
                .hasMessageContaining("node \"ln\": LayerNormalization epsilon 1.0E-6 is not supported");

        Graph g2 = new Graph(3);
        String h2 = g2.unary("Relu", g2.matMulAdd("x", 3, 3, "fc"), "relu");
        Path file2 = g2.write(g2.batchNorm(h2, 3, "bn", 1e-5f), 3);
        assertThatThrownBy(() -> OnnxImport.read(file2, OnnxImport.Options.defaults()))
                .hasMessageContaining("ends with a normalisation layer");
    }

    /** How torch.onnx.export writes nn.GELU (opset < 20, constants as Constant nodes) and nn.SiLU. */
    @Test
    void pytorchGeluAndSiluAsSeveralNodes() throws Exception {
        Graph g = new Graph(4);
        String z = g.matMulAdd("x", 4, 6, "fc1");
        String sqrt2 = g.node("Constant", List.of(), "c_sqrt2", tensorAttribute("value", tensor("", new float[]{1.4142135381698608f})));
        String div = g.node("Div", List.of(z, sqrt2), "gelu/Div");
        String erf = g.unary("Erf", div, "gelu/Erf");
        String one = g.node("Constant", List.of(), "c_one", tensorAttribute("value", tensor("", new float[]{1f})));
        String add = g.node("Add", List.of(erf, one), "gelu/Add");
        String mul = g.node("Mul", List.of(z, add), "gelu/Mul");
        String half = g.node("Constant", List.of(), "c_half", tensorAttribute("value", tensor("", new float[]{0.5f})));
        String h = g.node("Mul", List.of(mul, half), "gelu/Mul_1");
        String z2 = g.matMulAdd(h, 6, 5, "fc2");
        String sig = g.unary("Sigmoid", z2, "silu/Sigmoid");
        h = g.node("Mul", List.of(z2, sig), "silu/Mul");
        h = g.matMulAdd(h, 5, 2, "fc3");
        Model model = assertSameOutputs(g.finish(h, 2), 4);
        assertThat(model.describe()).isEqualTo("4 -> 6:gelu -> 5:silu -> 2:linear (mse)");
    }

    @Test
    void theOpset20GeluOperator() throws Exception {
        Graph g = new Graph(3);
        g.opset = 20;
        String h = g.unary("Gelu", g.matMulAdd("x", 3, 4, "fc1"), "gelu");
        Model model = assertSameOutputs(g.finish(g.matMulAdd(h, 4, 2, "fc2"), 2), 3);
        assertThat(model.describe()).isEqualTo("3 -> 4:gelu -> 2:linear (mse)");

        Graph g2 = new Graph(3);
        g2.opset = 20;
        String t = g2.node("Gelu", List.of(g2.matMulAdd("x", 3, 4, "fc1")), "gelu_tanh", AttributeProto.newBuilder().setName("approximate")
                .setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8("tanh")).build());
        Path file = g2.write(g2.matMulAdd(t, 4, 2, "fc2"), 2);
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults()))
                .hasMessageContaining("node \"gelu_tanh\": Gelu with approximate=\"tanh\" is not supported");
    }

    @Test
    void anImportedModelIsANormalModelDirectory() throws Exception {
        Graph g = new Graph(2);
        String h = g.matMulAdd("x", 2, 4, "fc1");
        h = g.unary("Relu", h, "r");
        h = g.matMulAdd(h, 4, 3, "fc2");
        Path file = g.write(h, 3);
        Model model = OnnxImport.read(file, new OnnxImport.Options(List.of("width", "height"), "species", List.of("a", "b", "c")));
        ModelStore.save(model, dir.resolve("imported"), java.util.Map.of("imported_from", "onnx"));
        Model loaded = ModelStore.load(dir.resolve("imported"));
        assertThat(loaded.inputNames()).containsExactly("width", "height");
        assertThat(loaded.classNames()).containsExactly("a", "b", "c");
        Tensor x = Tensor.randn(rng, 20, 2);
        Ort.assertClose(loaded.predict(x), Ort.run(Files.readAllBytes(file), "x", x), "loaded");
    }

    @Test
    void exportThenImportGivesTheSameOutputs() throws Exception {
        for (Activation a : OnnxExportTest.activations()) {
            Model model = new Model(OnnxExportTest.names(4), List.of(OnnxExportTest.dense(6, a), OnnxExportTest.dense(3, a)),
                    new Loss.MeanSquaredError(), new Scaler.None(), "y", List.of(), 4L);
            OnnxExportTest.randomise(model, 17);
            Path file = dir.resolve(a.getClass().getSimpleName() + ".onnx");
            OnnxExport.write(model, file);
            Model back = OnnxImport.read(file, new OnnxImport.Options(model.inputNames(), "y", List.of()));
            assertThat(back.architecture()).as(a.name()).hasToString(model.architecture().toString());
            assertThat(back.architecture().getFirst()).isEqualTo(model.architecture().getFirst());
            Tensor x = Tensor.randn(rng, 30, 4);
            Ort.assertClose(back.predict(x), model.predict(x), a.name());
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void anUnsupportedOperatorIsNamedWithItsNode() throws Exception {
        Graph g = new Graph(4);
        String h = g.matMulAdd("x", 4, 4, "fc1");
        h = g.unary("Conv", h, "conv_7");
        Path file = g.write(h, 4);
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("node \"conv_7\": operator Conv is not supported")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aTruncatedFileIsReportedAsSuch() throws Exception {
        Graph g = new Graph(3);
        Path file = g.write(g.matMulAdd("x", 3, 2, "fc"), 2);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is not a valid ONNX model (truncated");
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults())).hasMessageContaining("is empty");
        Files.writeString(file, "this is not protobuf at all, just text\n");
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults())).isInstanceOf(ModelFormatException.class);
    }

    @Test
    void nonFloatWeightsAndInputsAreRefused() throws Exception {
        Graph g = new Graph(2);
        TensorProto.Builder w = TensorProto.newBuilder().setName("w_double").setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .addDims(2).addDims(2).addAllDoubleData(List.of(1.0, 2.0, 3.0, 4.0));
        g.graph.addInitializer(w);
        String h = g.node("MatMul", List.of("x", "w_double"), "mm");
        Path file = g.write(h, 2);
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults()))
                .hasMessageContaining("tensor \"w_double\": has element type double; only float32 weights are supported");

        Graph g2 = new Graph(2);
        g2.inputType = TensorProto.DataType.INT64_VALUE;
        Path file2 = g2.write(g2.matMulAdd("x", 2, 2, "fc"), 2);
        assertThatThrownBy(() -> OnnxImport.read(file2, OnnxImport.Options.defaults()))
                .hasMessageContaining("input \"x\" has element type int64; only float32 is supported");
    }

    @Test
    void externalDataIsNotFollowed() throws Exception {
        Graph g = new Graph(2);
        g.graph.addInitializer(TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(2).addDims(2).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../../etc/passwd")));
        Path file = g.write(g.node("MatMul", List.of("x", "w"), "mm"), 2);
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults()))
                .hasMessageContaining("tensor \"w\": keeps its data in an external file, which is not read");
    }

    @Test
    void graphsThatAreNotAChainOfDenseLayersAreRefused() throws Exception {
        // a residual connection: Add of two computed values
        Graph g = new Graph(3);
        String h = g.matMulAdd("x", 3, 3, "fc");
        String r = g.node("Add", List.of(h, "x"), "residual");
        Path file = g.write(r, 3);
        assertThatThrownBy(() -> OnnxImport.read(file, OnnxImport.Options.defaults()))
                .hasMessageContaining("node \"residual\": Add of two computed values");

        // weights of the wrong shape
        Graph g2 = new Graph(3);
        String w = g2.initializer("w", randoms(8), 4, 2);
        Path file2 = g2.write(g2.node("MatMul", List.of("x", w), "mm"), 2);
        assertThatThrownBy(() -> OnnxImport.read(file2, OnnxImport.Options.defaults()))
                .hasMessageContaining("input \"x\" has 3 features but the first layer takes 4");

        // two activations in a row
        Graph g3 = new Graph(2);
        String a = g3.unary("Relu", g3.matMulAdd("x", 2, 2, "fc"), "relu");
        Path file3 = g3.write(g3.unary("Sigmoid", a, "sig"), 2);
        assertThatThrownBy(() -> OnnxImport.read(file3, OnnxImport.Options.defaults()))
                .hasMessageContaining("node \"sig\": Sigmoid does not follow a linear layer");
    }

    @Test
    void namesMustFitTheNetwork() throws Exception {
        Graph g = new Graph(2);
        Path file = g.write(g.matMulAdd("x", 2, 3, "fc"), 3);
        assertThatThrownBy(() -> OnnxImport.read(file, new OnnxImport.Options(List.of("a"), null, List.of())))
                .hasMessageContaining("the network takes 2 inputs, but 1 input names were given");
        assertThatThrownBy(() -> OnnxImport.read(file, new OnnxImport.Options(List.of(), null, List.of("p", "q"))))
                .hasMessageContaining("3 output(s), which means 3 classes, but 2 class names were given");
    }

    // ------------------------------------------------------------------ helpers

    /** Runs the file in onnxruntime and the imported model in Ganglion on random inputs; returns the model. */
    private Model assertSameOutputs(ModelProto proto, int inputs) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, proto.toByteArray());
        Model model = OnnxImport.read(file, OnnxImport.Options.defaults());
        Tensor x = Tensor.randn(rng, 40, inputs).mul(1.5f);
        Ort.assertClose(model.predict(x), Ort.run(proto.toByteArray(), "x", x), model.describe());
        return model;
    }

    private float[] randoms(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian() * 0.6f;
        return v;
    }

    private static TensorProto tensor(String name, float[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) t.addDims(d);
        for (float v : values) t.addFloatData(v);
        return t.build();
    }

    private static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto tensorAttribute(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    /** Builds a graph with input {@code x [N, inputs]}, as an exporter would. */
    private final class Graph {
        final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
        final int inputs;
        int inputType = TensorProto.DataType.FLOAT_VALUE;
        int opset = 17;

        Graph(int inputs) {
            this.inputs = inputs;
        }

        String initializer(String name, float[] values, long... dims) {
            graph.addInitializer(tensor(name, values, dims));
            return name;
        }

        String node(String op, List<String> in, String name, AttributeProto... attributes) {
            graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(name + "_out")
                    .addAllAttribute(List.of(attributes)));
            return name + "_out";
        }

        String unary(String op, String in, String name) {
            return node(op, List.of(in), name);
        }

        /** PyTorch's Linear as MatMul with the transposed weight [in, out], then Add of the bias. */
        String matMulAdd(String in, int from, int to, String name) {
            String w = initializer(name + ".weight_t", randoms(from * to), from, to);
            String b = initializer(name + ".bias", randoms(to), to);
            String mm = node("MatMul", List.of(in, w), name + "/MatMul");
            return node("Add", List.of(mm, b), name + "/Add");
        }

        /** BatchNormalization in inference mode with random statistics (variances positive). */
        String batchNorm(String in, int c, String name, float epsilon) {
            float[] var = new float[c];
            for (int j = 0; j < c; j++) var[j] = 0.3f + (float) rng.nextDouble();
            List<String> inputs = List.of(in, initializer(name + ".weight", randoms(c), c), initializer(name + ".bias", randoms(c), c),
                    initializer(name + ".running_mean", randoms(c), c), initializer(name + ".running_var", var, c));
            return node("BatchNormalization", inputs, name, floatAttribute("epsilon", epsilon));
        }

        ModelProto finish(String output, int outputs) {
            graph.addInput(value("x", inputType, inputs));
            graph.addOutput(value(output, TensorProto.DataType.FLOAT_VALUE, outputs));
            return ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
        }

        Path write(String output, int outputs) throws Exception {
            Path file = dir.resolve("graph.onnx");
            Files.write(file, finish(output, outputs).toByteArray());
            return file;
        }

        private ValueInfoProto value(String name, int type, int width) {
            TensorShapeProto shape = TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width)).build();
            return ValueInfoProto.newBuilder().setName(name)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape)))
                    .build();
        }
    }
}
