package dev.ganglion.nn;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Modules applied one after another: the output of layer i is the input of layer i+1. Its
 * parameters are named {@code layers.<i>.<name>}, e.g. {@code layers.0.weight}.
 */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(List<? extends Module> layers) {
        if (layers.isEmpty()) throw new IllegalArgumentException("Sequential: needs at least one layer");
        this.layers = List.copyOf(layers);
        ModuleList list = registerModule("layers", new ModuleList());
        for (int i = 0; i < this.layers.size(); i++) list.add(Integer.toString(i), this.layers.get(i));
    }

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) x = atLayer(i, layers.get(i)::forward, x);
        return x;
    }

    /** Runs {@code step} for layer {@code i}, prefixing a shape error with the layer's index. */
    private static <T> T atLayer(int i, Function<Tensor, T> step, Tensor x) {
        try {
            return step.apply(x);
        } catch (ShapeException e) {
            throw new ShapeException("layer " + i + ": " + e.getMessage());
        }
    }

    /**
     * The output of the last layer before its activation (its logits), when the last layer is
     * {@link Dense}: losses that fuse the activation (softmax + cross-entropy, sigmoid + binary
     * cross-entropy) use it to stay numerically stable.
     */
    public Tensor forwardLogits(Tensor input) {
        if (!(layers.getLast() instanceof Dense last)) {
            throw new IllegalStateException("forwardLogits: the last layer is not Dense");
        }
        Tensor x = input;
        for (int i = 0; i < layers.size() - 1; i++) x = atLayer(i, layers.get(i)::forward, x);
        return atLayer(layers.size() - 1, last::preActivation, x);
    }

    /** Z and A of every Dense layer for {@code input}, in order. */
    public List<Dense.Trace> trace(Tensor input) {
        List<Dense.Trace> out = new ArrayList<>();
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof Dense d) {
                Dense.Trace t = atLayer(i, d::trace, x);
                out.add(t);
                x = t.a();
            } else {
                x = atLayer(i, m::forward, x);
                out.add(new Dense.Trace(x, x));
            }
        }
        return out;
    }

    public List<Module> layers() {
        return layers;
    }

    /** A plain container naming its children by position. */
    private static final class ModuleList extends Module {
        void add(String name, Module m) {
            registerModule(name, m);
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("ModuleList has no forward");
        }
    }
}
