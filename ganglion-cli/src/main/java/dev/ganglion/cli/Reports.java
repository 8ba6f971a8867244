package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.metrics.Classification;
import dev.ganglion.metrics.ClassificationReport;
import dev.ganglion.metrics.Regression;
import dev.ganglion.metrics.RegressionReport;
import dev.ganglion.model.Model;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.Trainer;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The metrics {@code evaluate} prints: a readable table, or a map for JSON. */
final class Reports {
    private Reports() {
    }

    /** Every applicable metric of {@code model} on scaled data, as an ordered map (JSON-ready). */
    static Map<String, Object> metrics(Model model, Dataset scaled) {
        Trainer.Evaluation e = Trainer.evaluate(model.network(), model.loss(), scaled);
        Tensor outputs = model.predictScaled(scaled.features());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", e.samples());
        m.put("loss", e.loss());
        m.put("loss_function", model.loss().name());
        if (!model.isClassifier()) {
            RegressionReport r = Regression.report(scaled.targets(), outputs);
            m.put("mse", r.mse());
            m.put("rmse", r.rmse());
            m.put("mae", r.mae());
            m.put("r2", r.r2());
            return m;
        }
        int k = model.classNames().size();
        int[] truth = Classification.labels(scaled.targets());
        int[] predicted = model.classify(outputs);
        ClassificationReport report = Classification.report(truth, predicted, k);
        m.put("accuracy", report.accuracy());
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (ClassificationReport.ClassScores c : report.classes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", model.classNames().get(c.label()));
            row.put("precision", c.precision());
            row.put("recall", c.recall());
            row.put("f1", c.f1());
            row.put("support", c.support());
            perClass.add(row);
        }
        m.put("classes", perClass);
        m.put("macro", average(report.macro()));
        m.put("micro", average(report.micro()));
        m.put("weighted", average(report.weighted()));
        m.put("confusion_matrix", report.confusionMatrix().counts());
        Double auc = null, logLoss = null;
        try {
            if (outputs.shape().dim(1) == 1) {
                auc = Classification.rocAuc(truth, outputs);
                if (isProbability(outputs)) logLoss = Classification.logLoss(truth, outputs.data());
            } else if (isDistribution(outputs)) {
                auc = Classification.rocAucOvr(truth, outputs);
                logLoss = Classification.logLoss(truth, outputs);
            }
        } catch (IllegalArgumentException notApplicable) {
            // e.g. a class missing from the data: ROC-AUC is undefined, leave it out
        }
        if (auc != null) m.put("roc_auc", auc);
        if (logLoss != null) m.put("log_loss", logLoss);
        return m;
    }

    private static boolean isProbability(Tensor t) {
        for (float v : t.data()) if (!(v >= 0f && v <= 1f)) return false;
        return true;
    }

    private static boolean isDistribution(Tensor t) {
        int k = t.shape().dim(1);
        float[] d = t.data();
        for (int i = 0; i < d.length; i += k) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                if (!(d[i + j] >= 0f)) return false;
                s += d[i + j];
            }
            if (Math.abs(s - 1) > 1e-3) return false;
        }
        return true;
    }

    private static Map<String, Object> average(ClassificationReport.AverageScores a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", a.precision());
        m.put("recall", a.recall());
        m.put("f1", a.f1());
        return m;
    }

    /** Prints {@link #metrics} as aligned text. */
    @SuppressWarnings("unchecked")
    static void print(PrintWriter o, Model model, Map<String, Object> m) {
        o.printf(Locale.ROOT, "samples    %d%n", (Integer) m.get("samples"));
        o.printf(Locale.ROOT, "loss       %.6f (%s)%n", (Double) m.get("loss"), m.get("loss_function"));
        if (!model.isClassifier()) {
            for (String key : List.of("mse", "rmse", "mae", "r2")) o.printf(Locale.ROOT, "%-10s %.6f%n", key.equals("r2") ? "R²" : key.toUpperCase(Locale.ROOT), (Double) m.get(key));
            return;
        }
        o.printf(Locale.ROOT, "accuracy   %.4f%n", (Double) m.get("accuracy"));
        if (m.containsKey("roc_auc")) o.printf(Locale.ROOT, "roc_auc    %.4f%s%n", (Double) m.get("roc_auc"), model.outputCount() > 1 ? " (one-vs-rest, macro)" : "");
        if (m.containsKey("log_loss")) o.printf(Locale.ROOT, "log_loss   %.6f%n", (Double) m.get("log_loss"));
        o.println();
        int width = Math.max(8, model.classNames().stream().mapToInt(String::length).max().orElse(5) + 2);
        o.printf(Locale.ROOT, "%-" + width + "s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support");
        for (Map<String, Object> row : (List<Map<String, Object>>) m.get("classes")) {
            o.printf(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %9d%n", row.get("class"), (Double) row.get("precision"),
                    (Double) row.get("recall"), (Double) row.get("f1"), (Long) row.get("support"));
        }
        for (String avg : List.of("macro", "micro", "weighted")) {
            Map<String, Object> a = (Map<String, Object>) m.get(avg);
            o.printf(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f%n", avg, (Double) a.get("precision"), (Double) a.get("recall"), (Double) a.get("f1"));
        }
        o.println();
        o.println("confusion matrix (rows: true class, columns: predicted class)");
        int[][] cm = (int[][]) m.get("confusion_matrix");
        List<String> names = model.classNames();
        int cell = 6;
        for (String n : names) cell = Math.max(cell, n.length() + 1);
        for (int[] row : cm) for (int v : row) cell = Math.max(cell, Integer.toString(v).length() + 1);
        StringBuilder header = new StringBuilder(" ".repeat(width));
        for (String n : names) header.append(String.format("%" + cell + "s", n));
        o.println(header);
        for (int i = 0; i < cm.length; i++) {
            StringBuilder line = new StringBuilder(String.format("%-" + width + "s", names.get(i)));
            for (int v : cm[i]) line.append(String.format("%" + cell + "d", v));
            o.println(line);
        }
    }
}
