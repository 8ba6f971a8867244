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
        if (model.isMultiLabel()) {
            multiLabel(model, scaled.targets(), outputs, m);
            return m;
        }
        if (!model.isClassifier()) {
            RegressionReport r = Regression.report(scaled.targets(), outputs);
            m.put("mse", r.mse());
            m.put("rmse", r.rmse());
            m.put("mae", r.mae());
            m.put("r2", r.r2());
            int k = outputs.shape().dim(1);
            if (k > 1) {
                List<Map<String, Object>> perOutput = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    RegressionReport c = Regression.report(column(scaled.targets(), j), column(outputs, j));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("label", j < model.labelNames().size() ? model.labelNames().get(j) : "output_" + j);
                    row.put("mse", c.mse());
                    row.put("rmse", c.rmse());
                    row.put("mae", c.mae());
                    row.put("r2", c.r2());
                    perOutput.add(row);
                }
                m.put("outputs", perOutput);
            }
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

    /** Column {@code j} of {@code t [n, k]}. */
    private static float[] column(Tensor t, int j) {
        int n = t.shape().dim(0), k = t.shape().dim(1);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = t.data()[i * k + j];
        return out;
    }

    /**
     * Multi-label metrics: accuracy is the exact match (every label of a sample right);
     * label_accuracy the mean of the per-label accuracies; per label the precision, recall and F1 of
     * its positive value, support the number of positives; macro = mean over labels, micro = from
     * the pooled counts.
     */
    private static void multiLabel(Model model, Tensor targets, Tensor outputs, Map<String, Object> m) {
        int n = outputs.shape().dim(0), k = outputs.shape().dim(1);
        int[] decided = model.decide(outputs);
        float[] t = targets.data();
        int exact = 0;
        for (int i = 0; i < n; i++) {
            boolean all = true;
            for (int j = 0; j < k && all; j++) all = decided[i * k + j] == (int) t[i * k + j];
            if (all) exact++;
        }
        long tp = 0, fp = 0, fn = 0;
        double accuracySum = 0, precisionSum = 0, recallSum = 0, f1Sum = 0;
        List<Map<String, Object>> perLabel = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            int[] truth = new int[n], predicted = new int[n];
            for (int i = 0; i < n; i++) {
                truth[i] = (int) t[i * k + j];
                predicted[i] = decided[i * k + j];
            }
            ClassificationReport r = Classification.report(truth, predicted, 2);
            ClassificationReport.ClassScores positive = r.classes().get(1);
            int[][] cm = r.confusionMatrix().counts();
            tp += cm[1][1];
            fp += cm[0][1];
            fn += cm[1][0];
            accuracySum += r.accuracy();
            precisionSum += positive.precision();
            recallSum += positive.recall();
            f1Sum += positive.f1();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", model.labelNames().get(j));
            row.put("positive", model.labelClasses().get(j).get(1));
            row.put("accuracy", r.accuracy());
            row.put("precision", positive.precision());
            row.put("recall", positive.recall());
            row.put("f1", positive.f1());
            row.put("support", positive.support());
            perLabel.add(row);
        }
        m.put("accuracy", n == 0 ? Double.NaN : (double) exact / n);
        m.put("label_accuracy", accuracySum / k);
        m.put("labels", perLabel);
        Map<String, Object> macro = new LinkedHashMap<>();
        macro.put("precision", precisionSum / k);
        macro.put("recall", recallSum / k);
        macro.put("f1", f1Sum / k);
        m.put("macro", macro);
        double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp), rc = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        Map<String, Object> micro = new LinkedHashMap<>();
        micro.put("precision", p);
        micro.put("recall", rc);
        micro.put("f1", p + rc == 0 ? 0 : 2 * p * rc / (p + rc));
        m.put("micro", micro);
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
        if (model.isMultiLabel()) {
            printMultiLabel(o, m);
            return;
        }
        if (!model.isClassifier()) {
            List<Map<String, Object>> outputs = (List<Map<String, Object>>) m.get("outputs");
            String note = outputs == null ? "" : "   (mean over " + outputs.size() + " outputs)";
            for (String key : List.of("mse", "rmse", "mae", "r2")) o.printf(Locale.ROOT, "%-10s %.6f%s%n", key.equals("r2") ? "R²" : key.toUpperCase(Locale.ROOT), (Double) m.get(key), note);
            if (outputs != null) {
                int width = Math.max(8, outputs.stream().mapToInt(r -> ((String) r.get("label")).length()).max().orElse(5) + 2);
                o.println();
                o.printf(Locale.ROOT, "%-" + width + "s %12s %12s %12s %12s%n", "output", "MSE", "RMSE", "MAE", "R²");
                for (Map<String, Object> r : outputs) {
                    o.printf(Locale.ROOT, "%-" + width + "s %12.6f %12.6f %12.6f %12.6f%n", r.get("label"), (Double) r.get("mse"),
                            (Double) r.get("rmse"), (Double) r.get("mae"), (Double) r.get("r2"));
                }
            }
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

    @SuppressWarnings("unchecked")
    private static void printMultiLabel(PrintWriter o, Map<String, Object> m) {
        List<Map<String, Object>> labels = (List<Map<String, Object>>) m.get("labels");
        o.printf(Locale.ROOT, "accuracy   %.4f (exact match: every label right)%n", (Double) m.get("accuracy"));
        o.printf(Locale.ROOT, "per label  %.4f (mean accuracy over %d labels)%n", (Double) m.get("label_accuracy"), labels.size());
        o.println();
        int width = Math.max(8, labels.stream().mapToInt(r -> ((String) r.get("label")).length()).max().orElse(5) + 2);
        o.printf(Locale.ROOT, "%-" + width + "s %9s %9s %9s %9s %9s%n", "label", "accuracy", "precision", "recall", "f1", "support");
        for (Map<String, Object> r : labels) {
            o.printf(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %9.4f %9d%n", r.get("label"), (Double) r.get("accuracy"),
                    (Double) r.get("precision"), (Double) r.get("recall"), (Double) r.get("f1"), (Long) r.get("support"));
        }
        for (String avg : List.of("macro", "micro")) {
            Map<String, Object> a = (Map<String, Object>) m.get(avg);
            o.printf(Locale.ROOT, "%-" + width + "s %9s %9.4f %9.4f %9.4f%n", avg, "", (Double) a.get("precision"), (Double) a.get("recall"), (Double) a.get("f1"));
        }
        o.println("(precision, recall and F1 of each label's positive value; support = positives)");
    }
}
