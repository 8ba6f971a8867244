package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.Scaler;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.plot.HtmlReport;
import dev.ganglion.plot.Plots;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ganglion train --report DIR}: every picture that applies to the run (history, network,
 * decision boundary for two-input classifiers, confusion matrix for classifiers, the model's
 * activation functions) as PNG and SVG, and an {@code index.html} with the settings and results.
 */
final class TrainReport {
    private TrainReport() {
    }

    /** At most this many rows go into the decision-boundary picture (an even spread of the data). */
    private static final int BOUNDARY_ROWS = 3000;

    /**
     * Writes the report of a finished run.
     *
     * @param settings  what the user chose (names the per-epoch evaluation set)
     * @param all       every labelled row the run read (raw), for the decision-boundary points
     * @param data      the training data file(s), as given
     * @param results   the results printed with --json
     * @return the report's index.html
     */
    static Path write(Path dir, TrainingRun.Result r, TrainingRun.Settings settings, Dataset all, Object data,
                      Map<String, Object> results, Path modelDir, PrintWriter err) {
        Model model = r.model();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("network", model.describe());
        List<String> inputs = model.inputNames();
        run.put("inputs", inputs.size() <= 12 ? String.join(", ", inputs)
                : String.join(", ", inputs.subList(0, 10)) + ", ... (" + inputs.size() + " in all)");
        run.put("label", model.labelName());
        if (model.isClassifier()) run.put("classes", String.join(", ", model.classNames()));
        run.put("loss function", model.loss().name());
        run.put("scaling", describe(model.scaler()));
        run.put("data", String.valueOf(data));
        run.put("optimizer", r.optimizerDescription());
        run.put("epochs", r.history().epochs().size() + (r.history().epochs().size() < settings.epochs()
                ? " of " + settings.epochs() + " (stopped early)" : ""));
        run.put("batch size", settings.batchSize());
        run.put("seed", settings.seed());
        run.put("test split", settings.testSplit());
        if (settings.regimen().valSplit() > 0) run.put("validation split", settings.regimen().valSplit());
        run.put("model directory", modelDir.toString());
        run.put("written", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());

        Map<String, Object> res = new LinkedHashMap<>();
        results.forEach((k, v) -> {
            if (v != null && !k.equals("model_dir") && !k.equals("test_metrics")) res.put(k.replace('_', ' '), v);
        });
        if (r.untrainedTest() != null && !Double.isNaN(r.untrainedTest().accuracy())) {
            res.put("test accuracy before training", r.untrainedTest().accuracy());
        }

        String evalSet = r.testRaw() != null ? "test" : "training";
        HtmlReport report = new HtmlReport("Training report: " + model.describe())
                .table("Run", run)
                .table("Results", res);
        if (!r.history().epochs().isEmpty()) {
            report.figure("history", "Loss" + (Double.isNaN(r.history().last().trainAccuracy()) ? "" : " and accuracy")
                    + " per epoch, training against the set measured after each epoch", Plots.lossCurves(r.history(), settings.regimen().valSplit() > 0 ? "validation" : "test"));
        }
        report.figure("network", "The trained network: blue positive weights, orange negative, thicker = larger |weight|",
                Plots.network(model));
        if (Plots.canDrawDecisionBoundary(model)) {
            report.figure("boundary", "Decision regions in raw input units, with the data points coloured by true class",
                    ModelPictures.boundary(model, spread(all)));
        }
        if (model.isClassifier()) {
            Dataset eval = r.testRaw() != null ? r.testRaw() : all;
            report.figure("confusion", "Confusion matrix on the " + evalSet + " set (" + eval.size() + " samples)",
                    ModelPictures.confusion(model, eval));
        }
        List<Activation> activations = ModelPictures.activationsOf(model);
        if (!activations.isEmpty()) {
            report.figure("activations", "The activation functions this network uses, with their derivatives",
                    Plots.activations(activations));
        }
        Path index = report.write(dir);
        err.println("report written to " + index);
        return index;
    }

    private static String describe(Scaler s) {
        return switch (s) {
            case Scaler.None n -> "none";
            case Scaler.Divide d -> "divide by " + d.divisor();
            case Scaler.MinMax m -> "min-max to [0, 1]: min " + numbers(m.min()) + ", max " + numbers(m.max());
            case Scaler.Standard z -> "standardise: mean " + numbers(z.mean()) + ", std " + numbers(z.std());
        };
    }

    private static String numbers(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(v.length, 8); i++) sb.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.4g", v[i]));
        return sb.append(v.length > 8 ? ", ...]" : "]").toString();
    }

    private static Dataset spread(Dataset d) {
        if (d.size() <= BOUNDARY_ROWS) return d;
        int[] rows = new int[BOUNDARY_ROWS];
        for (int i = 0; i < BOUNDARY_ROWS; i++) rows[i] = (int) ((long) i * d.size() / BOUNDARY_ROWS);
        return d.rows(rows);
    }
}
