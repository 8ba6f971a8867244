package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.metrics.Classification;
import dev.ganglion.metrics.ConfusionMatrix;
import dev.ganglion.model.Layer;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.plot.Picture;
import dev.ganglion.plot.Plots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pictures of a model on raw (unscaled) labelled data, shared by {@code plot} and {@code train --report}. */
final class ModelPictures {
    private ModelPictures() {
    }

    /** The decision regions with the data points coloured by their true class. */
    static Picture boundary(Model model, Dataset raw) {
        return Plots.decisionBoundary(model, raw.features(), Classification.labels(raw.targets()));
    }

    /** The confusion matrix of the model's predictions on the data. */
    static Picture confusion(Model model, Dataset raw) {
        checkClassifier(model);
        int[] truth = Classification.labels(raw.targets());
        int[] predicted = model.classify(model.predict(raw.features()));
        ConfusionMatrix m = Classification.confusionMatrix(truth, predicted, model.classNames().size());
        return Plots.confusionMatrix(m, model.classNames());
    }

    /** Fails with a one-line message unless the model is a single-label classifier. */
    static void checkClassifier(Model model) {
        if (!model.isClassifier()) {
            throw new UserError("a confusion matrix needs a single-label classifier; this model "
                    + (model.isMultiLabel() ? "predicts several labels " + model.labelNames() : "is a regression model"));
        }
    }

    /** The element-wise activation functions the model uses, each once, in layer order. */
    static List<Activation> activationsOf(Model model) {
        Map<String, Activation> seen = new LinkedHashMap<>();
        for (Layer l : model.architecture()) {
            if (l instanceof LayerSpec s && !(s.activation() instanceof Activation.Softmax)) {
                seen.putIfAbsent(s.activation().name(), s.activation());
            }
        }
        return new ArrayList<>(seen.values());
    }
}
