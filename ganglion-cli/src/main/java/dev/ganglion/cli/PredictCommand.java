package dev.ganglion.cli;

import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ganglion predict}: outputs and predicted classes as CSV on stdout. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        header = "Run a saved model on raw inputs; prints the outputs and classes as CSV.",
        description = {"Run a saved model on raw (unscaled) inputs; prints CSV: the outputs and the predicted class",
                "(multi-label: p_LABEL per label, then each label's decision; regression: one column per label)."},
        footer = {"", "Examples:", "  ganglion predict --model models/font --input 12,200,34",
                "  ganglion predict --model models/font --data colours.csv > predictions.csv"})
final class PredictCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path modelDir;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--data", paramLabel = "FILE", description = "CSV with (at least) the model's input columns, or IDX images.")
        Path data;

        @Option(names = "--input", paramLabel = "X1,X2,...",
                description = "One row of raw input values, comma-separated; categories as text (e.g. red,0.5).")
        String input;
    }

    @Override
    public Integer call() {
        Model model = ModelStore.load(modelDir);
        Tensor x = source.input != null ? ModelData.inputRow(model, source.input)
                : DataSource.features(source.data, model.encoding());
        Tensor y = model.predict(x);
        int[] classes = model.classify(y);
        int[] decisions = model.decide(y);
        PrintWriter out = spec.commandLine().getOut();
        List<String> header = new ArrayList<>();
        int k = y.shape().dim(1);
        List<String> labels = model.labelNames();
        if (model.isMultiLabel()) {
            for (String l : labels) header.add("p_" + l);
            header.addAll(labels);
        } else if (k == 1) {
            header.add(model.isClassifier() ? "output" : model.labelName());
        } else {
            for (int j = 0; j < k; j++) {
                header.add(model.isClassifier() ? "p_" + model.classNames().get(j)
                        : labels.size() == k ? labels.get(j) : "output_" + j);
            }
        }
        if (model.isClassifier()) header.add("class");
        out.println(String.join(",", header));
        float[] v = y.data();
        int n = y.shape().dim(0);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            for (int j = 0; j < k; j++) {
                if (j > 0) sb.append(',');
                sb.append(v[i * k + j]);
            }
            if (model.isClassifier()) sb.append(',').append(model.classNames().get(classes[i]));
            if (model.isMultiLabel()) {
                for (int j = 0; j < k; j++) sb.append(',').append(model.labelClasses().get(j).get(decisions[i * k + j]));
            }
            out.println(sb);
        }
        return 0;
    }
}
