package dev.ganglion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.io.HistoryCsv;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.model.ModelSummary;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ganglion summary}: a saved model's layers, shapes and parameter counts, like Keras' model.summary(). */
@Command(name = "summary", mixinStandardHelpOptions = true,
        header = "Show a saved model's layers, output shapes, parameter counts and preprocessing.",
        description = {"Show a saved model's layers with their output shapes, activations and parameter counts, the",
                "total and trainable parameters, the stored preprocessing, and the last epoch of history.csv."},
        footer = {"", "Example:", "  ganglion summary --model models/font", "  ganglion summary --model models/mnist --json"})
final class SummaryCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path modelDir;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Model model = ModelStore.load(modelDir);
        ModelSummary s = model.summary();
        History history = Files.exists(modelDir.resolve(HistoryCsv.FILE)) ? ModelStore.loadHistory(modelDir) : null;
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(new ObjectMapper().writeValueAsString(json(s, history)));
            return 0;
        }
        o.println("Model: " + modelDir + "  (" + model.describe() + ")");
        o.print(s);
        if (history != null && !history.epochs().isEmpty()) {
            EpochStats e = history.last();
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "History: %d epochs (%s); last: loss %.4f",
                    history.epochs().size(), HistoryCsv.FILE, e.trainLoss()));
            if (!Double.isNaN(e.trainAccuracy())) sb.append(String.format(Locale.ROOT, ", accuracy %.4f", e.trainAccuracy()));
            String v = validationName(modelDir.resolve(HistoryCsv.FILE));
            if (!Double.isNaN(e.validationLoss())) sb.append(String.format(Locale.ROOT, ", %s loss %.4f", v, e.validationLoss()));
            if (!Double.isNaN(e.validationAccuracy())) sb.append(String.format(Locale.ROOT, ", %s accuracy %.4f", v, e.validationAccuracy()));
            o.println(sb);
        }
        return 0;
    }

    /** "val" or "test": what the history's per-epoch validation columns measured (from its header). */
    private static String validationName(Path historyCsv) throws java.io.IOException {
        try (var lines = Files.lines(historyCsv)) {
            return lines.findFirst().orElse("").contains("test_loss") ? "test" : "val";
        }
    }

    private static Map<String, Object> json(ModelSummary s, History history) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input_width", s.inputWidth());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (ModelSummary.Row r : s.rows()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", r.name());
            l.put("type", r.type());
            l.put("output_shape", List.of(-1, r.units()));
            l.put("activation", r.activation().isEmpty() ? null : r.activation());
            l.put("params", r.parameters());
            l.put("trainable_params", r.trainable());
            l.put("non_trainable_params", r.nonTrainable());
            layers.add(l);
        }
        m.put("layers", layers);
        m.put("total_params", s.totalParameters());
        m.put("trainable_params", s.trainableParameters());
        m.put("non_trainable_params", s.nonTrainableParameters());
        m.put("loss", s.loss());
        Map<String, String> pre = new LinkedHashMap<>();
        for (List<String> p : s.preprocessing()) pre.merge(p.get(0), p.get(1), (a, b) -> a + "; " + b);
        m.put("preprocessing", pre);
        m.put("epochs_trained", history == null ? null : history.epochs().size());
        return m;
    }
}
