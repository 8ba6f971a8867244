package dev.ganglion.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ganglion.data.Scaler;
import dev.ganglion.io.ModelFormatException;
import dev.ganglion.model.Layer;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a dense feed-forward network from an ONNX file written by another framework (PyTorch's
 * {@code torch.onnx.export}, tf2onnx, skl2onnx, …) and turns it into a Ganglion {@link Model}.
 *
 * <p>The graph must be a single chain from one float input {@code [batch, features]} to one
 * output: linear layers written as {@code MatMul} (+ {@code Add}) or {@code Gemm} (any
 * {@code transB}, {@code alpha}, {@code beta}; {@code transA = 0}), each followed by at most one of
 * {@code Relu}, {@code Sigmoid}, {@code Tanh}, {@code Softmax} (last axis), {@code LeakyRelu},
 * {@code Elu}, {@code Softplus}, or GELU, SiLU or step written as several nodes; inference-mode {@code BatchNormalization} (folded into the linear
 * layer it follows, or a batchnorm layer after an activation) and {@code LayerNormalization}
 * (ε = 1e-5); {@code Identity} and {@code Dropout} pass values on; weights come
 * from initializers or {@code Constant} nodes and must be float32. Anything else fails with one
 * line naming the operator and node.
 *
 * <p>The file is untrusted: its size is capped at {@value #MAX_FILE_BYTES} bytes, tensors with
 * external data (weights in other files) are refused rather than followed, and every shape is
 * checked before use.
 */
public final class OnnxImport {
    /** The largest ONNX file read. */
    public static final long MAX_FILE_BYTES = 1L << 30;
    /** The largest number of elements in one tensor. */
    private static final long MAX_ELEMENTS = 1L << 28;
    private static final String SUPPORTED = "MatMul, Gemm, Add, Relu, Sigmoid, Tanh, Softmax, LeakyRelu, Elu, Softplus, Gelu, "
            + "BatchNormalization, LayerNormalization, Identity, Dropout, Constant (and GELU, SiLU, step as their usual node patterns)";

    /** The ε of the normalisation layers a Ganglion model builds ({@link dev.ganglion.nn.BatchNorm1d}, {@link dev.ganglion.nn.LayerNorm}). */
    private static final float GANGLION_EPSILON = 1e-5f;

    private OnnxImport() {
    }

    /**
     * What the ONNX file does not say: the names Ganglion gives the inputs, labels and classes.
     *
     * @param inputNames one per input feature, or empty for {@code x0, x1, …}
     * @param labelName  the predicted quantity's name, or {@code null} for {@code output}
     * @param classNames empty for regression; else the class names (one per output, or two for a
     *                   single output)
     */
    public record Options(List<String> inputNames, String labelName, List<String> classNames) {
        public Options {
            inputNames = List.copyOf(inputNames);
            classNames = List.copyOf(classNames);
        }

        /** No names given: inputs {@code x0, x1, …}, label {@code output}, regression. */
        public static Options defaults() {
            return new Options(List.of(), null, List.of());
        }
    }

    /**
     * The network read from an ONNX file.
     *
     * @param layers   first to last; the last is dense
     * @param state    the weights, named as in a model directory ({@code layers.<i>.weight}, …)
     * @param inputs   the width of the network's input
     * @param producer the file's producer name and version, possibly empty
     */
    public record Network(List<Layer> layers, Map<String, Tensor> state, int inputs, String producer) {
    }

    /** Reads {@code file} and builds a Ganglion model (no preprocessing) with its weights. */
    public static Model read(Path file, Options options) {
        Network net = readNetwork(file);
        return toModel(file, net, options);
    }

    /** Reads the layers and weights of {@code file}. */
    public static Network readNetwork(Path file) {
        return new GraphReader(file, parse(file)).read();
    }

    /** The parsed ONNX model in {@code file}, size-checked. */
    static ModelProto parse(Path file) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) throw new ModelFormatException(file, null, Files.exists(file) ? "is not a file" : "no such file");
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw new ModelFormatException(file, null, "is " + size + " bytes, larger than the " + MAX_FILE_BYTES + " bytes read");
            if (size == 0) throw new ModelFormatException(file, null, "is empty, not an ONNX model");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "cannot read: " + e.getMessage(), e);
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(bytes.length);
            return ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(file, null, "is not a valid ONNX model (truncated, or not an ONNX protobuf file): "
                    + e.getMessage().split("\\. ", 2)[0]);
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "cannot parse: " + e.getMessage(), e);
        }
    }

    /** The Ganglion model (no preprocessing) of a network read by {@link #readNetwork}. */
    public static Model toModel(Path file, Network net, Options options) {
        LayerSpec last = (LayerSpec) net.layers().getLast();
        List<String> inputs = options.inputNames();
        if (inputs.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < net.inputs(); i++) names.add("x" + i);
            inputs = names;
        } else if (inputs.size() != net.inputs()) {
            throw new IllegalArgumentException(file + ": the network takes " + net.inputs() + " inputs, but "
                    + inputs.size() + " input names were given: " + inputs);
        }
        List<String> classes = options.classNames();
        int out = last.units();
        if (!classes.isEmpty() && classes.size() != (out == 1 ? 2 : out)) {
            throw new IllegalArgumentException(file + ": the network has " + out + " output(s), which means "
                    + (out == 1 ? 2 : out) + " classes, but " + classes.size() + " class names were given: " + classes);
        }
        Loss loss = switch (last.activation()) {
            case Activation.Softmax s -> new Loss.CrossEntropy();
            case Activation.Sigmoid s -> new Loss.BinaryCrossEntropy(List.of());
            case Activation.Linear l when !classes.isEmpty() -> out == 1 ? new Loss.BinaryCrossEntropyWithLogits(List.of()) : new Loss.CrossEntropy();
            default -> new Loss.MeanSquaredError();
        };
        Model model = new Model(inputs, net.layers(), loss, new Scaler.None(),
                options.labelName() == null ? "output" : options.labelName(), classes, 0L);
        model.network().loadStateDict(net.state());
        return model;
    }

    /** A float tensor read from the file. */
    private record Constant(long[] dims, float[] values) {
        int rank() {
            return dims.length;
        }
    }

    /** Walks the nodes in order, following the single chain of values from the input to the output. */
    private static final class GraphReader {
        private final Path file;
        private final ModelProto model;
        private final GraphProto graph;
        private final long opset;
        private final Map<String, Constant> constants = new HashMap<>();
        private final List<Layer> layers = new ArrayList<>();
        private final Map<String, Tensor> state = new LinkedHashMap<>();
        /** The width of the network's input, once a layer has said it. */
        private int inputWidth = -1;
        /** The name of the chain's current value. */
        private String live;
        private int width = -1;
        /** The linear layer read so far but not yet closed by an activation: weight [units, in], bias [units]. */
        private float[] pendingWeight;
        private float[] pendingBias;
        private int pendingUnits;

        GraphReader(Path file, ModelProto model) {
            this.file = file;
            this.model = model;
            if (!model.hasGraph()) fail("has no graph");
            this.graph = model.getGraph();
            long version = -1;
            for (OperatorSetIdProto op : model.getOpsetImportList()) {
                if (op.getDomain().isEmpty() || op.getDomain().equals("ai.onnx")) version = op.getVersion();
            }
            // an IR 3+ model must import the default domain; assume a recent opset when it does not say
            this.opset = version < 0 ? 13 : version;
        }

        Network read() {
            for (TensorProto t : graph.getInitializerList()) constants.put(t.getName(), tensor(t, "initializer"));
            if (graph.getSparseInitializerCount() > 0) fail("sparse initializers are not supported");
            List<ValueInfoProto> inputs = new ArrayList<>();
            for (ValueInfoProto v : graph.getInputList()) if (!constants.containsKey(v.getName())) inputs.add(v);
            if (inputs.size() != 1) {
                fail("has " + inputs.size() + " graph inputs " + inputs.stream().map(ValueInfoProto::getName).toList()
                        + "; a dense network has exactly one");
            }
            ValueInfoProto input = inputs.getFirst();
            checkFloatMatrix(input, "input");
            live = input.getName();
            // Constant nodes read nothing, so they can all go first; the rest are then consecutive
            List<NodeProto> nodes = new ArrayList<>();
            for (NodeProto node : graph.getNodeList()) {
                if (node.getOpType().equals("Constant") && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"))) constant(node);
                else nodes.add(node);
            }
            for (int i = 0; i < nodes.size(); ) {
                int matched = compositeActivation(nodes, i);
                if (matched == 0) {
                    visit(nodes.get(i));
                    matched = 1;
                }
                i += matched;
            }
            closePending(new Activation.Linear());
            if (graph.getOutputCount() != 1) {
                fail("has " + graph.getOutputCount() + " graph outputs; a dense network has exactly one");
            }
            ValueInfoProto output = graph.getOutput(0);
            if (!output.getName().equals(live)) {
                fail("graph output \"" + output.getName() + "\" is not the end of the chain of layers from input \""
                        + input.getName() + "\" (which ends at \"" + live + "\")");
            }
            checkFloatMatrix(output, "output");
            if (layers.stream().noneMatch(l -> l instanceof LayerSpec)) fail("holds no linear layer (MatMul or Gemm) between input and output");
            if (!(layers.getLast() instanceof LayerSpec)) {
                fail("ends with a normalisation layer; a Ganglion model ends with a dense layer");
            }
            int declared = declaredWidth(input);
            if (declared > 0 && declared != inputWidth) {
                fail("input \"" + input.getName() + "\" has " + declared + " features but the first layer takes " + inputWidth);
            }
            String producer = (model.getProducerName() + " " + model.getProducerVersion()).strip();
            return new Network(List.copyOf(layers), state, inputWidth, producer);
        }

        private void visit(NodeProto node) {
            String op = node.getOpType();
            if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
                failNode(node, "operator " + op + " of domain \"" + node.getDomain() + "\" is not supported; supported: " + SUPPORTED);
            }
            switch (op) {
                case "Identity" -> passOn(node);
                case "Dropout" -> {
                    if (node.getInputCount() > 2 && !node.getInput(2).isEmpty()) {
                        Constant training = constants.get(node.getInput(2));
                        if (training == null || training.values().length != 1 || training.values()[0] != 0f) {
                            failNode(node, "Dropout with a training_mode input is not supported");
                        }
                    }
                    passOn(node);
                }
                case "MatMul" -> {
                    requireInputs(node, 2, 2);
                    readLive(node, 0);
                    Constant w = weight(node, 1);
                    int in = (int) w.dims()[0], units = (int) w.dims()[1];
                    checkWidth(node, in);
                    closePending(new Activation.Linear());
                    float[] weight = new float[units * in];
                    for (int i = 0; i < in; i++) for (int j = 0; j < units; j++) weight[j * in + i] = w.values()[i * units + j];
                    open(node, weight, new float[units], units);
                }
                case "Gemm" -> gemm(node);
                case "Add" -> add(node);
                case "BatchNormalization" -> batchNorm(node);
                case "LayerNormalization" -> layerNorm(node);
                case "Relu" -> activation(node, new Activation.Relu());
                case "Sigmoid" -> activation(node, new Activation.Sigmoid());
                case "Tanh" -> activation(node, new Activation.Tanh());
                case "Softplus" -> activation(node, new Activation.Softplus());
                case "Softmax" -> {
                    long axis = intAttribute(node, "axis", opset >= 13 ? -1 : 1);
                    if (axis != -1 && axis != 1) failNode(node, "Softmax over axis " + axis + " is not supported (only the feature axis, 1 or -1)");
                    activation(node, new Activation.Softmax());
                }
                case "LeakyRelu" -> {
                    float alpha = floatAttribute(node, "alpha", 0.01f);
                    if (!(alpha >= 0f && alpha < 1f)) failNode(node, "LeakyRelu alpha " + alpha + " is outside [0, 1)");
                    activation(node, new Activation.LeakyRelu(alpha));
                }
                case "Elu" -> {
                    float alpha = floatAttribute(node, "alpha", 1f);
                    if (!(alpha > 0f)) failNode(node, "Elu alpha " + alpha + " must be > 0");
                    activation(node, new Activation.Elu(alpha));
                }
                default -> failNode(node, "operator " + op + " is not supported; supported: " + SUPPORTED
                        + (model.getProducerName().equals("ganglion")
                        ? " (this file is a Ganglion export with preprocessing: use its model directory)" : ""));
            }
        }

        private void gemm(NodeProto node) {
            requireInputs(node, 2, 3);
            if (intAttribute(node, "transA", 0) != 0) failNode(node, "Gemm with transA = 1 is not supported");
            boolean transB = intAttribute(node, "transB", 0) != 0;
            float alpha = floatAttribute(node, "alpha", 1f), beta = floatAttribute(node, "beta", 1f);
            readLive(node, 0);
            Constant b = weight(node, 1);
            int in = (int) (transB ? b.dims()[1] : b.dims()[0]);
            int units = (int) (transB ? b.dims()[0] : b.dims()[1]);
            checkWidth(node, in);
            closePending(new Activation.Linear());
            float[] weight = new float[units * in];
            for (int j = 0; j < units; j++) {
                for (int i = 0; i < in; i++) {
                    weight[j * in + i] = alpha * (transB ? b.values()[j * in + i] : b.values()[i * units + j]);
                }
            }
            float[] bias = new float[units];
            if (node.getInputCount() == 3 && !node.getInput(2).isEmpty()) {
                float[] c = biasVector(node, constantInput(node, 2), units);
                for (int j = 0; j < units; j++) bias[j] = beta * c[j];
            }
            open(node, weight, bias, units);
        }

        private void add(NodeProto node) {
            requireInputs(node, 2, 2);
            String a = node.getInput(0), b = node.getInput(1);
            int constantAt = constants.containsKey(b) ? 1 : constants.containsKey(a) ? 0 : -1;
            if (constantAt < 0) {
                failNode(node, "Add of two computed values (e.g. a residual connection) is not supported; only adding a bias to a linear layer");
            }
            readLive(node, 1 - constantAt);
            if (pendingWeight == null) failNode(node, "Add does not follow a MatMul or Gemm; only a bias added to a linear layer is supported");
            float[] c = biasVector(node, constants.get(node.getInput(constantAt)), pendingUnits);
            for (int j = 0; j < pendingUnits; j++) pendingBias[j] += c[j];
            live = output(node);
        }

        /**
         * Activations that exporters write as several nodes, starting at {@code nodes[i]} on the
         * pending linear layer's output: SiLU {@code Mul(z, Sigmoid(z))}; exact GELU
         * {@code z·0.5·(1 + Erf(z/√2))} in PyTorch's and Ganglion's node orders, or the opset-20
         * {@code Gelu}; step {@code Cast(GreaterOrEqual(z, 0))}. Returns how many nodes it read
         * (0: none of these).
         */
        private int compositeActivation(List<NodeProto> nodes, int i) {
            NodeProto first = nodes.get(i);
            if (pendingWeight == null || first.getInputCount() == 0 || !first.getInput(0).equals(live)
                    || (!first.getDomain().isEmpty() && !first.getDomain().equals("ai.onnx"))) {
                return 0;
            }
            String z = live;
            switch (first.getOpType()) {
                case "Sigmoid" -> {
                    NodeProto mul = at(nodes, i + 1);
                    if (isOp(mul, "Mul") && reads(mul, z, out(first))) return close(new Activation.Silu(), mul, 2);
                }
                case "GreaterOrEqual" -> {
                    NodeProto cast = at(nodes, i + 1);
                    if (first.getInputCount() == 2 && isConstant(first.getInput(1), 0f) && isOp(cast, "Cast")
                            && cast.getInput(0).equals(out(first)) && intAttribute(cast, "to", -1) == TensorProto.DataType.FLOAT_VALUE) {
                        return close(new Activation.Step(), cast, 2);
                    }
                }
                case "Gelu" -> {
                    for (AttributeProto a : first.getAttributeList()) {
                        if (a.getName().equals("approximate") && !a.getS().toStringUtf8().equals("none")) {
                            failNode(first, "Gelu with approximate=\"" + a.getS().toStringUtf8() + "\" is not supported (only the exact form)");
                        }
                    }
                    return close(new Activation.Gelu(), first, 1);
                }
                case "Div" -> {
                    NodeProto erf = at(nodes, i + 1), add = at(nodes, i + 2), m1 = at(nodes, i + 3), m2 = at(nodes, i + 4);
                    boolean head = first.getInputCount() == 2 && isConstant(first.getInput(1), (float) Math.sqrt(2))
                            && isOp(erf, "Erf") && erf.getInput(0).equals(out(first))
                            && isOp(add, "Add") && readsConstant(add, out(erf), 1f);
                    if (head && isOp(m1, "Mul") && isOp(m2, "Mul")) {
                        // PyTorch: Mul(z, add) then Mul(·, 0.5); Ganglion: Mul(add, 0.5) then Mul(z, ·)
                        boolean pytorch = reads(m1, z, out(add)) && readsConstant(m2, out(m1), 0.5f);
                        boolean ganglion = readsConstant(m1, out(add), 0.5f) && reads(m2, z, out(m1));
                        if (pytorch || ganglion) return close(new Activation.Gelu(), m2, 5);
                    }
                }
                default -> {
                    return 0;
                }
            }
            return 0;
        }

        private int close(Activation activation, NodeProto last, int count) {
            closePending(activation);
            live = output(last);
            return count;
        }

        private static NodeProto at(List<NodeProto> nodes, int i) {
            return i < nodes.size() ? nodes.get(i) : null;
        }

        private static boolean isOp(NodeProto node, String op) {
            return node != null && node.getOpType().equals(op) && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"));
        }

        private static String out(NodeProto node) {
            return node.getOutputCount() > 0 ? node.getOutput(0) : "";
        }

        /** Whether a two-input node reads exactly {@code a} and {@code b}, in either order. */
        private static boolean reads(NodeProto node, String a, String b) {
            return node.getInputCount() == 2 && ((node.getInput(0).equals(a) && node.getInput(1).equals(b))
                    || (node.getInput(0).equals(b) && node.getInput(1).equals(a)));
        }

        /** Whether a two-input node reads {@code value} and a one-element constant equal to {@code c}. */
        private boolean readsConstant(NodeProto node, String value, float c) {
            if (node.getInputCount() != 2) return false;
            return (node.getInput(0).equals(value) && isConstant(node.getInput(1), c))
                    || (node.getInput(1).equals(value) && isConstant(node.getInput(0), c));
        }

        /** Whether {@code name} is a one-element constant within 1e-6 (relative) of {@code c}. */
        private boolean isConstant(String name, float c) {
            Constant k = constants.get(name);
            return k != null && k.values().length == 1 && Math.abs(k.values()[0] - c) <= 1e-6f * Math.max(1f, Math.abs(c));
        }

        private void activation(NodeProto node, Activation activation) {
            requireInputs(node, 1, 1);
            readLive(node, 0);
            if (pendingWeight == null) {
                failNode(node, node.getOpType() + " does not follow a linear layer (MatMul/Gemm, + Add); "
                        + "only one activation per layer is supported");
            }
            closePending(activation);
            live = output(node);
        }

        private void open(NodeProto node, float[] weight, float[] bias, int units) {
            pendingWeight = weight;
            pendingBias = bias;
            pendingUnits = units;
            live = output(node);
        }

        private void closePending(Activation activation) {
            if (pendingWeight == null) return;
            int in = pendingWeight.length / pendingUnits;
            if (inputWidth < 0) inputWidth = in;
            String prefix = "layers." + layers.size() + ".";
            layers.add(new LayerSpec(pendingUnits, activation));
            state.put(prefix + "weight", Tensor.of(pendingWeight, pendingUnits, in));
            state.put(prefix + "bias", Tensor.of(pendingBias, pendingUnits));
            width = pendingUnits;
            pendingWeight = null;
            pendingBias = null;
        }

        /**
         * Inference-mode batch normalisation: folded into the linear layer it directly follows (so
         * that Linear → BatchNorm → ReLU stays one dense layer), else a Ganglion batchnorm layer.
         */
        private void batchNorm(NodeProto node) {
            requireInputs(node, 5, 5);
            readLive(node, 0);
            if (intAttribute(node, "training_mode", 0) != 0) failNode(node, "BatchNormalization in training mode is not supported");
            double eps = floatAttribute(node, "epsilon", 1e-5f);
            float[] gamma = vector(node, 1), beta = vector(node, 2), mean = vector(node, 3), var = vector(node, 4);
            int c = gamma.length;
            if (beta.length != c || mean.length != c || var.length != c) {
                failNode(node, "BatchNormalization scale, bias, mean and variance differ in length");
            }
            checkFeatures(node, c);
            for (float v : var) if (!(v + eps > 0)) failNode(node, "BatchNormalization variance " + v + " + epsilon is not positive");
            if (pendingWeight != null) {
                int in = pendingWeight.length / c;
                for (int j = 0; j < c; j++) {
                    double s = gamma[j] / Math.sqrt(var[j] + eps);
                    for (int i = 0; i < in; i++) pendingWeight[j * in + i] = (float) (pendingWeight[j * in + i] * s);
                    pendingBias[j] = (float) ((pendingBias[j] - mean[j]) * s + beta[j]);
                }
            } else {
                // Ganglion's ε is 1e-5: a different ε moves into the variance, √(var + ε) unchanged
                float[] shifted = new float[c];
                for (int j = 0; j < c; j++) shifted[j] = (float) (var[j] + eps - GANGLION_EPSILON);
                String prefix = "layers." + layers.size() + ".";
                layers.add(new Layer.BatchNorm());
                state.put(prefix + "weight", Tensor.of(gamma, c));
                state.put(prefix + "bias", Tensor.of(beta, c));
                state.put(prefix + "running_mean", Tensor.of(mean, c));
                state.put(prefix + "running_var", Tensor.of(shifted, c));
                width = c;
            }
            live = output(node);
        }

        /** Layer normalisation over the features, with Ganglion's ε = 1e-5. */
        private void layerNorm(NodeProto node) {
            requireInputs(node, 2, 3);
            readLive(node, 0);
            long axis = intAttribute(node, "axis", -1);
            if (axis != -1 && axis != 1) failNode(node, "LayerNormalization over axis " + axis + " is not supported (only the feature axis)");
            float eps = floatAttribute(node, "epsilon", 1e-5f);
            if (eps != GANGLION_EPSILON) {
                failNode(node, "LayerNormalization epsilon " + eps + " is not supported; Ganglion's layer normalisation uses 1e-5");
            }
            float[] gamma = vector(node, 1);
            int c = gamma.length;
            float[] beta = node.getInputCount() == 3 && !node.getInput(2).isEmpty() ? vector(node, 2) : new float[c];
            if (beta.length != c) failNode(node, "LayerNormalization scale and bias differ in length");
            closePending(new Activation.Linear());
            checkFeatures(node, c);
            String prefix = "layers." + layers.size() + ".";
            layers.add(new Layer.LayerNorm());
            state.put(prefix + "weight", Tensor.of(gamma, c));
            state.put(prefix + "bias", Tensor.of(beta, c));
            width = c;
            live = output(node);
        }

        /** Checks that a normalisation over {@code c} features fits the value it normalises. */
        private void checkFeatures(NodeProto node, int c) {
            int expected = pendingWeight != null ? pendingUnits : width;
            if (expected >= 0 && c != expected) {
                failNode(node, node.getOpType() + " normalises " + c + " features but the previous layer has " + expected + " outputs");
            }
            if (expected < 0 && inputWidth < 0) inputWidth = c;
        }

        private float[] vector(NodeProto node, int index) {
            Constant v = constantInput(node, index);
            if (v.rank() != 1 || v.values().length == 0) {
                failNode(node, node.getOpType() + " input \"" + node.getInput(index) + "\" has shape " + shape(v.dims()) + "; a vector is needed");
            }
            return v.values();
        }

        private void passOn(NodeProto node) {
            if (node.getInputCount() < 1) failNode(node, node.getOpType() + " has no input");
            String in = node.getInput(0);
            if (constants.containsKey(in)) {
                constants.put(output(node), constants.get(in));
                return;
            }
            readLive(node, 0);
            live = output(node);
        }

        private void constant(NodeProto node) {
            if (node.getAttributeCount() != 1) failNode(node, "Constant needs exactly one value attribute");
            AttributeProto a = node.getAttribute(0);
            Constant c = switch (a.getName()) {
                case "value" -> tensor(a.getT(), "node \"" + node.getName() + "\"");
                case "value_float" -> new Constant(new long[0], new float[]{a.getF()});
                case "value_floats" -> {
                    float[] v = new float[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) v[i] = a.getFloats(i);
                    yield new Constant(new long[]{v.length}, v);
                }
                default -> {
                    failNode(node, "Constant with attribute \"" + a.getName() + "\" is not supported (only float values)");
                    yield null;
                }
            };
            constants.put(output(node), c);
        }

        private String output(NodeProto node) {
            if (node.getOutputCount() < 1 || node.getOutput(0).isEmpty()) failNode(node, node.getOpType() + " has no output");
            for (int i = 1; i < node.getOutputCount(); i++) {
                if (!node.getOutput(i).isEmpty() && !node.getOpType().equals("Dropout")) {
                    failNode(node, node.getOpType() + " with " + node.getOutputCount() + " outputs is not supported");
                }
            }
            return node.getOutput(0);
        }

        private void readLive(NodeProto node, int index) {
            String name = node.getInput(index);
            if (!name.equals(live)) {
                String what = constants.containsKey(name) ? "a constant where the previous layer's output belongs"
                        : "\"" + name + "\", which is not the previous layer's output \"" + live + "\"";
                failNode(node, node.getOpType() + " reads " + what + "; only a single chain of layers is supported");
            }
        }

        private Constant constantInput(NodeProto node, int index) {
            String name = node.getInput(index);
            Constant c = constants.get(name);
            if (c == null) {
                failNode(node, node.getOpType() + " input " + index + " \"" + name
                        + "\" is computed, not a stored weight (initializer or Constant); only fixed weights are supported");
            }
            return c;
        }

        private Constant weight(NodeProto node, int index) {
            Constant w = constantInput(node, index);
            if (w.rank() != 2 || w.dims()[0] == 0 || w.dims()[1] == 0) {
                failNode(node, node.getOpType() + " weight \"" + node.getInput(index) + "\" has shape " + shape(w.dims())
                        + "; a non-empty 2-D matrix is needed");
            }
            return w;
        }

        private float[] biasVector(NodeProto node, Constant c, int units) {
            long[] d = c.dims();
            boolean scalar = c.values().length == 1 && (d.length == 0 || d.length == 1 || (d.length == 2 && d[0] == 1));
            boolean vector = (d.length == 1 && d[0] == units) || (d.length == 2 && d[0] == 1 && d[1] == units);
            if (!scalar && !vector) {
                failNode(node, node.getOpType() + " bias has shape " + shape(d) + "; expected [" + units + "], [1, " + units + "] or a scalar");
            }
            if (vector) return c.values();
            float[] out = new float[units];
            java.util.Arrays.fill(out, c.values()[0]);
            return out;
        }

        private void checkWidth(NodeProto node, int in) {
            if (width >= 0 && in != width && pendingWeight == null) {
                failNode(node, node.getOpType() + " expects " + in + " inputs, but the previous layer has " + width + " outputs");
            }
            if (pendingWeight != null && in != pendingUnits) {
                failNode(node, node.getOpType() + " expects " + in + " inputs, but the previous layer has " + pendingUnits + " outputs");
            }
        }

        private void requireInputs(NodeProto node, int min, int max) {
            int n = node.getInputCount();
            if (n < min || n > max) {
                failNode(node, node.getOpType() + " has " + n + " inputs; expected " + (min == max ? min : min + " to " + max));
            }
        }

        private void checkFloatMatrix(ValueInfoProto v, String role) {
            if (!v.hasType()) return;
            TypeProto t = v.getType();
            if (!t.hasTensorType()) fail(role + " \"" + v.getName() + "\" is not a tensor");
            int elem = t.getTensorType().getElemType();
            if (elem != TensorProto.DataType.FLOAT_VALUE) {
                fail(role + " \"" + v.getName() + "\" has element type " + typeName(elem) + "; only float32 is supported");
            }
            if (t.getTensorType().hasShape() && t.getTensorType().getShape().getDimCount() != 2) {
                fail(role + " \"" + v.getName() + "\" has " + t.getTensorType().getShape().getDimCount()
                        + " dimensions; a dense network takes and gives [batch, features]");
            }
        }

        private static int declaredWidth(ValueInfoProto v) {
            if (!v.hasType() || !v.getType().getTensorType().hasShape()) return -1;
            TensorShapeProto.Dimension d = v.getType().getTensorType().getShape().getDim(1);
            return d.hasDimValue() ? (int) Math.min(Integer.MAX_VALUE, d.getDimValue()) : -1;
        }

        private Constant tensor(TensorProto t, String where) {
            String name = t.getName().isEmpty() ? where : t.getName();
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
                throw new ModelFormatException(file, name, "keeps its data in an external file, which is not read; "
                        + "save the model with the weights inside the .onnx file");
            }
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                throw new ModelFormatException(file, name, "has element type " + typeName(t.getDataType()) + "; only float32 weights are supported");
            }
            long[] dims = new long[t.getDimsCount()];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = t.getDims(i);
                if (dims[i] < 0 || dims[i] > MAX_ELEMENTS) throw new ModelFormatException(file, name, "has an invalid shape " + shape(t.getDimsList()));
                count *= dims[i];
                if (count > MAX_ELEMENTS) throw new ModelFormatException(file, name, "shape " + shape(t.getDimsList()) + " is too large");
            }
            float[] values = new float[(int) count];
            if (!t.getRawData().isEmpty()) {
                if (t.getRawData().size() != count * Float.BYTES) {
                    throw new ModelFormatException(file, name, "shape " + shape(t.getDimsList()) + " needs " + count * Float.BYTES
                            + " bytes of raw data, found " + t.getRawData().size());
                }
                ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            } else {
                if (t.getFloatDataCount() != count) {
                    throw new ModelFormatException(file, name, "shape " + shape(t.getDimsList()) + " needs " + count
                            + " values, found " + t.getFloatDataCount());
                }
                for (int i = 0; i < values.length; i++) values[i] = t.getFloatData(i);
            }
            for (float v : values) {
                if (!Float.isFinite(v)) throw new ModelFormatException(file, name, "contains NaN or infinite values");
            }
            return new Constant(dims, values);
        }

        private long intAttribute(NodeProto node, String name, long fallback) {
            for (AttributeProto a : node.getAttributeList()) {
                if (a.getName().equals(name)) {
                    if (a.getType() != AttributeProto.AttributeType.INT) failNode(node, "attribute " + name + " must be an integer");
                    return a.getI();
                }
            }
            return fallback;
        }

        private float floatAttribute(NodeProto node, String name, float fallback) {
            for (AttributeProto a : node.getAttributeList()) {
                if (a.getName().equals(name)) {
                    if (a.getType() != AttributeProto.AttributeType.FLOAT) failNode(node, "attribute " + name + " must be a float");
                    return a.getF();
                }
            }
            return fallback;
        }

        private void fail(String problem) {
            throw new ModelFormatException(file, null, problem);
        }

        private void failNode(NodeProto node, String problem) {
            String name = node.getName().isEmpty() ? "(unnamed, output \"" + (node.getOutputCount() > 0 ? node.getOutput(0) : "") + "\")"
                    : "\"" + node.getName() + "\"";
            throw new ModelFormatException(file, null, "node " + name + ": " + problem);
        }
    }

    private static String typeName(int dataType) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(dataType);
        return t == null ? "#" + dataType : t.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shape(long[] dims) {
        return java.util.Arrays.toString(dims);
    }

    private static String shape(List<Long> dims) {
        return dims.toString();
    }
}
