package dev.ganglion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.io.ModelStore;
import dev.ganglion.io.TabularData;
import dev.ganglion.model.Model;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ganglion evaluate}: the metrics of a saved model on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Measure a saved model on labelled data: loss, accuracy and the other metrics.",
        description = {"Measure a saved model on labelled data (CSV, or IDX images with --labels).",
                "Classifiers: accuracy, loss, precision/recall/F1 per class and averaged, confusion matrix, ROC-AUC, log-loss.",
                "Multi-label: exact-match accuracy, per-label accuracy, precision/recall/F1 per label and averaged.",
                "Regression: loss, MSE, RMSE, MAE, R² (averaged over the outputs, and per output when there are several)."},
        footer = {"", "Examples:", "  ganglion evaluate --model models/font --data font-test.csv --label light_font --json",
                "  ganglion evaluate --model models/mnist --data t10k-images-idx3-ubyte.gz \\",
                "      --labels t10k-labels-idx1-ubyte.gz"})
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled data: CSV with a header row, or IDX images.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels file for IDX images.")
    Path labels;

    @Option(names = "--label", paramLabel = "COLUMN[,COLUMN...]",
            description = "The CSV label column(s) (default: the one(s) the model was trained on).")
    String label;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Model model = ModelStore.load(modelDir);
        TabularData.Labeled d = ModelData.labelled(model, data, labels, label);
        Map<String, Object> m = Reports.metrics(model, model.scale(d.data()));
        if (json) spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(m));
        else Reports.print(spec.commandLine().getOut(), model, m);
        return 0;
    }
}
