package dev.ganglion.model;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Scaler;
import dev.ganglion.nn.BatchNorm1d;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Dropout;
import dev.ganglion.nn.Initializer;
import dev.ganglion.nn.LayerNorm;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Module;
import dev.ganglion.nn.Sequential;
import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A trainable network together with everything prediction needs: its architecture, the loss it
 * was built for, how raw input columns become network inputs (categorical columns one-hot
 * encoded, missing values imputed: {@link FeatureEncoding}), the feature scaling fitted on the
 * training data, the input names and the label and class names. This is what a model directory
 * stores. Predictions take raw, unscaled (coded) features, one column per input column.
 *
 * <p>What the outputs mean:
 * <ul>
 *   <li>one label with class names: classification (one sigmoid output for two classes, or one
 *       output per class)</li>
 *   <li>several labels with a pair of values each ({@link #labelClasses()}): multi-label
 *       classification, one independent output per label, 1 = the label's second value</li>
 *   <li>otherwise regression, one output per label</li>
 * </ul>
 */
public final class Model {
    private final FeatureEncoding encoding;
    private final List<String> inputNames;
    private final List<Layer> architecture;
    private final List<LayerSpec> denseLayers;
    private final Loss loss;
    private Scaler scaler;
    private final List<String> labelNames;
    private final List<String> classNames;
    private final List<List<String>> labelClasses;
    private final Sequential network;

    /**
     * Builds a model with freshly initialised weights.
     *
     * @param inputNames one name per input feature (their count is the input width)
     * @param layers     the layers, first to last: fully-connected ({@link LayerSpec}), dropout or
     *                   normalisation ({@link Layer}); the last must be fully-connected
     * @param loss       the training loss; with a sigmoid/softmax output it is computed from logits
     * @param scaler     feature scaling applied before the network
     * @param labelName  the name of the predicted quantity (e.g. the CSV label column)
     * @param classNames names of the classes, index = class number; empty for regression
     * @param seed       seeds the initial weights
     */
    public Model(List<String> inputNames, List<? extends Layer> layers, Loss loss, Scaler scaler,
                 String labelName, List<String> classNames, long seed) {
        this(checkedNumeric(inputNames), layers, loss, scaler, List.of(labelName == null ? "label" : labelName),
                classNames, List.of(), seed);
    }

    /**
     * Builds a model with freshly initialised weights, for any input encoding and any number of
     * labels.
     *
     * @param encoding     the raw input columns and how they become the network's inputs; the
     *                     network's input width is {@link FeatureEncoding#width()}
     * @param layers       the layers, first to last: fully-connected ({@link LayerSpec}), dropout or
     *                     normalisation ({@link Layer}); the last must be fully-connected
     * @param loss         the training loss
     * @param scaler       scaling of the numeric columns (after imputation, before one-hot encoding)
     * @param labelNames   the names of the predicted quantities, one or more
     * @param classNames   for one label: the class names (index = class number); else empty
     * @param labelClasses for multi-label classification: per label its two values, [negative,
     *                     positive]; else empty
     * @param seed         seeds the initial weights
     */
    public Model(FeatureEncoding encoding, List<? extends Layer> layers, Loss loss, Scaler scaler,
                 List<String> labelNames, List<String> classNames, List<List<String>> labelClasses, long seed) {
        if (layers.isEmpty()) throw new IllegalArgumentException("model: needs at least one layer");
        if (!(layers.getLast() instanceof LayerSpec)) {
            throw new IllegalArgumentException("model: the last layer must be fully-connected (units:activation), got " + layers.getLast());
        }
        if (labelNames.isEmpty()) throw new IllegalArgumentException("model: needs at least one label name");
        this.encoding = Objects.requireNonNull(encoding);
        this.inputNames = encoding.columns();
        this.architecture = List.copyOf(layers);
        List<LayerSpec> dense = new ArrayList<>();
        for (Layer l : architecture) if (l instanceof LayerSpec d) dense.add(d);
        this.denseLayers = List.copyOf(dense);
        this.loss = Objects.requireNonNull(loss);
        this.scaler = Objects.requireNonNull(scaler);
        this.labelNames = List.copyOf(labelNames);
        this.classNames = List.copyOf(classNames);
        List<List<String>> pairs = new ArrayList<>();
        for (List<String> p : labelClasses) pairs.add(List.copyOf(p));
        this.labelClasses = List.copyOf(pairs);
        int out = denseLayers.getLast().units();
        if (!this.labelClasses.isEmpty()) {
            if (!this.classNames.isEmpty()) {
                throw new IllegalArgumentException("model: multi-label models have per-label values, not class names");
            }
            if (this.labelClasses.size() != this.labelNames.size()) {
                throw new IllegalArgumentException("model: " + this.labelNames.size() + " labels but "
                        + this.labelClasses.size() + " value pairs");
            }
            for (List<String> p : this.labelClasses) {
                if (p.size() != 2 || p.get(0).equals(p.get(1))) {
                    throw new IllegalArgumentException("model: a multi-label label needs two distinct values, got " + p);
                }
            }
        }
        if (this.labelNames.size() > 1) {
            if (!this.classNames.isEmpty()) {
                throw new IllegalArgumentException("model: " + this.labelNames.size() + " labels " + this.labelNames
                        + " cannot share one set of classes; give each label a pair of values (multi-label)");
            }
            if (out != this.labelNames.size()) {
                throw new IllegalArgumentException("model: " + this.labelNames.size() + " labels " + this.labelNames
                        + " need " + this.labelNames.size() + " outputs, the last layer has " + out);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Module> modules = new ArrayList<>();
        int in = encoding.width();
        for (Layer layer : architecture) {
            switch (layer) {
                case LayerSpec spec -> {
                    modules.add(new Dense(in, spec.units(), spec.activation(), spec.init(), new Initializer.Constant(0f), rng));
                    in = spec.units();
                }
                case Layer.Dropout d -> modules.add(new Dropout(d.rate(), rng.split()));
                case Layer.BatchNorm b -> modules.add(new BatchNorm1d(in));
                case Layer.LayerNorm l -> modules.add(new LayerNorm(in));
            }
        }
        this.network = new Sequential(modules);
    }

    private static FeatureEncoding checkedNumeric(List<String> inputNames) {
        if (inputNames.isEmpty()) throw new IllegalArgumentException("model: needs at least one input");
        return FeatureEncoding.numeric(inputNames);
    }

    /** The raw input columns, in order (what a CSV file or {@code --input} supplies). */
    public List<String> inputNames() {
        return inputNames;
    }

    /** The number of raw input columns. */
    public int inputCount() {
        return inputNames.size();
    }

    /** How the raw input columns become the network's inputs. */
    public FeatureEncoding encoding() {
        return encoding;
    }

    /** One name per network input: the raw names, with each categorical column expanded to {@code column=category}. */
    public List<String> encodedInputNames() {
        return encoding.encodedNames();
    }

    public int outputCount() {
        return denseLayers.getLast().units();
    }

    /** Every layer, first to last, as given to the constructor. */
    public List<Layer> architecture() {
        return architecture;
    }

    /**
     * The fully-connected layers, first to last.
     *
     * @throws IllegalStateException if the model also has dropout or normalisation layers: code that
     *                               knows only dense layers (such as a saver) must not drop them
     *                               silently; use {@link #architecture()}
     */
    public List<LayerSpec> layers() {
        if (denseLayers.size() != architecture.size()) {
            throw new IllegalStateException("model " + describe() + " has layers other than dense ones; "
                    + "layers() lists dense layers only, use architecture()");
        }
        return denseLayers;
    }

    /** Whether every layer is fully-connected (no dropout or normalisation layers). */
    public boolean isDenseOnly() {
        return denseLayers.size() == architecture.size();
    }

    public Loss loss() {
        return loss;
    }

    public Scaler scaler() {
        return scaler;
    }

    /** Replaces the feature scaling (after fitting it on training data). */
    public void setScaler(Scaler scaler) {
        this.scaler = Objects.requireNonNull(scaler);
    }

    /** The name of the predicted quantity; for several labels, their names joined by commas. */
    public String labelName() {
        return String.join(",", labelNames);
    }

    /** The names of the predicted quantities, one per label column. */
    public List<String> labelNames() {
        return labelNames;
    }

    /** The class names of a single-label classifier; empty otherwise. */
    public List<String> classNames() {
        return classNames;
    }

    /** For a multi-label classifier, each label's two values [negative, positive]; empty otherwise. */
    public List<List<String>> labelClasses() {
        return labelClasses;
    }

    /** The network itself, for training and inspection. */
    public Sequential network() {
        return network;
    }

    /**
     * The network's inputs for raw (coded) features {@code [n, inputs]}: missing values imputed,
     * the stored scaling applied to the numeric columns, categorical columns one-hot encoded.
     */
    public Tensor scale(Tensor rawFeatures) {
        checkInputs(rawFeatures);
        if (encoding.isIdentity()) return scaler.transform(rawFeatures);
        return encoding.encode(rawFeatures, scaler::transform);
    }

    /** The same samples with the stored feature scaling applied, ready for training or evaluation. */
    public Dataset scale(Dataset raw) {
        return raw.withFeatures(scale(raw.features()));
    }

    /**
     * Network outputs (after the output activation) for raw features {@code [n, inputs]}, in
     * evaluation mode (no dropout, batch normalisation from its running statistics).
     */
    public Tensor predict(Tensor rawFeatures) {
        return predictScaled(scale(rawFeatures));
    }

    /** Network outputs for features that are already scaled (e.g. a scaled data set), in evaluation mode. */
    public Tensor predictScaled(Tensor scaledFeatures) {
        boolean wasTraining = network.isTraining();
        network.train(false);
        try (var scope = NoGrad.enter()) {
            return network.forward(scaledFeatures);
        } finally {
            network.train(wasTraining);
        }
    }

    /**
     * The predicted class of each row of {@code outputs}: output ≥ 0.5 (≥ 0 for a logit output)
     * for one output, else the arg-max. Empty for regression models.
     */
    public int[] classify(Tensor outputs) {
        if (classNames.isEmpty()) return new int[0];
        int n = outputs.shape().dim(0);
        if (outputs.shape().dim(1) == 1) {
            float threshold = loss instanceof Loss.BinaryCrossEntropyWithLogits ? 0f : 0.5f;
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = outputs.data()[i] >= threshold ? 1 : 0;
            return out;
        }
        return outputs.argmaxRows();
    }

    /** Whether the model predicts one class per sample (single-label classification). */
    public boolean isClassifier() {
        return !classNames.isEmpty();
    }

    /** Whether the model predicts several independent yes/no labels per sample. */
    public boolean isMultiLabel() {
        return !labelClasses.isEmpty();
    }

    /**
     * Multi-label decisions: for {@code outputs [n, labels]}, 1 where an output is ≥ 0.5 (≥ 0 for
     * a logit output), else 0, row-major {@code [n * labels]}. Empty for other models.
     */
    public int[] decide(Tensor outputs) {
        if (!isMultiLabel()) return new int[0];
        float threshold = loss instanceof Loss.BinaryCrossEntropyWithLogits ? 0f : 0.5f;
        float[] o = outputs.data();
        int[] out = new int[o.length];
        for (int i = 0; i < o.length; i++) out[i] = o[i] >= threshold ? 1 : 0;
        return out;
    }

    private void checkInputs(Tensor raw) {
        if (raw.rank() != 2 || raw.shape().dim(1) != inputNames.size()) {
            throw new ShapeException("model expects " + inputNames.size() + " inputs " + inputNames
                    + " per row, got " + raw.shape());
        }
    }

    /**
     * The model at a glance, like Keras' {@code model.summary()}: each layer's output shape,
     * activation and parameter count, the totals, and the stored preprocessing.
     * {@code summary().toString()} is the printed table.
     */
    public ModelSummary summary() {
        List<ModelSummary.Row> rows = new ArrayList<>();
        List<Module> modules = network.layers();
        int width = encoding.width();
        for (int i = 0; i < architecture.size(); i++) {
            Module m = modules.get(i);
            long trainable = 0, buffers = 0;
            for (Tensor p : m.namedParameters().values()) trainable += p.size();
            for (Tensor b : m.namedBuffers().values()) buffers += b.size();
            String type, activation = "";
            switch (architecture.get(i)) {
                case LayerSpec d -> {
                    type = "Dense";
                    activation = d.activation().name();
                    width = d.units();
                }
                case Layer.Dropout d -> type = "Dropout " + d.rate();
                case Layer.BatchNorm b -> type = "BatchNorm1d";
                case Layer.LayerNorm l -> type = "LayerNorm";
            }
            rows.add(new ModelSummary.Row("layers." + i, type, width, activation, trainable, buffers));
        }
        List<List<String>> pre = new ArrayList<>();
        pre.add(List.of("inputs", inputNames.size() + " column" + (inputNames.size() == 1 ? "" : "s") + ": " + abbreviate(inputNames)));
        encoding.categories().forEach((column, categories) -> pre.add(List.of("one-hot",
                column + " -> " + categories.size() + " inputs (" + abbreviate(categories) + ")")));
        if (encoding.imputer().isActive()) pre.add(List.of("imputation", encoding.imputer().strategy().configName()));
        int numeric = encoding.numericColumns().length;
        pre.add(List.of("scaling", switch (scaler) {
            case Scaler.None n -> "none";
            case Scaler.Divide d -> "divide by " + d.divisor();
            case Scaler.MinMax mm -> "minmax, fitted on " + numeric + " numeric column" + (numeric == 1 ? "" : "s");
            case Scaler.Standard st -> "standard (mean, std), fitted on " + numeric + " numeric column" + (numeric == 1 ? "" : "s");
        }));
        String target = labelNames.size() == 1 ? labelNames.getFirst() : String.join(", ", labelNames);
        if (!classNames.isEmpty()) target += " (classes " + abbreviate(classNames) + ")";
        else if (!labelClasses.isEmpty()) target += " (multi-label)";
        else target += " (regression)";
        pre.add(List.of(labelNames.size() == 1 ? "label" : "labels", target));
        return new ModelSummary(encoding.width(), rows, loss.name(), pre);
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 8) return String.join(", ", names);
        return String.join(", ", names.subList(0, 3)) + ", ..., " + String.join(", ", names.subList(names.size() - 2, names.size()));
    }

    /** A one-line description, e.g. {@code 3 -> 3:relu -> dropout(0.2) -> 1:sigmoid (bce)}; the first number is the network's input width. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(encoding.width());
        for (Layer l : architecture) sb.append(" -> ").append(l);
        return sb.append(" (").append(loss.name()).append(')').toString();
    }
}
