package dev.ganglion.model;

import java.util.List;
import java.util.Locale;

/**
 * A model at a glance, like Keras' {@code model.summary()}: one row per layer with its output
 * shape, activation and parameter count, the totals, and the stored preprocessing. Parameters are
 * the trained weights (all trainable); non-trainable ones are buffers such as batch norm's running
 * statistics, which are saved with the model but not learned by gradient descent.
 * {@link #toString()} is the printed table.
 *
 * @param inputWidth    the network's input width (after one-hot encoding)
 * @param rows          the layers, first to last
 * @param loss          the loss's name, e.g. {@code bce}
 * @param preprocessing short lines, {name, value}: inputs, categorical columns, imputation, scaling, labels
 */
public record ModelSummary(int inputWidth, List<Row> rows, String loss, List<List<String>> preprocessing) {

    /**
     * One layer.
     *
     * @param name         the layer's parameter prefix, e.g. {@code layers.0}
     * @param type         Dense, Dropout, BatchNorm1d or LayerNorm (with the rate for dropout)
     * @param units        the width of its output: the output shape for a batch of n rows is {@code [n, units]}
     * @param activation   the activation, or "" for layers without one
     * @param trainable    trained parameters (weights and biases, scale and shift)
     * @param nonTrainable saved state that is not trained (running statistics)
     */
    public record Row(String name, String type, int units, String activation, long trainable, long nonTrainable) {
        /** The output shape as text, {@code [n, units]}. */
        public String outputShape() {
            return "[n, " + units + "]";
        }

        /** All parameters of the layer. */
        public long parameters() {
            return trainable + nonTrainable;
        }
    }

    public ModelSummary {
        rows = List.copyOf(rows);
        preprocessing = preprocessing.stream().map(List::copyOf).toList();
    }

    /** Trainable parameters of all layers. */
    public long trainableParameters() {
        return rows.stream().mapToLong(Row::trainable).sum();
    }

    /** Non-trainable parameters (buffers) of all layers. */
    public long nonTrainableParameters() {
        return rows.stream().mapToLong(Row::nonTrainable).sum();
    }

    /** All parameters. */
    public long totalParameters() {
        return trainableParameters() + nonTrainableParameters();
    }

    /** The table. */
    @Override
    public String toString() {
        String[] head = {"Layer (type)", "Output shape", "Activation", "Param #"};
        int[] w = {head[0].length(), head[1].length(), head[2].length(), head[3].length()};
        List<String[]> cells = new java.util.ArrayList<>();
        cells.add(new String[]{"input", "[n, " + inputWidth + "]", "", "0"});
        for (Row r : rows) {
            cells.add(new String[]{r.name() + " (" + r.type() + ")", r.outputShape(), r.activation(), String.format(Locale.ROOT, "%,d", r.parameters())});
        }
        for (String[] c : cells) for (int j = 0; j < 4; j++) w[j] = Math.max(w[j], c[j].length());
        String format = "%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s%n";
        int width = w[0] + w[1] + w[2] + w[3] + 6;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, format, (Object[]) head));
        sb.append("-".repeat(width)).append('\n');
        for (String[] c : cells) sb.append(String.format(Locale.ROOT, format, (Object[]) c));
        sb.append("=".repeat(width)).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params:         %,d%n", totalParameters()));
        sb.append(String.format(Locale.ROOT, "Trainable params:     %,d%n", trainableParameters()));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", nonTrainableParameters()));
        sb.append(String.format(Locale.ROOT, "Loss: %s%n", loss));
        if (!preprocessing.isEmpty()) {
            sb.append("Preprocessing:\n");
            int k = preprocessing.stream().mapToInt(p -> p.getFirst().length()).max().orElse(0);
            for (List<String> p : preprocessing) sb.append(String.format(Locale.ROOT, "  %-" + k + "s  %s%n", p.get(0), p.get(1)));
        }
        return sb.toString();
    }
}
