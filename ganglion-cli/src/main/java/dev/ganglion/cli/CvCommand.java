package dev.ganglion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.data.Split;
import dev.ganglion.io.TabularData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ganglion cv}: k-fold cross-validation of a network configuration. */
@Command(name = "cv", mixinStandardHelpOptions = true,
        header = "k-fold cross-validation of a network configuration.",
        description = {"k-fold cross-validation: train the same configuration k times, each time testing on",
                "a different fold (stratified for classification), and report each fold and the mean ± std."},
        footer = {"", "Example:",
                "  ganglion cv --data iris.csv --label label --layers 16:relu,3:softmax \\",
                "      --normalize standard --folds 5",
                "  ganglion cv --config examples/font.yaml --folds 3     # the run of a config file, 3 folds"})
final class CvCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--folds", defaultValue = "5", description = "Number of folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        RunConfigOptions.apply(model, spec.commandLine().getParseResult());
        ModelOptions.Prepared p = model.prepare();
        TabularData.Labeled d = p.data();
        List<Split.TrainTest> splits = Split.kFold(d.data(), folds, model.seed, p.stratify());
        var settings = p.settings(model, 0);
        List<Double> losses = new ArrayList<>(), accuracies = new ArrayList<>();
        List<Map<String, Object>> perFold = new ArrayList<>();
        for (int f = 0; f < splits.size(); f++) {
            Split.TrainTest s = splits.get(f);
            TrainingRun.Result r = TrainingRun.run(s.train(), s.test(), d, settings, err, true);
            losses.add(r.test().loss());
            accuracies.add(r.test().accuracy());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fold", f + 1);
            row.put("test_samples", r.test().samples());
            row.put("test_loss", r.test().loss());
            if (!Double.isNaN(r.test().accuracy())) row.put("test_accuracy", r.test().accuracy());
            perFold.add(row);
            if (!json) {
                out.printf(Locale.ROOT, "fold %d/%d  test loss %.4f%s  (%d samples, %.1fs)%n", f + 1, splits.size(), r.test().loss(),
                        Double.isNaN(r.test().accuracy()) ? "" : String.format(Locale.ROOT, "  accuracy %.4f", r.test().accuracy()),
                        r.test().samples(), r.seconds());
                out.flush();
            }
        }
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("folds", perFold);
        res.put("mean_test_loss", mean(losses));
        res.put("std_test_loss", std(losses));
        boolean hasAccuracy = !accuracies.isEmpty() && !Double.isNaN(accuracies.getFirst());
        if (hasAccuracy) {
            res.put("mean_test_accuracy", mean(accuracies));
            res.put("std_test_accuracy", std(accuracies));
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(res));
        } else {
            out.printf(Locale.ROOT, "mean      test loss %.4f ± %.4f%s%n", mean(losses), std(losses),
                    hasAccuracy ? String.format(Locale.ROOT, "  accuracy %.4f ± %.4f", mean(accuracies), std(accuracies)) : "");
        }
        return 0;
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n − 1). */
    private static double std(List<Double> v) {
        double m = mean(v);
        double s = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return v.size() > 1 ? Math.sqrt(s / (v.size() - 1)) : 0;
    }
}
