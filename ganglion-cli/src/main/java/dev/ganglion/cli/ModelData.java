package dev.ganglion.cli;

import dev.ganglion.io.TabularData;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;


/** Reading data the way a saved model expects it: its input columns and its class names. */
final class ModelData {
    private ModelData() {
    }

    /** How {@code model}'s targets are encoded: class index, one-hot rows, or values. */
    static TabularData.Target target(Model model) {
        return !model.isClassifier() ? TabularData.Target.VALUE
                : model.outputCount() == 1 || model.loss() instanceof Loss.CrossEntropy ? TabularData.Target.CLASS_INDEX
                : TabularData.Target.ONE_HOT;
    }

    /** Parses {@code --input 12,200,34} into a one-row tensor of the model's width. */
    static Tensor inputRow(Model model, String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != model.inputCount()) {
            throw new UserError("--input has " + parts.length + " values, the model expects " + model.inputCount()
                    + " " + model.inputNames());
        }
        float[] x = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                x[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError("--input value " + (i + 1) + " (" + model.inputNames().get(i) + "): \""
                        + parts[i].trim() + "\" is not a number");
            }
            if (!Float.isFinite(x[i])) {
                throw new UserError("--input value " + (i + 1) + " (" + model.inputNames().get(i) + ") is not finite");
            }
        }
        return Tensor.of(x, 1, x.length);
    }
}
