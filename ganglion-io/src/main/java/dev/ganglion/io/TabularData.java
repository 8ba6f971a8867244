package dev.ganglion.io;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a CSV table into features and targets: the label columns are chosen by name, the features
 * are the other columns (or a chosen list). Class labels may be numbers or strings; their names,
 * in a stable order, become the class indices stored with the model.
 *
 * <p>Feature columns are numeric, or categorical when asked: a categorical column's distinct
 * values, sorted as class names are, become its categories, and each cell is read as the index of
 * its category (see {@link FeatureEncoding}). A missing value, in a numeric column an empty cell
 * or {@code NA}, {@code N/A}, {@code NaN} (see {@link CsvTable#isMissing}), in a categorical
 * column an empty cell, is an error unless imputation is allowed, when it is read as NaN. Every
 * problem names the file, the line and the column.
 */
public final class TabularData {
    private TabularData() {
    }

    /** What the label columns mean. */
    public enum Target {
        /** Class labels, targets are class indices {@code [n, 1]}. */
        CLASS_INDEX,
        /** Class labels, targets are one-hot rows {@code [n, classes]}. */
        ONE_HOT,
        /** Real values, targets {@code [n, labels]}. */
        VALUE,
        /** Several yes/no labels (two values each), targets 0/1 {@code [n, labels]}. */
        MULTI_LABEL
    }

    /**
     * Features, targets and the names that give them meaning.
     *
     * @param data         coded features {@code [n, columns]} (see {@link FeatureEncoding}; NaN where
     *                     a value is missing) and targets
     * @param encoding     the feature columns, their categories and (for a saved model) its imputer
     * @param labelNames   the label columns
     * @param classNames   the classes of a single class label; empty otherwise
     * @param labelClasses for {@link Target#MULTI_LABEL}, each label's two values [negative,
     *                     positive]; empty otherwise
     */
    public record Labeled(Dataset data, FeatureEncoding encoding, List<String> labelNames, List<String> classNames,
                          List<List<String>> labelClasses) {
        public Labeled {
            labelNames = List.copyOf(labelNames);
            classNames = List.copyOf(classNames);
            labelClasses = labelClasses.stream().map(List::copyOf).toList();
        }

        /** Numeric features with one label. */
        public Labeled(Dataset data, List<String> featureNames, String labelName, List<String> classNames) {
            this(data, FeatureEncoding.numeric(featureNames), List.of(labelName), classNames, List.of());
        }

        /** The feature columns, in order. */
        public List<String> featureNames() {
            return encoding.columns();
        }

        /** The label column; for several, their names joined by commas. */
        public String labelName() {
            return String.join(",", labelNames);
        }
    }

    /**
     * How to read the feature columns.
     *
     * @param columns        the feature columns, or null for every column but the labels
     * @param categorical    the columns to read as categories (when {@code known} is null)
     * @param known          fixed columns and categories (a saved model's, or the training data's
     *                       for a separate test file), or null to find the categories in the data
     * @param allowMissing   whether missing values are read as NaN (to be imputed) rather than
     *                       rejected
     * @param missingAdvice  added to the message that rejects a missing value
     */
    public record Features(List<String> columns, List<String> categorical, FeatureEncoding known,
                           boolean allowMissing, String missingAdvice) {
        public Features {
            columns = columns == null ? null : List.copyOf(columns);
            categorical = categorical == null ? List.of() : List.copyOf(categorical);
        }

        /** For training: the categories are the distinct values found in {@code categorical} columns. */
        public static Features discover(List<String> columns, List<String> categorical, boolean allowMissing) {
            return new Features(columns, categorical, null, allowMissing, TRAIN_ADVICE);
        }

        /** For another file of training data: the columns and categories of {@code trainingData}. */
        public static Features like(FeatureEncoding trainingData, boolean allowMissing) {
            return new Features(trainingData.columns(), List.of(), trainingData, allowMissing, TRAIN_ADVICE);
        }

        /** As a saved model expects them: its columns and categories; missing values if it imputes them. */
        public static Features of(FeatureEncoding model) {
            return new Features(model.columns(), List.of(), model, model.imputer().isActive(),
                    "; the model was trained without --impute, so it cannot fill in missing values");
        }
    }

    private static final String TRAIN_ADVICE = "; fill it in, or train with --impute mean|median|most_frequent";

    /**
     * How to read the label columns.
     *
     * @param names             one or more label columns ({@link Target#VALUE} and
     *                          {@link Target#MULTI_LABEL} allow several)
     * @param target            how to encode them
     * @param knownClasses      the class names to map a class label onto (a saved model's), or null
     *                          to take the distinct values found, numbers in numeric order, strings sorted
     * @param knownLabelClasses for {@link Target#MULTI_LABEL}: each label's two values (a saved
     *                          model's), or null to take them from the data
     */
    public record Labels(List<String> names, Target target, List<String> knownClasses, List<List<String>> knownLabelClasses) {
        public Labels {
            names = List.copyOf(names);
            if (names.isEmpty()) throw new IllegalArgumentException("no label column given");
            if (new HashSet<>(names).size() != names.size()) throw new IllegalArgumentException("label columns repeat: " + names);
            if (names.size() > 1 && (target == Target.CLASS_INDEX || target == Target.ONE_HOT)) {
                throw new IllegalArgumentException("several label columns " + names
                        + " are either values (regression) or yes/no labels (multi-label), not classes of one label");
            }
            if (knownLabelClasses != null && knownLabelClasses.size() != names.size()) {
                throw new IllegalArgumentException(names.size() + " label columns " + names + " but "
                        + knownLabelClasses.size() + " known value pairs");
            }
        }

        /** One label column. */
        public static Labels of(String name, Target target, List<String> knownClasses) {
            return new Labels(List.of(name), target, knownClasses, null);
        }
    }

    /**
     * Reads {@code file} with {@code label} as the target column and numeric features.
     *
     * @param features     the feature columns, or null for every column but the label
     * @param target       how to encode the label
     * @param knownClasses the class names to map labels onto (a saved model's), or null to take
     *                     the distinct values found, numbers in numeric order, strings sorted
     */
    public static Labeled read(Path file, String label, List<String> features, Target target, List<String> knownClasses) {
        return read(file, Labels.of(label, target, knownClasses), Features.discover(features, List.of(), false));
    }

    /** Reads {@code file}: the label columns as {@code labels} says, the features as {@code features} says. */
    public static Labeled read(Path file, Labels labels, Features features) {
        CsvTable table = CsvTable.read(file);
        for (String l : labels.names()) table.columnIndex(l);
        String labelText = labels.names().size() == 1 ? "the label \"" + labels.names().getFirst() + "\""
                : "the labels " + Text.quoteAll(labels.names(), 20);
        List<String> featureNames = features.columns() != null ? features.columns()
                : table.columns().stream().filter(c -> !labels.names().contains(c)).toList();
        if (featureNames.isEmpty()) {
            throw new DataFormatException(file, 1, "no feature columns besides " + labelText);
        }
        for (String l : labels.names()) {
            if (featureNames.contains(l)) {
                throw new DataFormatException(file, 1, "the label column \"" + l + "\" is also listed as a feature");
            }
        }
        for (String c : features.categorical()) {
            if (labels.names().contains(c)) {
                throw new DataFormatException(file, 1, "the label column \"" + c + "\" is also listed as categorical;"
                        + " categorical columns are features");
            }
            table.columnIndex(c);
            if (!featureNames.contains(c)) {
                throw new DataFormatException(file, 1, "\"" + c + "\" is listed as categorical but is not a feature column;"
                        + " the features are " + Text.quoteAll(featureNames, 40));
            }
        }
        Coded coded = features(table, featureNames, features);
        int n = table.rowCount();
        Dataset data;
        List<String> classes = List.of();
        List<List<String>> labelClasses = List.of();
        switch (labels.target()) {
            case VALUE -> {
                int k = labels.names().size();
                float[] y = new float[n * k];
                for (int j = 0; j < k; j++) {
                    float[] col = table.numericColumn(labels.names().get(j));
                    for (int r = 0; r < n; r++) y[r * k + j] = col[r];
                }
                data = new Dataset(coded.features(), Tensor.of(y, n, k));
            }
            case MULTI_LABEL -> {
                int k = labels.names().size();
                float[] y = new float[n * k];
                List<List<String>> pairs = new ArrayList<>();
                for (int j = 0; j < k; j++) {
                    String name = labels.names().get(j);
                    List<String> known = labels.knownLabelClasses() == null ? null : labels.knownLabelClasses().get(j);
                    List<String> pair = yesNo(table, name, known);
                    pairs.add(pair);
                    int c = table.columnIndex(name);
                    for (int r = 0; r < n; r++) {
                        String v = label(table, r, c);
                        int index = pair.indexOf(v);
                        if (index < 0) {
                            throw new DataFormatException(file, table.lineNumber(r), name, c + 1, Text.quote(table.rows().get(r)[c])
                                    + " is not one of the values of the multi-label column, " + Text.quoteAll(pair, 2));
                        }
                        y[r * k + j] = index;
                    }
                }
                labelClasses = pairs;
                data = new Dataset(coded.features(), Tensor.of(y, n, k));
            }
            case CLASS_INDEX, ONE_HOT -> {
                String label = labels.names().getFirst();
                int c = table.columnIndex(label);
                String[] raw = new String[n];
                for (int r = 0; r < n; r++) raw[r] = label(table, r, c);
                classes = labels.knownClasses() != null ? List.copyOf(labels.knownClasses()) : classNames(raw);
                if (labels.knownClasses() == null && classes.size() < 2) {
                    throw new DataFormatException(file, table.lineNumber(0), label, c + 1,
                            "has only one class (" + (classes.isEmpty() ? "none" : "\"" + classes.getFirst() + "\"")
                                    + "); classification needs at least two");
                }
                Map<String, Integer> index = new LinkedHashMap<>();
                for (int i = 0; i < classes.size(); i++) index.put(classes.get(i), i);
                int k = labels.target() == Target.ONE_HOT ? classes.size() : 1;
                float[] y = new float[n * k];
                for (int r = 0; r < n; r++) {
                    Integer cls = index.get(raw[r]);
                    if (cls == null) {
                        throw new DataFormatException(file, table.lineNumber(r), label, c + 1,
                                "\"" + table.rows().get(r)[c] + "\" is not one of the known classes " + classes);
                    }
                    if (labels.target() == Target.ONE_HOT) y[r * k + cls] = 1f;
                    else y[r] = cls;
                }
                data = new Dataset(coded.features(), Tensor.of(y, n, k));
            }
            default -> throw new IllegalStateException("unknown target " + labels.target());
        }
        return new Labeled(data, coded.encoding(), labels.names(), classes, labelClasses);
    }

    /** Only the given feature columns of {@code file} (for prediction, where there is no label). */
    public static Tensor readFeatures(Path file, List<String> featureNames) {
        return readFeatures(file, FeatureEncoding.numeric(featureNames));
    }

    /**
     * The coded features of {@code file} as a saved model expects them (see
     * {@link FeatureEncoding}): its columns by name, categories mapped onto its categories, missing
     * values as NaN when it imputes them.
     */
    public static Tensor readFeatures(Path file, FeatureEncoding encoding) {
        CsvTable table = CsvTable.read(file);
        return features(table, encoding.columns(), Features.of(encoding)).features();
    }

    private record Coded(Tensor features, FeatureEncoding encoding) {
    }

    private static Coded features(CsvTable table, List<String> names, Features spec) {
        int n = table.rowCount(), d = names.size();
        int[] index = new int[d];
        for (int j = 0; j < d; j++) index[j] = table.columnIndex(names.get(j));
        FeatureEncoding encoding = spec.known();
        if (encoding == null) {
            Map<String, List<String>> categories = new LinkedHashMap<>();
            for (int j = 0; j < d; j++) {
                if (!spec.categorical().contains(names.get(j))) continue;
                Set<String> distinct = new LinkedHashSet<>();
                for (int r = 0; r < n; r++) {
                    String v = FeatureEncoding.canonical(table.rows().get(r)[index[j]]);
                    if (!v.isEmpty()) distinct.add(v);
                }
                if (distinct.isEmpty()) {
                    throw new DataFormatException(table.file(), 0, names.get(j), index[j] + 1,
                            "the categorical column has no values");
                }
                categories.put(names.get(j), sorted(distinct));
            }
            encoding = new FeatureEncoding(names, categories, null);
        }
        float[] x = new float[n * d];
        String[] notANumber = new String[d];
        for (int j = 0; j < d; j++) {
            notANumber[j] = spec.known() == null ? "; if \"" + names.get(j) + "\" holds categories, list it in --categorical" : "";
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                int c = index[j];
                boolean categorical = encoding.isCategorical(j);
                String raw = table.rows().get(r)[c];
                float v;
                if (categorical ? raw.isBlank() : CsvTable.isMissing(raw)) {
                    if (!spec.allowMissing()) {
                        throw new DataFormatException(table.file(), table.lineNumber(r), names.get(j), c + 1,
                                "missing value " + (raw.isBlank() ? "(empty cell)" : Text.quote(raw)) + spec.missingAdvice());
                    }
                    v = Float.NaN;
                } else if (categorical) {
                    try {
                        v = encoding.code(j, raw);
                    } catch (IllegalArgumentException e) {
                        throw new DataFormatException(table.file(), table.lineNumber(r), names.get(j), c + 1, e.getMessage());
                    }
                } else {
                    v = table.number(r, c, notANumber[j]);
                }
                x[r * d + j] = v;
            }
        }
        return new Coded(Tensor.of(x, n, d), encoding);
    }

    /** The label in data row {@code r}, column {@code c}, in canonical form; a missing label is an error. */
    private static String label(CsvTable table, int r, int c) {
        String v = normalise(table.rows().get(r)[c]);
        if (v.isEmpty()) {
            throw new DataFormatException(table.file(), table.lineNumber(r), table.columns().get(c), c + 1,
                    "missing label (empty cell); every row needs a label (only feature columns can be imputed)");
        }
        return v;
    }

    /**
     * The two values of a multi-label column: {@code known}, or those found in the data: 0 and 1
     * when it holds only those (or one of them), else its two distinct values, sorted.
     */
    private static List<String> yesNo(CsvTable table, String name, List<String> known) {
        if (known != null) return List.copyOf(known);
        int c = table.columnIndex(name);
        Set<String> seen = new LinkedHashSet<>();
        for (int r = 0; r < table.rowCount(); r++) {
            String v = label(table, r, c);
            if (seen.add(v) && seen.size() > 2) {
                List<String> first = new ArrayList<>(seen).subList(0, 2);
                throw new DataFormatException(table.file(), table.lineNumber(r), name, c + 1, Text.quote(table.rows().get(r)[c])
                        + " is a third value; a multi-label column holds 0/1 (or two values), and this one already has "
                        + Text.quoteAll(sorted(first), 2));
            }
        }
        if (Set.of("0", "1").containsAll(seen)) return List.of("0", "1");
        if (seen.size() < 2) {
            throw new DataFormatException(table.file(), 0, name, c + 1, "has only one value, "
                    + Text.quoteAll(seen, 1) + "; a multi-label column holds 0/1 (or two values)");
        }
        return sorted(seen);
    }

    /** Distinct labels: numbers in numeric order (written without a needless ".0"), else sorted text. */
    static List<String> classNames(String[] raw) {
        TreeSet<String> distinct = new TreeSet<>();
        for (String s : raw) distinct.add(normalise(s));
        return sorted(distinct);
    }

    /** Numbers in numeric order if all are numbers, else text in sorted order. */
    private static List<String> sorted(Collection<String> values) {
        List<String> out = new ArrayList<>(new TreeSet<>(values));
        if (out.stream().allMatch(TabularData::isNumber)) out.sort(Comparator.comparingDouble(Double::parseDouble));
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
