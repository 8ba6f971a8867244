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
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.Ganglion;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Scaler;
import dev.ganglion.io.ModelFormatException;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.BatchNorm1d;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Dropout;
import dev.ganglion.nn.LayerNorm;
import dev.ganglion.nn.Module;
import dev.ganglion.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Model} as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION})
 * that computes exactly what {@link Model#predict} computes: the stored preprocessing (imputation,
 * scaling, one-hot encoding of categorical columns) followed by the network in evaluation mode.
 *
 * <p>The graph has one input {@value #INPUT}, float {@code [batch, columns]} with a symbolic batch
 * dimension, holding the raw <em>coded</em> features (a categorical column holds the index of its
 * category, a missing value is NaN; see {@link FeatureEncoding}), and one output {@value #OUTPUT},
 * float {@code [batch, outputs]}. Layers map to standard operators: dense to {@code Gemm}
 * (transB = 1), batch normalisation to {@code BatchNormalization} with the running statistics,
 * layer normalisation to {@code LayerNormalization}, dropout to nothing. Column, label and class
 * names travel in the model's metadata. See docs/onnx.md.
 */
public final class OnnxExport {
    /** The operator set the graph uses (17 is the first with {@code LayerNormalization}). */
    public static final int OPSET = 17;
    /** The ONNX IR version matching {@link #OPSET}. */
    public static final long IR_VERSION = 8;
    /** The graph's input name. */
    public static final String INPUT = "input";
    /** The graph's output name. */
    public static final String OUTPUT = "output";
    /** The symbolic name of the batch dimension. */
    public static final String BATCH = "batch";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExport() {
    }

    /** Writes {@code model} to {@code file} as ONNX, atomically (temporary file, fsync, rename). */
    public static void write(Model model, Path file) {
        byte[] bytes = toProto(model).toByteArray();
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "cannot write: " + e.getMessage(), e);
        }
    }

    /** The ONNX model of {@code model}. */
    public static ModelProto toProto(Model model) {
        GraphWriter g = new GraphWriter();
        FeatureEncoding enc = model.encoding();
        String x = preprocess(g, model);
        int width = enc.width();
        int layer = 0;
        for (Module m : model.network().layers()) {
            String prefix = "layers." + layer;
            switch (m) {
                case Dense d -> {
                    String w = g.initializer(prefix + ".weight", d.weight());
                    String b = g.initializer(prefix + ".bias", d.bias());
                    x = g.node("Gemm", prefix + "/Gemm", List.of(x, w, b), GraphWriter.intAttribute("transB", 1));
                    x = activation(g, prefix, d.activation(), x);
                    width = d.units();
                }
                case Dropout ignored -> {
                    // the identity at inference
                }
                case BatchNorm1d bn -> {
                    List<String> inputs = List.of(x,
                            g.initializer(prefix + ".weight", bn.weight()),
                            g.initializer(prefix + ".bias", bn.bias()),
                            g.initializer(prefix + ".running_mean", bn.runningMean()),
                            g.initializer(prefix + ".running_var", bn.runningVar()));
                    x = g.node("BatchNormalization", prefix + "/BatchNormalization", inputs,
                            GraphWriter.floatAttribute("epsilon", bn.epsilon()));
                }
                case LayerNorm ln -> {
                    List<String> inputs = List.of(x,
                            g.initializer(prefix + ".weight", ln.weight()),
                            g.initializer(prefix + ".bias", ln.bias()));
                    x = g.node("LayerNormalization", prefix + "/LayerNormalization", inputs,
                            GraphWriter.intAttribute("axis", -1), GraphWriter.floatAttribute("epsilon", ln.epsilon()));
                }
                default -> throw new IllegalArgumentException("ONNX export: layer " + layer + " (" + m + ") has no ONNX form");
            }
            layer++;
        }
        g.rename(x, OUTPUT);

        GraphProto graph = g.graph
                .setName("ganglion")
                .setDocString("Ganglion model " + model.describe())
                .addInput(valueInfo(INPUT, enc.columns().size()))
                .addOutput(valueInfo(OUTPUT, width))
                .build();
        ModelProto.Builder proto = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("ganglion")
                .setProducerVersion(Ganglion.version())
                .setDocString("Inputs: raw coded features, one column per input column " + enc.columns()
                        + " (categorical columns: the category's index; missing: NaN). Output: what ganglion predict prints.")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        metadata(model).forEach((k, v) -> proto.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return proto.build();
    }

    /** The names of things a reader of the ONNX file needs to use it, as JSON strings. */
    private static Map<String, String> metadata(Model model) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("ganglion.inputs", JSON.valueToTree(model.inputNames()).toString());
        if (!model.encoding().categories().isEmpty()) {
            meta.put("ganglion.categorical", JSON.valueToTree(model.encoding().categories()).toString());
        }
        meta.put("ganglion.labels", JSON.valueToTree(model.labelNames()).toString());
        if (model.isClassifier()) meta.put("ganglion.classes", JSON.valueToTree(model.classNames()).toString());
        if (model.isMultiLabel()) meta.put("ganglion.label_classes", JSON.valueToTree(model.labelClasses()).toString());
        meta.put("ganglion.loss", model.loss().name());
        meta.put("ganglion.architecture", model.describe());
        return meta;
    }

    private static ValueInfoProto valueInfo(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    // ------------------------------------------------------------------ preprocessing

    /**
     * Imputation, scaling of the numeric columns and one-hot encoding, in the order
     * {@link Model#scale(Tensor)} applies them; returns the name of the network's input.
     */
    private static String preprocess(GraphWriter g, Model model) {
        FeatureEncoding enc = model.encoding();
        int columns = enc.columns().size();
        String x = INPUT;
        if (enc.imputer().isActive()) {
            String missing = g.node("IsNaN", "impute/IsNaN", List.of(x));
            String fill = g.constant("impute/fill", enc.imputer().values(), columns);
            x = g.node("Where", "impute/Where", List.of(missing, fill, x));
        }
        x = scale(g, model.scaler(), enc, x);
        if (enc.categories().isEmpty()) return x;
        List<String> pieces = new ArrayList<>();
        int j = 0;
        while (j < columns) {
            if (enc.isCategorical(j)) {
                String column = slice(g, x, j, j + 1);
                int k = enc.categoriesOf(j).size();
                float[] codes = new float[k];
                for (int c = 0; c < k; c++) codes[c] = c;
                String name = "onehot." + j;
                String equal = g.node("Equal", name + "/Equal", List.of(column, g.constant(name + "/codes", codes, k)));
                pieces.add(g.node("Cast", name + "/Cast", List.of(equal),
                        GraphWriter.intAttribute("to", TensorProto.DataType.FLOAT_VALUE)));
                j++;
            } else {
                int start = j;
                while (j < columns && !enc.isCategorical(j)) j++;
                pieces.add(slice(g, x, start, j));
            }
        }
        return pieces.size() == 1 ? pieces.getFirst()
                : g.node("Concat", "onehot/Concat", pieces, GraphWriter.intAttribute("axis", 1));
    }

    /** Columns {@code [start, end)} of {@code x}. */
    private static String slice(GraphWriter g, String x, int start, int end) {
        String name = "columns." + start + "-" + end;
        return g.node("Slice", name + "/Slice", List.of(x,
                g.longs(name + "/starts", start), g.longs(name + "/ends", end), g.longs(name + "/axes", 1)));
    }

    /**
     * The scaler applied to the numeric columns only: per-column constants over all columns, the
     * identity (subtract 0, divide by 1) on categorical ones, so that category indices pass unchanged.
     */
    private static String scale(GraphWriter g, Scaler scaler, FeatureEncoding enc, String x) {
        int columns = enc.columns().size();
        int[] numeric = enc.numericColumns();
        switch (scaler) {
            case Scaler.None n -> {
                return x;
            }
            case Scaler.Divide d -> {
                float[] divisor = new float[numeric.length];
                Arrays.fill(divisor, d.divisor());
                divisor = spread(columns, numeric, divisor, 1f);
                return g.node("Div", "scale/Div", List.of(x, g.constant("scale/divisor", divisor, columns)));
            }
            case Scaler.Standard s -> {
                float[] mean = spread(columns, numeric, s.mean(), 0f);
                float[] std = spread(columns, numeric, s.std(), 1f);
                String centred = g.node("Sub", "scale/Sub", List.of(x, g.constant("scale/mean", mean, columns)));
                return g.node("Div", "scale/Div", List.of(centred, g.constant("scale/std", std, columns)));
            }
            case Scaler.MinMax m -> {
                float[] range = new float[numeric.length];
                float[] keep = new float[numeric.length];
                boolean constantColumn = false;
                for (int i = 0; i < numeric.length; i++) {
                    float r = m.max()[i] - m.min()[i];
                    // Ganglion maps a column that was constant in training to 0
                    range[i] = r == 0f ? 1f : r;
                    keep[i] = r == 0f ? 0f : 1f;
                    constantColumn |= r == 0f;
                }
                String shifted = g.node("Sub", "scale/Sub", List.of(x,
                        g.constant("scale/min", spread(columns, numeric, m.min(), 0f), columns)));
                String scaled = g.node("Div", "scale/Div", List.of(shifted,
                        g.constant("scale/range", spread(columns, numeric, range, 1f), columns)));
                if (!constantColumn) return scaled;
                return g.node("Mul", "scale/Mul", List.of(scaled,
                        g.constant("scale/keep", spread(columns, numeric, keep, 1f), columns)));
            }
        }
    }

    /** A per-column array: {@code values[i]} at numeric column {@code numeric[i]}, {@code other} at categorical ones. */
    private static float[] spread(int columns, int[] numeric, float[] values, float other) {
        float[] out = new float[columns];
        Arrays.fill(out, other);
        for (int i = 0; i < numeric.length; i++) out[numeric[i]] = values[i];
        return out;
    }

    // ------------------------------------------------------------------ activations

    /** Appends the nodes computing {@code activation(z)}; returns the name of the result. */
    private static String activation(GraphWriter g, String prefix, Activation activation, String z) {
        String p = prefix + "/";
        return switch (activation) {
            case Activation.Linear l -> z;
            case Activation.Step s -> {
                String zero = g.constant(p + "zero", new float[]{0f});
                String atLeast = g.node("GreaterOrEqual", p + "GreaterOrEqual", List.of(z, zero));
                yield g.node("Cast", p + "Cast", List.of(atLeast), GraphWriter.intAttribute("to", TensorProto.DataType.FLOAT_VALUE));
            }
            case Activation.Sigmoid s -> g.node("Sigmoid", p + "Sigmoid", List.of(z));
            case Activation.Tanh t -> g.node("Tanh", p + "Tanh", List.of(z));
            case Activation.Relu r -> g.node("Relu", p + "Relu", List.of(z));
            case Activation.LeakyRelu r -> g.node("LeakyRelu", p + "LeakyRelu", List.of(z), GraphWriter.floatAttribute("alpha", r.slope()));
            case Activation.Softmax s -> g.node("Softmax", p + "Softmax", List.of(z), GraphWriter.intAttribute("axis", -1));
            case Activation.Elu e -> g.node("Elu", p + "Elu", List.of(z), GraphWriter.floatAttribute("alpha", e.alpha()));
            case Activation.Softplus s -> g.node("Softplus", p + "Softplus", List.of(z));
            case Activation.Silu s -> {
                String sigmoid = g.node("Sigmoid", p + "Sigmoid", List.of(z));
                yield g.node("Mul", p + "Mul", List.of(z, sigmoid));
            }
            case Activation.Gelu ge -> {
                // exact GELU, x·½(1 + erf(x/√2)); the Gelu operator itself needs opset 20
                String scaled = g.node("Div", p + "Div", List.of(z, g.constant(p + "sqrt2", new float[]{(float) Math.sqrt(2)})));
                String erf = g.node("Erf", p + "Erf", List.of(scaled));
                String onePlus = g.node("Add", p + "Add", List.of(erf, g.constant(p + "one", new float[]{1f})));
                String half = g.node("Mul", p + "Mul_half", List.of(onePlus, g.constant(p + "half", new float[]{0.5f})));
                yield g.node("Mul", p + "Mul", List.of(z, half));
            }
        };
    }

    /** Accumulates nodes and initializers; each node's single output is named after the node. */
    private static final class GraphWriter {
        final GraphProto.Builder graph = GraphProto.newBuilder();

        String node(String op, String name, List<String> inputs, AttributeProto... attributes) {
            graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(name)
                    .addAllAttribute(List.of(attributes)));
            return name;
        }

        /** Renames the output of the last node (which nothing reads yet) to {@code name}. */
        void rename(String output, String name) {
            NodeProto.Builder last = graph.getNodeBuilder(graph.getNodeCount() - 1);
            if (!last.getOutput(0).equals(output)) throw new IllegalStateException("rename: " + output + " is not the last output");
            last.setOutput(0, name);
        }

        String initializer(String name, Tensor t) {
            return constant(name, t.data(), t.shape().dims());
        }

        String constant(String name, float[] values, int... dims) {
            ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float v : values) raw.putFloat(v);
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                    .setRawData(com.google.protobuf.ByteString.copyFrom(raw.array()));
            for (int d : dims) t.addDims(d);
            graph.addInitializer(t);
            return name;
        }

        String longs(String name, long... values) {
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(values.length).addAllInt64Data(Arrays.stream(values).boxed().toList()));
            return name;
        }

        static AttributeProto intAttribute(String name, long value) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
        }

        static AttributeProto floatAttribute(String name, float value) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
        }
    }
}
