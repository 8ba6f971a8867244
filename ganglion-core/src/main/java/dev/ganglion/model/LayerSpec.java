package dev.ganglion.model;

import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Initializer;

import java.util.ArrayList;
import java.util.List;

/**
 * One fully-connected layer of a model's architecture: its width, activation and weight
 * initializer. Written as {@code units:activation}, e.g. {@code 3:relu}. The other kinds of
 * {@link Layer} (dropout, normalisation) sit between these.
 */
public record LayerSpec(int units, Activation activation, Initializer init) implements Layer {
    public LayerSpec {
        if (units <= 0) throw new IllegalArgumentException("layer: units must be > 0, got " + units);
    }

    /** A layer with the default initializer for its activation. */
    public LayerSpec(int units, Activation activation) {
        this(units, activation, Initializer.defaultFor(activation));
    }

    /**
     * Parses a comma-separated list of dense layers such as {@code 3:relu,1:sigmoid}. A layer
     * without an activation ({@code 10}) is linear. For lists that may also hold dropout and
     * normalisation layers, use {@link Layer#parseList}.
     */
    public static List<LayerSpec> parseList(String text, Initializer init) {
        List<LayerSpec> out = new ArrayList<>();
        for (Layer l : Layer.parseList(text, init)) {
            if (!(l instanceof LayerSpec dense)) {
                throw new IllegalArgumentException("layer \"" + l + "\": only dense layers (units:activation) are allowed here");
            }
            out.add(dense);
        }
        return out;
    }

    @Override
    public String toString() {
        return units + ":" + activation.name();
    }
}
