package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit of a network: it owns named parameters, buffers and child modules and maps an input tensor
 * to an output tensor. Names form dotted paths ({@code layers.0.weight}) that are also the keys in
 * saved weight files. Parameters, buffers and children are kept in registration order, so
 * iteration, optimiser state and files are deterministic.
 *
 * <p>Parameters are trained (they require a gradient and optimisers see them); buffers are state
 * that is not trained but belongs to the model, such as batch normalisation's running mean. Both
 * make up the {@link #stateDict()}, which is what a saved model must hold.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes this module's output for {@code input}. */
    public abstract Tensor forward(Tensor input);

    /** Registers a trainable tensor under {@code name}; marks it as requiring a gradient. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /**
     * Registers non-trainable state under {@code name} (PyTorch's {@code register_buffer}): it is
     * saved and loaded with the model but has no gradient, and optimisers never see it. The module
     * updates it in place through {@link Tensor#data()}.
     */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        if (!value.isLeaf()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": buffer \"" + name
                    + "\" must be a leaf tensor, got the result of " + value.op());
        }
        value.requiresGrad(false);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module under {@code name}. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + ": parameter and module names must be non-empty and contain no '.', got \"" + name + "\"");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name \"" + name + "\" is already registered");
        }
    }

    /** Every parameter of this module and its descendants, keyed by dotted path, in order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, c) -> c.collect(prefix + k + ".", out));
    }

    /** Every buffer of this module and its descendants, keyed by dotted path, in order. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, c) -> c.collectBuffers(prefix + k + ".", out));
    }

    /**
     * The parameters, then the buffers, keyed by dotted path: everything a saved model must hold.
     * The tensors are the live ones, not copies.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>(namedParameters());
        out.putAll(namedBuffers());
        return Collections.unmodifiableMap(out);
    }

    /** The parameters in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The direct children, by name, in order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** The total number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) n += p.size();
        return n;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    /** Switches training behaviour (e.g. dropout) on or off for this module and its children. */
    public void train(boolean on) {
        training = on;
        for (Module c : children.values()) c.train(on);
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Copies values into the parameters with the same names. Reports every missing, unexpected or
     * mis-shaped name at once, and then changes nothing.
     */
    public final void loadParameters(Map<String, Tensor> values) {
        load(namedParameters(), values, "weights");
    }

    /** Copies values into the buffers with the same names, checked as {@link #loadParameters}. */
    public final void loadBuffers(Map<String, Tensor> values) {
        load(namedBuffers(), values, "buffers");
    }

    /** Copies values into the parameters and buffers with the same names, as {@link #stateDict()}. */
    public final void loadStateDict(Map<String, Tensor> values) {
        load(stateDict(), values, "state");
    }

    private static void load(Map<String, Tensor> own, Map<String, Tensor> values, String what) {
        List<String> problems = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor v = values.get(e.getKey());
            if (v == null) {
                problems.add("missing \"" + e.getKey() + "\" " + e.getValue().shape());
            } else if (!v.shape().equals(e.getValue().shape())) {
                problems.add("\"" + e.getKey() + "\" has shape " + v.shape() + ", the model expects " + e.getValue().shape());
            }
        }
        for (String k : values.keySet()) {
            if (!own.containsKey(k)) problems.add("unexpected \"" + k + "\"");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(what + " do not fit the model: " + String.join("; ", problems));
        }
        for (var e : own.entrySet()) {
            float[] src = values.get(e.getKey()).data();
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
    }
}
