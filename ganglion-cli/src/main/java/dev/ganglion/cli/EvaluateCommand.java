package dev.ganglion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.io.ModelStore;
import dev.ganglion.io.TabularData;
import dev.ganglion.model.Model;
import dev.ganglion.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ganglion evaluate}: loss and accuracy of a saved model on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a saved model on a labelled CSV file: loss, accuracy, samples.",
        footer = {"", "Example:", "  ganglion evaluate --model models/font --data font-test.csv --label light_font --json"})
final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv", description = "Labelled data, CSV with a header row.")
    Path data;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The label column (default: the one the model was trained on).")
    String label;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Model model = ModelStore.load(modelDir);
        TabularData.Labeled d = ModelData.labeled(model, data, label != null ? label : model.labelName());
        var scaled = model.scale(d.data());
        Trainer.Evaluation e = Trainer.evaluate(model.network(), model.loss(), scaled);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accuracy", Double.isNaN(e.accuracy()) ? null : e.accuracy());
            m.put("loss", e.loss());
            m.put("samples", e.samples());
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "samples   %d%n", e.samples());
            out.printf(Locale.ROOT, "loss      %.6f (%s)%n", e.loss(), model.loss().name());
            if (!Double.isNaN(e.accuracy())) out.printf(Locale.ROOT, "accuracy  %.4f%n", e.accuracy());
        }
        return 0;
    }
}
