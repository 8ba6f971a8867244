package dev.ganglion.model;

import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Initializer;

import java.util.ArrayList;
import java.util.List;

/**
 * One fully-connected layer of a model's architecture: its width, activation and weight
 * initializer. Written as {@code units:activation}, e.g. {@code 3:relu}.
 */
public record LayerSpec(int units, Activation activation, Initializer init) {
    public LayerSpec {
        if (units <= 0) throw new IllegalArgumentException("layer: units must be > 0, got " + units);
    }

    /** A layer with the default initializer for its activation. */
    public LayerSpec(int units, Activation activation) {
        this(units, activation, Initializer.defaultFor(activation));
    }

    /**
     * Parses a comma-separated list such as {@code 3:relu,1:sigmoid}. A layer without an
     * activation ({@code 10}) is linear.
     */
    public static List<LayerSpec> parseList(String text, Initializer init) {
        List<LayerSpec> out = new ArrayList<>();
        if (text == null || text.isBlank()) throw new IllegalArgumentException("--layers is empty; e.g. 3:relu,1:sigmoid");
        int depth = 0, start = 0;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        for (String part : parts) {
            String p = part.trim();
            int colon = p.indexOf(':');
            String unitsText = colon < 0 ? p : p.substring(0, colon).trim();
            int units;
            try {
                units = Integer.parseInt(unitsText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("layer \"" + p + "\": \"" + unitsText
                        + "\" is not a number of units; write units:activation, e.g. 3:relu");
            }
            Activation a = colon < 0 ? new Activation.Linear() : Activation.parse(p.substring(colon + 1));
            out.add(new LayerSpec(units, a, init == null ? Initializer.defaultFor(a) : init));
        }
        return out;
    }

    @Override
    public String toString() {
        return units + ":" + activation.name();
    }
}
