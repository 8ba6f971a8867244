package dev.ganglion.cli;

import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.io.CsvTable;
import dev.ganglion.io.TabularData;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;

import java.util.List;


/** Reading data the way a saved model expects it: its input columns and its class names. */
final class ModelData {
    private ModelData() {
    }

    /** How {@code model}'s targets are encoded: class index, one-hot rows, several 0/1 labels, or values. */
    static TabularData.Target target(Model model) {
        return model.isMultiLabel() ? TabularData.Target.MULTI_LABEL
                : !model.isClassifier() ? TabularData.Target.VALUE
                : model.outputCount() == 1 || model.loss() instanceof Loss.CrossEntropy ? TabularData.Target.CLASS_INDEX
                : TabularData.Target.ONE_HOT;
    }

    /** Reads labelled data for {@code model}; {@code label} overrides the model's label column(s) when not null. */
    static TabularData.Labeled labelled(Model model, java.nio.file.Path data, java.nio.file.Path idxLabels, String label) {
        List<String> columns = label != null ? DataSource.labelColumns(label) : model.labelNames();
        if (idxLabels == null && columns.size() != model.labelNames().size()) {
            throw new UserError("--label names " + columns.size() + " column(s) " + columns + ", but the model predicts "
                    + model.labelNames().size() + " " + model.labelNames());
        }
        return DataSource.load(data, idxLabels, columns, TabularData.Features.of(model.encoding()), target(model),
                model.isClassifier() ? model.classNames() : null, model.isMultiLabel() ? model.labelClasses() : null);
    }

    /**
     * Parses {@code --input 12,200,34} (or {@code red,0.5} with a categorical column) into one row
     * of coded features: numbers as they are, categories as their index, a missing value (an empty
     * value, NA or NaN) as NaN when the model imputes missing values.
     */
    static Tensor inputRow(Model model, String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != model.inputCount()) {
            throw new UserError("--input has " + parts.length + " values, the model expects " + model.inputCount()
                    + " " + model.inputNames());
        }
        FeatureEncoding enc = model.encoding();
        float[] x = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String value = parts[i].strip();
            String where = "--input value " + (i + 1) + " (" + model.inputNames().get(i) + ")";
            if (enc.isCategorical(i) ? value.isEmpty() : CsvTable.isMissing(value)) {
                if (!enc.imputer().isActive()) {
                    throw new UserError(where + " is missing" + (value.isEmpty() ? "" : " (\"" + value + "\")")
                            + "; the model was trained without --impute, so it cannot fill in missing values");
                }
                x[i] = Float.NaN;
                continue;
            }
            if (enc.isCategorical(i)) {
                try {
                    x[i] = enc.code(i, value);
                } catch (IllegalArgumentException e) {
                    throw new UserError(where + ": " + e.getMessage());
                }
                continue;
            }
            try {
                x[i] = Float.parseFloat(value);
            } catch (NumberFormatException e) {
                throw new UserError(where + ": \"" + value + "\" is not a number");
            }
            if (!Float.isFinite(x[i])) {
                throw new UserError(where + " is not finite");
            }
        }
        return Tensor.of(x, 1, x.length);
    }
}
