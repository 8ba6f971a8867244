package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.data.NoisyFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ganglion bench accuracy}: trains on the real public data sets with fixed seeds, exactly as
 * the documented {@code ganglion train} lines do, and reports each held-out figure against its
 * target with the time taken.
 */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = {"Train on the real data sets (iris, wine, breast cancer, digits, MNIST) and a generated",
                "regression set with fixed seeds, and report each held-out metric against its target."},
        footer = {"", "Example:", "  ganglion bench accuracy --data-dir ../shared/data",
                "  ganglion bench accuracy --data-dir ../shared/data --only iris,wine --json"})
final class AccuracyBenchmark implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Folder with iris.csv, wine.csv, ..., mnist/.")
    Path dataDir;

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these rows (names as in the table).")
    List<String> only;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    /** One row of the proof table: a documented train command and the figure it must reach. */
    record Row(String name, String task, String metric, double target, List<String> args) {
        @Override
        public String toString() {
            return name + " " + metric;
        }
    }

    /** The rows; {@code {data}} stands for the data folder and {@code {tmp}} for a scratch folder. */
    static List<Row> rows() {
        return List.of(
                new Row("iris", "3 classes", "accuracy", 0.93, List.of("--data", "{data}/iris.csv", "--label", "label",
                        "--layers", "16:relu,3:softmax", "--normalize", "standard", "--epochs", "100", "--test-split", "0.3", "--seed", "7")),
                new Row("wine", "3 classes", "accuracy", 0.94, List.of("--data", "{data}/wine.csv", "--label", "label",
                        "--layers", "16:tanh,3:softmax", "--normalize", "standard", "--epochs", "60", "--lr", "0.01", "--test-split", "0.3",
                        "--seed", "7")),
                new Row("breast_cancer", "2 classes", "accuracy", 0.95, List.of("--data", "{data}/breast_cancer.csv", "--label", "label",
                        "--layers", "16:relu,1:sigmoid", "--normalize", "standard", "--epochs", "50", "--lr", "0.003", "--seed", "7")),
                new Row("breast_cancer", "2 classes", "roc_auc", 0.98, List.of("--data", "{data}/breast_cancer.csv", "--label", "label",
                        "--layers", "16:relu,1:sigmoid", "--normalize", "standard", "--epochs", "50", "--lr", "0.003", "--seed", "7")),
                new Row("digits", "10 classes", "accuracy", 0.97, List.of("--data", "{data}/digits.csv", "--label", "label",
                        "--layers", "128:relu,10:softmax", "--scale", "16", "--epochs", "60", "--lr", "0.003", "--seed", "7")),
                new Row("mnist_t10k", "10 classes", "accuracy", 0.95, List.of("--data", "{data}/mnist/t10k-images-idx3-ubyte.gz",
                        "--labels", "{data}/mnist/t10k-labels-idx1-ubyte.gz", "--layers", "256:relu,128:relu,10:softmax", "--scale", "255",
                        "--epochs", "10", "--batch", "64", "--lr", "0.001", "--test-split", "0.2", "--seed", "7")),
                new Row("mnist", "10 classes", "accuracy", 0.98, List.of("--data", "{data}/mnist/train-images-idx3-ubyte.gz",
                        "--labels", "{data}/mnist/train-labels-idx1-ubyte.gz", "--test-data", "{data}/mnist/t10k-images-idx3-ubyte.gz",
                        "--test-labels", "{data}/mnist/t10k-labels-idx1-ubyte.gz",
                        "--layers", "256:relu,dropout(0.2),128:relu,dropout(0.2),10:softmax", "--scale", "255", "--epochs", "10",
                        "--batch", "128", "--lr", "0.001", "--schedule", "cosine", "--seed", "7")),
                new Row("regression", "regression", "r2_gap", 0.02, List.of("--data", "{tmp}/regression-train.csv", "--label", "y",
                        "--test-data", "{tmp}/regression-test.csv", "--layers", "64:tanh,64:tanh,1", "--normalize", "standard",
                        "--epochs", "200", "--lr", "0.003", "--seed", "7")));
    }

    /** The measured figure and whether it meets the target. */
    record Outcome(Row row, double value, boolean passed, double seconds, JsonNode result) {
    }

    /** Runs one row (generating the regression files into {@code tmp} first when needed). */
    static Outcome run(Row row, Path dataDir, Path tmp) throws IOException {
        double optimum = Double.NaN;
        if (row.name().equals("regression")) {
            optimum = writeRegression(tmp);
        }
        List<String> args = new ArrayList<>(List.of("train"));
        for (String a : row.args()) args.add(a.replace("{data}", dataDir.toString()).replace("{tmp}", tmp.toString()));
        args.addAll(List.of("--out", tmp.resolve("model-" + row.name()).toString(), "--json", "--quiet"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        long start = System.nanoTime();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0) throw new UserError(row.name() + ": training failed: " + err.toString().strip());
        JsonNode res = new ObjectMapper().readTree(out.toString());
        JsonNode m = res.get("test_metrics");
        double value;
        boolean passed;
        if (row.metric().equals("r2_gap")) {
            value = optimum - m.get("r2").asDouble();
            passed = value <= row.target();
        } else {
            value = m.get(row.metric()).asDouble();
            passed = value >= row.target();
        }
        return new Outcome(row, value, passed, seconds, res);
    }

    /** Writes separate train (3000) and test (1000) files; returns the best R² possible on the test file. */
    static double writeRegression(Path tmp) throws IOException {
        var train = NoisyFunction.generate(3000, 0.1, 1);
        var test = NoisyFunction.generate(1000, 0.1, 2);
        writeCsv(tmp.resolve("regression-train.csv"), train);
        writeCsv(tmp.resolve("regression-test.csv"), test);
        return NoisyFunction.optimalR2(test);
    }

    private static void writeCsv(Path file, dev.ganglion.data.Dataset d) throws IOException {
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        float[] x = d.features().data(), y = d.targets().data();
        for (int i = 0; i < d.size(); i++) sb.append(x[2 * i]).append(',').append(x[2 * i + 1]).append(',').append(y[i]).append('\n');
        Files.writeString(file, sb);
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dataDir)) throw new UserError(dataDir + ": no such data folder");
        PrintWriter o = spec.commandLine().getOut();
        Path tmp = Files.createTempDirectory("ganglion-accuracy");
        List<Map<String, Object>> results = new ArrayList<>();
        boolean all = true;
        if (!json) o.printf(Locale.ROOT, "%-14s %-11s %-9s %9s %8s  %-4s %8s%n", "data set", "task", "metric", "measured", "target", "", "seconds");
        for (Row row : rows()) {
            if (only != null && !only.contains(row.name())) continue;
            Outcome r = run(row, dataDir, tmp);
            all &= r.passed();
            String metric = row.metric().equals("r2_gap") ? "R² gap" : row.metric();
            String target = row.metric().equals("r2_gap") ? "<= " + row.target() : ">= " + row.target();
            if (!json) {
                o.printf(Locale.ROOT, "%-14s %-11s %-9s %9.4f %8s  %-4s %8.1f%n", row.name(), row.task(), metric, r.value(), target,
                        r.passed() ? "ok" : "MISS", r.seconds());
                o.flush();
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", row.name());
            m.put("metric", row.metric());
            m.put("value", r.value());
            m.put("target", row.target());
            m.put("passed", r.passed());
            m.put("seconds", r.seconds());
            m.put("command", "ganglion train " + String.join(" ", row.args()));
            results.add(m);
        }
        if (json) o.println(new ObjectMapper().writeValueAsString(Map.of("rows", results, "all_passed", all)));
        return all ? 0 : 1;
    }
}
