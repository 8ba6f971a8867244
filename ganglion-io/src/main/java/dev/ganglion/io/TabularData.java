package dev.ganglion.io;

import dev.ganglion.data.Dataset;
import dev.ganglion.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a CSV table into features and targets: the label column is chosen by name, the features
 * are the other numeric columns (or a chosen list). Class labels may be numbers or strings; their
 * names, in a stable order, become the class indices stored with the model.
 */
public final class TabularData {
    private TabularData() {
    }

    /** What the label column means. */
    public enum Target {
        /** Class labels, targets are class indices {@code [n, 1]}. */
        CLASS_INDEX,
        /** Class labels, targets are one-hot rows {@code [n, classes]}. */
        ONE_HOT,
        /** Real values, targets {@code [n, 1]}. */
        VALUE
    }

    /** Features, targets and the names that give them meaning. */
    public record Labeled(Dataset data, List<String> featureNames, String labelName, List<String> classNames) {
    }

    /**
     * Reads {@code file} with {@code label} as the target column.
     *
     * @param features     the feature columns, or null for every column but the label
     * @param target       how to encode the label
     * @param knownClasses the class names to map labels onto (a saved model's), or null to take
     *                     the distinct values found, numbers in numeric order, strings sorted
     */
    public static Labeled read(Path file, String label, List<String> features, Target target, List<String> knownClasses) {
        CsvTable table = CsvTable.read(file);
        table.columnIndex(label);
        List<String> featureNames = features != null ? List.copyOf(features)
                : table.columns().stream().filter(c -> !c.equals(label)).toList();
        if (featureNames.isEmpty()) {
            throw new DataFormatException(file, 1, "no feature columns besides the label \"" + label + "\"");
        }
        if (featureNames.contains(label)) {
            throw new DataFormatException(file, 1, "the label column \"" + label + "\" is also listed as a feature");
        }
        Tensor x = features(table, featureNames);
        int n = table.rowCount();
        if (target == Target.VALUE) {
            float[] y = table.numericColumn(label);
            return new Labeled(new Dataset(x, Tensor.of(y, n, 1)), featureNames, label, List.of());
        }
        String[] raw = table.stringColumn(label);
        List<String> classes = knownClasses != null ? List.copyOf(knownClasses) : classNames(raw);
        if (knownClasses == null && classes.size() < 2) {
            throw new DataFormatException(file, table.lineNumber(0), label, table.columnIndex(label) + 1,
                    "has only one class (" + (classes.isEmpty() ? "none" : "\"" + classes.getFirst() + "\"")
                            + "); classification needs at least two");
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) index.put(classes.get(i), i);
        int k = target == Target.ONE_HOT ? classes.size() : 1;
        float[] y = new float[n * k];
        for (int r = 0; r < n; r++) {
            Integer c = index.get(normalise(raw[r]));
            if (c == null) {
                throw new DataFormatException(file, table.lineNumber(r), label, table.columnIndex(label) + 1,
                        "\"" + raw[r] + "\" is not one of the known classes " + classes);
            }
            if (target == Target.ONE_HOT) y[r * k + c] = 1f;
            else y[r] = c;
        }
        return new Labeled(new Dataset(x, Tensor.of(y, n, k)), featureNames, label, classes);
    }

    /** Only the given feature columns of {@code file} (for prediction, where there is no label). */
    public static Tensor readFeatures(Path file, List<String> featureNames) {
        return features(CsvTable.read(file), featureNames);
    }

    private static Tensor features(CsvTable table, List<String> names) {
        float[][] rows = table.numericColumns(names);
        int n = table.rowCount(), d = names.size();
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(rows[i], 0, x, i * d, d);
        return Tensor.of(x, n, d);
    }

    /** Distinct labels: numbers in numeric order (written without a needless ".0"), else sorted text. */
    static List<String> classNames(String[] raw) {
        TreeSet<String> distinct = new TreeSet<>();
        for (String s : raw) distinct.add(normalise(s));
        boolean numeric = distinct.stream().allMatch(TabularData::isNumber);
        List<String> out = new ArrayList<>(distinct);
        if (numeric) out.sort(Comparator.comparingDouble(Double::parseDouble));
        return out;
    }

    private static String normalise(String s) {
        String t = s.trim();
        if (isNumber(t)) {
            double v = Double.parseDouble(t);
            if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        }
        return t;
    }

    private static boolean isNumber(String s) {
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
