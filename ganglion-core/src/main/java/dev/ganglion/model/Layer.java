package dev.ganglion.model;

import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Initializer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One entry of a model's architecture: a fully-connected layer ({@link LayerSpec},
 * {@code units:activation}) or a layer without units that keeps the width of its input. Written
 * as a comma-separated list, e.g. {@code 128:relu,batchnorm,dropout(0.2),10:softmax}.
 * <ul>
 *   <li>{@code dropout(RATE)} (or {@code dropout}, rate 0.5): {@link dev.ganglion.nn.Dropout}, active
 *       in training only</li>
 *   <li>{@code batchnorm}: {@link dev.ganglion.nn.BatchNorm1d} over the previous layer's outputs (after
 *       its activation)</li>
 *   <li>{@code layernorm}: {@link dev.ganglion.nn.LayerNorm} over the previous layer's outputs</li>
 * </ul>
 */
public sealed interface Layer permits LayerSpec, Layer.Dropout, Layer.BatchNorm, Layer.LayerNorm {

    /** Inverted dropout with drop probability {@code rate} in [0, 1). */
    record Dropout(float rate) implements Layer {
        public Dropout {
            if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("dropout: rate must be in [0, 1), got " + rate);
        }

        @Override
        public String toString() {
            return "dropout(" + rate + ")";
        }
    }

    /** Batch normalisation with PyTorch's defaults (ε 1e-5, momentum 0.1). */
    record BatchNorm() implements Layer {
        @Override
        public String toString() {
            return "batchnorm";
        }
    }

    /** Layer normalisation with PyTorch's defaults (ε 1e-5, learnable scale and shift). */
    record LayerNorm() implements Layer {
        @Override
        public String toString() {
            return "layernorm";
        }
    }

    /**
     * Parses a comma-separated list such as {@code 64:relu,dropout(0.2),1:sigmoid}. A dense layer
     * without an activation ({@code 10}) is linear; {@code init} (nullable: the default for each
     * activation) initialises the dense layers.
     */
    static List<Layer> parseList(String text, Initializer init) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("--layers is empty; e.g. 3:relu,1:sigmoid");
        List<Layer> out = new ArrayList<>();
        for (String part : splitTopLevel(text)) out.add(parse(part.trim(), init));
        return out;
    }

    /** Parses one entry of {@link #parseList}. */
    static Layer parse(String p, Initializer init) {
        String lower = p.toLowerCase(Locale.ROOT);
        String name = lower.contains("(") ? lower.substring(0, lower.indexOf('(')).trim() : lower;
        switch (name.replace('-', '_')) {
            case "dropout" -> {
                if (!lower.contains("(")) return new Dropout(0.5f);
                if (!lower.endsWith(")")) throw new IllegalArgumentException("layer \"" + p + "\": missing ')'");
                String arg = lower.substring(lower.indexOf('(') + 1, lower.length() - 1).trim();
                try {
                    return new Dropout(Float.parseFloat(arg));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("layer \"" + p + "\": \"" + arg + "\" is not a dropout rate; e.g. dropout(0.2)");
                }
            }
            case "batchnorm", "batch_norm", "batchnorm1d" -> {
                return noArguments(p, new BatchNorm());
            }
            case "layernorm", "layer_norm" -> {
                return noArguments(p, new LayerNorm());
            }
            default -> {
                int colon = p.indexOf(':');
                String unitsText = colon < 0 ? p : p.substring(0, colon).trim();
                int units;
                try {
                    units = Integer.parseInt(unitsText);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("layer \"" + p + "\": \"" + unitsText
                            + "\" is not a number of units; write units:activation (e.g. 3:relu), dropout(RATE), batchnorm or layernorm");
                }
                Activation a = colon < 0 ? new Activation.Linear() : Activation.parse(p.substring(colon + 1));
                return new LayerSpec(units, a, init == null ? Initializer.defaultFor(a) : init);
            }
        }
    }

    private static Layer noArguments(String text, Layer layer) {
        if (text.contains("(")) throw new IllegalArgumentException("layer \"" + text + "\" takes no parameter");
        return layer;
    }

    /** Splits at commas outside parentheses. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
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
        return parts;
    }
}
