package dev.ganglion.plot;

import dev.ganglion.metrics.ConfusionMatrix;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.History;

import java.util.List;

/**
 * The pictures Ganglion draws, each returned as a {@link Picture} that writes PNG or SVG:
 * <pre>{@code
 * Plots.lossCurves(history).writePng(Path.of("loss.png"));
 * Plots.decisionBoundary(model, x, y).writeSvg(Path.of("boundary.svg"));
 * }</pre>
 * Charts are drawn with JFreeChart; the network diagram with Java2D shapes onto the same targets.
 */
public final class Plots {
    private Plots() {
    }

    /** The activation functions drawn by {@link #activations()}: every element-wise one Ganglion has. */
    public static final List<Activation> ALL_ACTIVATIONS = List.of(
            new Activation.Step(), new Activation.Sigmoid(), new Activation.Tanh(), new Activation.Relu(),
            new Activation.LeakyRelu(0.1f), new Activation.Elu(1f), new Activation.Gelu(), new Activation.Silu(),
            new Activation.Softplus(), new Activation.Linear());

    /**
     * Loss per epoch, training against validation, and below it accuracy where the history has
     * it (classification). Validation curves are drawn where the epochs measured a validation set.
     */
    public static Picture lossCurves(History history) {
        return lossCurves(history, "validation");
    }

    /** As {@link #lossCurves(History)}, naming the per-epoch evaluation set (e.g. "test"). */
    public static Picture lossCurves(History history, String validationName) {
        return LossCurves.of(history, validationName);
    }

    /**
     * The decision regions of a classifier with exactly two numeric inputs, with data points on top.
     * Axes are in raw (unscaled) feature units; the model's stored scaling is applied as in
     * {@link Model#predict}.
     *
     * @param rawFeatures the data points {@code [n, 2]}, raw; they also set the axes' ranges
     * @param labels      their true classes (colours the points), or null to draw them all alike
     * @throws IllegalArgumentException if the model does not have exactly two numeric inputs (the
     *                                  message names its inputs) or is not a single-label classifier
     */
    public static Picture decisionBoundary(Model model, Tensor rawFeatures, int[] labels) {
        return DecisionBoundary.build(model, rawFeatures, labels).picture();
    }

    /** Whether {@link #decisionBoundary} can draw this model (two numeric inputs, one label, classes). */
    public static boolean canDrawDecisionBoundary(Model model) {
        try {
            DecisionBoundary.check(model);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Checks that {@link #decisionBoundary} can draw this model.
     *
     * @throws IllegalArgumentException naming the model's inputs (and their number) or its kind if not
     */
    public static void checkDecisionBoundary(Model model) {
        DecisionBoundary.check(model);
    }

    /** Every element-wise activation function with its derivative, one small panel each. */
    public static Picture activations() {
        return activations(ALL_ACTIVATIONS);
    }

    /**
     * The given activation functions, f(z) and f'(z) on z in [-4, 4], one small panel each. The
     * derivatives come from automatic differentiation, as training computes them.
     *
     * @throws IllegalArgumentException for softmax (not element-wise) or an empty list
     */
    public static Picture activations(List<Activation> activations) {
        return ActivationCurves.of(activations);
    }

    /**
     * A confusion matrix as a heat map with the counts in the cells.
     *
     * @param classNames names by class index (as in {@link Model#classNames()}); indices without a
     *                   name are shown as numbers
     */
    public static Picture confusionMatrix(ConfusionMatrix matrix, List<String> classNames) {
        return ConfusionHeatMap.of(matrix, classNames);
    }

    /** The network as neurons and weighted connections, layer by layer. */
    public static Picture network(Model model) {
        return NetworkDiagram.of(model);
    }
}
