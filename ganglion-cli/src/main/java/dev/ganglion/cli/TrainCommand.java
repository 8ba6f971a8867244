package dev.ganglion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.io.ModelStore;
import dev.ganglion.io.RunConfig;
import dev.ganglion.io.TabularData;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Initializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ganglion train}: trains a network on a CSV file and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Train a network on CSV data or IDX images and save it to a model directory.",
        description = "Train a network on a CSV file (header row) or IDX images and save it to a model directory.",
        footer = {"", "Example:",
                "  ganglion generate font --samples 1500 --out font.csv",
                "  ganglion train --data font.csv --label light_font --layers 3:relu,1:sigmoid \\",
                "      --scale 255 --epochs 200 --out models/font",
                "  ganglion train --data shirts.csv --label bought --categorical colour \\",
                "      --impute median --layers 8:relu,1:sigmoid --out models/shirts",
                "  ganglion train --data tags.csv --label a,b,c --layers 16:relu,3:sigmoid \\",
                "      --loss bce --out models/tags",
                "  ganglion train --data train-images-idx3-ubyte.gz --labels train-labels-idx1-ubyte.gz \\",
                "      --layers 256:relu,128:relu,10:softmax --loss ce --scale 255 --epochs 10 --batch 128 \\",
                "      --test-data t10k-images-idx3-ubyte.gz --test-labels t10k-labels-idx1-ubyte.gz --out models/mnist",
                "  ganglion train --config examples/font.yaml --epochs 20        # a run file; flags override it",
                "  ganglion train --config models/font/config.json --out models/font2   # retrain a saved model",
                "",
                "Activations: " + Activation.NAMES,
                "Initializers: " + Initializer.NAMES,
                "Human progress goes to stderr; --json prints one JSON object with the results on stdout."})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--test-data", paramLabel = "FILE", description = "Evaluate on this file instead of a split of --data.")
    Path testData;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "IDX labels for --test-data.")
    Path testLabels;

    @Option(names = "--test-split", defaultValue = "0.2", paramLabel = "F",
            description = "Fraction held out for testing, 0 for none (default: ${DEFAULT-VALUE}).")
    double testSplit;

    @Option(names = "--out", paramLabel = "DIR", description = "Model directory to write (required unless --config gives training.output).")
    Path out;

    @Option(names = "--json", description = "Print the results as one JSON object on stdout.")
    boolean json;

    /** No per-epoch progress: the global {@code --quiet}. */
    boolean quiet;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write pictures (PNG, SVG) and an index.html report of the run to DIR.")
    Path report;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        quiet = Main.quiet(spec);
        applyConfig(RunConfigOptions.apply(model, spec.commandLine().getParseResult()));
        if (out == null) throw new UserError("Missing required option: '--out=DIR' (or \"training.output\" in --config)");
        if (testSplit < 0 || testSplit >= 1) throw new UserError("--test-split must be in [0, 1), got " + testSplit);
        ModelOptions.Prepared p = model.prepare();
        TabularData.Labeled d = p.data();
        if (testLabels != null && testData == null) throw new UserError("--test-labels needs --test-data");
        if (testData != null && model.labels != null && testLabels == null) throw new UserError("--test-data with IDX images needs --test-labels");
        TabularData.Labeled test = testData == null ? null
                : DataSource.load(testData, testLabels, d.labelNames(), p.featuresLike(), p.target(),
                        p.target() == TabularData.Target.MULTI_LABEL || !p.classify() ? null : d.classNames(),
                        p.target() == TabularData.Target.MULTI_LABEL ? d.labelClasses() : null);
        var settings = p.settings(model, testSplit);
        if (!quiet) {
            err.printf(Locale.ROOT, "training %d -> %s on %s (%d rows), loss %s, %s%n", d.encoding().width(),
                    p.layers().stream().map(Object::toString).reduce((a, b) -> a + " -> " + b).orElse(""),
                    model.data, d.data().size(), p.loss().name(), model.optimizer);
            d.encoding().categories().forEach((column, categories) -> err.printf(Locale.ROOT,
                    "one-hot  %s: %d categories (%s)%n", column, categories.size(), String.join(", ", categories.subList(0, Math.min(10, categories.size())))
                            + (categories.size() > 10 ? ", ..." : "")));
        }
        TrainingRun.Result r = TrainingRun.run(d.data(), test == null ? null : test.data(), d, settings, err, quiet);
        ModelStore.save(r.model(), out, RunConfigOptions.trainingSection(
                RunConfigOptions.training(settings, model.data, model.labels, testData, testLabels), out, r, null));
        ModelStore.saveHistory(out, r.history(), settings.regimen().valSplit() > 0 ? "val" : "test");

        Map<String, Object> res = results(r, out);
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(res));
        } else {
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "train: loss %.4f%s%n", r.train().loss(), acc(r.train().accuracy()));
            if (r.test() != null) o.printf(Locale.ROOT, "test:  loss %.4f%s (%d samples)%n", r.test().loss(), acc(r.test().accuracy()), r.test().samples());
            o.println("model saved to " + out);
        }
        if (report != null) TrainReport.write(report, r, settings, d.data(), model.data, res, out, err);
        return 0;
    }

    /** Fills the options of this command that the command line did not give from {@code --config}. */
    private void applyConfig(RunConfig c) {
        if (c == null) return;
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        RunConfig.Training t = c.training();
        if (!RunConfigOptions.given(parsed, "--test-data") && t.testData() != null) testData = t.testData();
        if (!RunConfigOptions.given(parsed, "--test-labels") && !RunConfigOptions.given(parsed, "--test-data") && t.testLabels() != null) {
            testLabels = t.testLabels();
        }
        if (!RunConfigOptions.given(parsed, "--test-split") && t.testSplit() != null) testSplit = t.testSplit();
        if (!RunConfigOptions.given(parsed, "--out") && t.output() != null) out = t.output();
    }

    private static String acc(double a) {
        return Double.isNaN(a) ? "" : String.format(Locale.ROOT, ", accuracy %.4f", a);
    }

    static Map<String, Object> results(TrainingRun.Result r, Path out) {
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("train_loss", r.train().loss());
        res.put("train_accuracy", nanToNull(r.train().accuracy()));
        res.put("test_loss", r.test() == null ? null : r.test().loss());
        res.put("test_accuracy", r.test() == null ? null : nanToNull(r.test().accuracy()));
        res.put("epochs", r.history().epochs().size());
        res.put("train_samples", r.train().samples());
        res.put("test_samples", r.test() == null ? 0 : r.test().samples());
        res.put("seconds", r.seconds());
        res.put("model_dir", out.toString());
        if (r.testRaw() != null) res.put("test_metrics", Reports.metrics(r.model(), r.model().scale(r.testRaw())));
        return res;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
