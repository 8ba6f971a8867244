package dev.ganglion.data;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How a model's raw input columns become the network's inputs. A column is numeric, or
 * categorical: it holds one of a fixed list of categories and is one-hot encoded into one network
 * input per category ({@code colour=blue}, {@code colour=green}, …).
 *
 * <p>Raw rows travel as <em>coded</em> features {@code [n, columns]}: a numeric column holds its
 * value, a categorical column the index of its category, and a missing value is NaN. Encoding then
 * runs: impute (fill NaN, see {@link Imputer}) → scale the numeric columns → one-hot expand to
 * {@code [n, width()]}. Without categorical columns and imputation the encoding is the identity.
 *
 * @param columns    the raw input columns, in order
 * @param categories for each categorical column (a subset of {@code columns}), its categories in
 *                   order; the map iterates in column order
 * @param imputer    fills missing values; {@link Imputer#none()} for none
 */
public record FeatureEncoding(List<String> columns, Map<String, List<String>> categories, Imputer imputer) {

    /** Longest number of categories listed in an "unknown category" message. */
    private static final int MAX_LISTED = 20;

    public FeatureEncoding {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) throw new IllegalArgumentException("features: needs at least one column");
        Set<String> distinct = new HashSet<>(columns);
        if (distinct.size() != columns.size()) throw new IllegalArgumentException("features: column names repeat: " + columns);
        Objects.requireNonNull(categories, "categories");
        for (String c : categories.keySet()) {
            if (!distinct.contains(c)) {
                throw new IllegalArgumentException("features: categorical column \"" + c + "\" is not one of the columns " + columns);
            }
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        for (String c : columns) {
            List<String> cats = categories.get(c);
            if (cats == null) continue;
            cats = List.copyOf(cats);
            if (cats.isEmpty()) throw new IllegalArgumentException("features: categorical column \"" + c + "\" has no categories");
            if (new HashSet<>(cats).size() != cats.size()) {
                throw new IllegalArgumentException("features: categorical column \"" + c + "\" repeats a category: " + cats);
            }
            ordered.put(c, cats);
        }
        categories = Collections.unmodifiableMap(ordered);
        imputer = imputer == null ? Imputer.none() : imputer;
        if (imputer.isActive()) {
            float[] v = imputer.values();
            if (v.length != columns.size()) {
                throw new IllegalArgumentException("features: the imputer has " + v.length + " values for "
                        + columns.size() + " columns");
            }
            for (int j = 0; j < v.length; j++) {
                List<String> cats = ordered.get(columns.get(j));
                if (cats != null && (v[j] != Math.rint(v[j]) || v[j] < 0 || v[j] >= cats.size())) {
                    throw new IllegalArgumentException("features: fill value " + v[j] + " of categorical column \""
                            + columns.get(j) + "\" is not a category index");
                }
            }
        }
    }

    /** Numeric columns only, no imputation: the network's inputs are the columns themselves. */
    public static FeatureEncoding numeric(List<String> columns) {
        return new FeatureEncoding(columns, Map.of(), Imputer.none());
    }

    /** Whether encoding changes nothing (all columns numeric, no imputation). */
    public boolean isIdentity() {
        return categories.isEmpty() && !imputer.isActive();
    }

    /** Whether column {@code column} (0-based) is categorical. */
    public boolean isCategorical(int column) {
        return categories.containsKey(columns.get(column));
    }

    /** The categories of column {@code column}, empty for a numeric column. */
    public List<String> categoriesOf(int column) {
        return categories.getOrDefault(columns.get(column), List.of());
    }

    /** The positions of the numeric columns, in order. */
    public int[] numericColumns() {
        int[] out = new int[columns.size() - categories.size()];
        int k = 0;
        for (int j = 0; j < columns.size(); j++) if (!isCategorical(j)) out[k++] = j;
        return out;
    }

    /** The network's input width: one per numeric column plus one per category. */
    public int width() {
        int w = columns.size() - categories.size();
        for (List<String> c : categories.values()) w += c.size();
        return w;
    }

    /** One name per network input: a numeric column's name, or {@code column=category}. */
    public List<String> encodedNames() {
        List<String> out = new ArrayList<>(width());
        for (int j = 0; j < columns.size(); j++) {
            if (!isCategorical(j)) out.add(columns.get(j));
            else for (String c : categoriesOf(j)) out.add(columns.get(j) + "=" + c);
        }
        return out;
    }

    /** The same encoding with another imputer. */
    public FeatureEncoding withImputer(Imputer imputer) {
        return new FeatureEncoding(columns, categories, imputer);
    }

    /**
     * Fits an imputer on {@code coded [n, columns]} (the training part): numeric columns by
     * {@code strategy}, categorical columns always by their most frequent category.
     *
     * @throws IllegalArgumentException naming the column when a column has no values at all
     */
    public FeatureEncoding fitImputer(Imputer.Strategy strategy, Tensor coded) {
        if (strategy == Imputer.Strategy.NONE) return withImputer(Imputer.none());
        checkCoded(coded, "impute");
        float[] values = new float[columns.size()];
        for (int j = 0; j < values.length; j++) {
            values[j] = Imputer.fitColumn(isCategorical(j) ? Imputer.Strategy.MOST_FREQUENT : strategy, coded, j);
            if (Float.isNaN(values[j])) {
                throw new IllegalArgumentException("impute: column \"" + columns.get(j)
                        + "\" has no values in the training data to impute from");
            }
        }
        return withImputer(new Imputer(strategy, values));
    }

    /** The code of {@code value} in column {@code column}: its category index, or NaN for an empty value. */
    public float code(int column, String value) {
        if (!isCategorical(column)) throw new IllegalArgumentException("features: column \"" + columns.get(column) + "\" is not categorical");
        String v = canonical(value);
        if (v.isEmpty()) return Float.NaN;
        int c = categoriesOf(column).indexOf(v);
        if (c < 0) {
            throw new IllegalArgumentException("\"" + v + "\" is not a known category of \"" + columns.get(column)
                    + "\"; the known categories are " + quoteAll(categoriesOf(column)));
        }
        return c;
    }

    /** How a coded value reads: the category of a categorical column, the number otherwise; "" for missing. */
    public String display(int column, float coded) {
        if (Float.isNaN(coded)) return "";
        if (isCategorical(column)) return categoriesOf(column).get((int) coded);
        return Float.toString(coded);
    }

    /**
     * How a label or category is compared: surrounding whitespace removed, and a whole number written
     * without a fraction ({@code "1.0"} is {@code "1"}), so that the same value always matches.
     */
    public static String canonical(String value) {
        String t = value.strip();
        if (!t.isEmpty() && (Character.isDigit(t.charAt(t.length() - 1)) || t.endsWith("."))) {
            try {
                double v = Double.parseDouble(t);
                if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
            } catch (NumberFormatException notANumber) {
                // text stays text
            }
        }
        return t;
    }

    /** Fills missing values (NaN) of {@code coded [n, columns]}; unchanged without an imputer. */
    public Tensor impute(Tensor coded) {
        checkCoded(coded, "impute");
        return imputer.transform(coded);
    }

    /** The numeric columns of {@code coded [n, columns]}, {@code [n, numeric]}. */
    public Tensor numericPart(Tensor coded) {
        checkCoded(coded, "features");
        if (categories.isEmpty()) return coded;
        int[] numeric = numericColumns();
        int n = coded.shape().dim(0), d = columns.size(), k = numeric.length;
        float[] x = coded.data(), out = new float[n * k];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) out[i * k + j] = x[i * d + numeric[j]];
        return Tensor.of(out, n, k);
    }

    /**
     * The network's inputs {@code [n, width()]} for {@code coded [n, columns]}: missing values
     * imputed, {@code numericTransform} applied to the numeric columns {@code [n, numeric]} (e.g. a
     * scaler), categorical columns one-hot encoded; a category index that is NaN (missing, no
     * imputer) gives a row of NaN.
     */
    public Tensor encode(Tensor coded, UnaryOperator<Tensor> numericTransform) {
        Tensor x = impute(coded);
        if (categories.isEmpty()) return numericTransform.apply(x);
        int[] numeric = numericColumns();
        int n = x.shape().dim(0), d = columns.size(), w = width();
        float[] scaled = numeric.length == 0 ? new float[0] : numericTransform.apply(numericPart(x)).data();
        float[] in = x.data(), out = new float[n * w];
        for (int i = 0; i < n; i++) {
            int at = i * w, num = 0;
            for (int j = 0; j < d; j++) {
                List<String> cats = categoriesOf(j);
                if (cats.isEmpty()) {
                    out[at++] = scaled[i * numeric.length + num++];
                    continue;
                }
                float c = in[i * d + j];
                if (Float.isNaN(c)) {
                    for (int k = 0; k < cats.size(); k++) out[at + k] = Float.NaN;
                } else {
                    int index = (int) c;
                    if (index != c || index < 0 || index >= cats.size()) {
                        throw new IllegalArgumentException("features: " + c + " is not a category index of \""
                                + columns.get(j) + "\" (0.." + (cats.size() - 1) + ")");
                    }
                    out[at + index] = 1f;
                }
                at += cats.size();
            }
        }
        return Tensor.of(out, n, w);
    }

    private void checkCoded(Tensor coded, String op) {
        if (coded.rank() != 2 || coded.shape().dim(1) != columns.size()) {
            throw new ShapeException(op + ": expected " + columns.size() + " columns " + columns + " per row, got " + coded.shape());
        }
    }

    /** {@code "a", "b", "c"}, or the first ones and how many there are in all. */
    public static String quoteAll(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(values.size(), MAX_LISTED); i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(values.get(i)).append('"');
        }
        if (values.size() > MAX_LISTED) sb.append(", … (").append(values.size()).append(" in all)");
        return sb.toString();
    }
}
