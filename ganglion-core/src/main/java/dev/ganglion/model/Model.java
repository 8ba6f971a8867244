package dev.ganglion.model;

import dev.ganglion.data.Dataset;
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
 * was built for, the feature scaling fitted on the training data, the input names and the class
 * names. This is what a model directory stores. Predictions take raw, unscaled features.
 */
public final class Model {
    private final List<String> inputNames;
    private final List<Layer> architecture;
    private final List<LayerSpec> denseLayers;
    private final Loss loss;
    private Scaler scaler;
    private final String labelName;
    private final List<String> classNames;
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
        if (inputNames.isEmpty()) throw new IllegalArgumentException("model: needs at least one input");
        if (layers.isEmpty()) throw new IllegalArgumentException("model: needs at least one layer");
        if (!(layers.getLast() instanceof LayerSpec)) {
            throw new IllegalArgumentException("model: the last layer must be fully-connected (units:activation), got " + layers.getLast());
        }
        this.inputNames = List.copyOf(inputNames);
        this.architecture = List.copyOf(layers);
        List<LayerSpec> dense = new ArrayList<>();
        for (Layer l : architecture) if (l instanceof LayerSpec d) dense.add(d);
        this.denseLayers = List.copyOf(dense);
        this.loss = Objects.requireNonNull(loss);
        this.scaler = Objects.requireNonNull(scaler);
        this.labelName = labelName == null ? "label" : labelName;
        this.classNames = List.copyOf(classNames);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Module> modules = new ArrayList<>();
        int in = inputNames.size();
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

    public List<String> inputNames() {
        return inputNames;
    }

    public int inputCount() {
        return inputNames.size();
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

    public String labelName() {
        return labelName;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The network itself, for training and inspection. */
    public Sequential network() {
        return network;
    }

    /** Applies the stored feature scaling to raw features {@code [n, inputs]}. */
    public Tensor scale(Tensor rawFeatures) {
        checkInputs(rawFeatures);
        return scaler.transform(rawFeatures);
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

    /** Whether the model predicts classes (rather than values). */
    public boolean isClassifier() {
        return !classNames.isEmpty();
    }

    private void checkInputs(Tensor raw) {
        if (raw.rank() != 2 || raw.shape().dim(1) != inputNames.size()) {
            throw new ShapeException("model expects " + inputNames.size() + " inputs " + inputNames
                    + " per row, got " + raw.shape());
        }
    }

    /** A one-line description, e.g. {@code 3 -> 3:relu -> dropout(0.2) -> 1:sigmoid (bce)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputNames.size());
        for (Layer l : architecture) sb.append(" -> ").append(l);
        return sb.append(" (").append(loss.name()).append(')').toString();
    }
}
