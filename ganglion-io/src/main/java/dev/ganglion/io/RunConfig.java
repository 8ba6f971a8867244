package dev.ganglion.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganglion.data.Imputer;
import dev.ganglion.model.Layer;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Initializer;
import dev.ganglion.nn.Loss;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A training run described in a file (YAML or JSON), the same schema as a model directory's
 * {@code config.json}: the model keys at the top ({@code inputs}, {@code label}/{@code labels},
 * {@code categorical}, {@code imputation}, {@code layers}, {@code loss}, {@code preprocessing}) and
 * the run under {@code training} (data files, splits, epochs, batch size, seed, optimiser,
 * schedule, regularisation, output). So {@code ganglion train --config models/x/config.json}
 * retrains a saved model as it was trained. Every value is optional here (null: not given); the
 * command line fills or overrides them. Relative paths are resolved against the file's folder.
 * The schema is documented in docs/formats.md, "Run configuration".
 *
 * @param file         the file read (null when built in code)
 * @param inputs       the feature columns ({@code --features})
 * @param labels       the label column(s) ({@code --label})
 * @param categorical  the categorical feature columns ({@code --categorical})
 * @param impute       the imputation strategy ({@code --impute}: mean, median, most_frequent)
 * @param layers       the layers after the input, each with its initialiser ({@code --layers})
 * @param loss         the loss, e.g. {@code bce} or {@code ce(1,3)} ({@code --loss})
 * @param scale        divide every feature by this ({@code --scale})
 * @param normalize    minmax or standard ({@code --normalize})
 * @param training     the run: data, splits, optimiser and the rest
 */
public record RunConfig(Path file, List<String> inputs, List<String> labels, List<String> categorical, String impute,
                        List<Layer> layers, String loss, Float scale, String normalize, Training training) {

    /**
     * The {@code training} section.
     *
     * @param data          training data: CSV, or IDX images ({@code --data})
     * @param dataLabels    IDX labels for {@code data} ({@code --labels})
     * @param testData      separate test data ({@code --test-data})
     * @param testLabels    IDX labels for {@code testData} ({@code --test-labels})
     * @param testSplit     fraction held out for testing ({@code --test-split})
     * @param valSplit      fraction of the training part held out for validation ({@code --val-split})
     * @param epochs        passes over the data ({@code --epochs})
     * @param batchSize     mini-batch size, 0 = full batch ({@code --batch})
     * @param seed          seed of splits, weights and shuffling ({@code --seed})
     * @param optimizer     optimiser name ({@code --optimizer})
     * @param learningRate  ({@code --lr})
     * @param momentum      ({@code --momentum})
     * @param weightDecay   ({@code --weight-decay})
     * @param schedule      learning-rate schedule, e.g. {@code cosine} or {@code step(10,0.5)} ({@code --schedule})
     * @param warmup        warm-up epochs ({@code --warmup})
     * @param clipNorm      ({@code --clip-norm})
     * @param clipValue     ({@code --clip-value})
     * @param l1            ({@code --l1})
     * @param l2            ({@code --l2})
     * @param earlyStopping patience in epochs, 0 = off ({@code --early-stopping})
     * @param monitor       what early stopping and the plateau schedule watch ({@code --monitor})
     * @param classWeights  {@code balanced} or comma-separated weights ({@code --class-weights})
     * @param output        the model directory to write ({@code --out})
     */
    public record Training(Path data, Path dataLabels, Path testData, Path testLabels, Double testSplit, Double valSplit,
                           Integer epochs, Integer batchSize, Long seed, String optimizer, Float learningRate, Float momentum,
                           Float weightDecay, String schedule, Integer warmup, Double clipNorm, Double clipValue, Float l1,
                           Float l2, Integer earlyStopping, String monitor, String classWeights, Path output) {

        /** A section with nothing given. */
        public static Training empty() {
            return new Training(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null);
        }

        /**
         * The section as {@code config.json} stores it (keys of the schema, null values left out),
         * with relative paths made relative to {@code baseDir} (the model directory); absolute paths
         * stay absolute.
         */
        public Map<String, Object> toMap(Path baseDir) {
            Map<String, Object> m = new LinkedHashMap<>();
            putPath(m, "data", data, baseDir);
            putPath(m, "data_labels", dataLabels, baseDir);
            putPath(m, "test_data", testData, baseDir);
            putPath(m, "test_labels", testLabels, baseDir);
            put(m, "test_split", testSplit);
            put(m, "val_split", valSplit);
            put(m, "epochs", epochs);
            put(m, "batch_size", batchSize);
            put(m, "seed", seed);
            if (optimizer != null || learningRate != null || momentum != null || weightDecay != null) {
                Map<String, Object> o = new LinkedHashMap<>();
                put(o, "name", optimizer);
                put(o, "learning_rate", learningRate);
                put(o, "momentum", momentum);
                put(o, "weight_decay", weightDecay);
                m.put("optimizer", o);
            }
            put(m, "schedule", schedule);
            put(m, "warmup", warmup);
            put(m, "clip_norm", clipNorm);
            put(m, "clip_value", clipValue);
            put(m, "l1", l1);
            put(m, "l2", l2);
            put(m, "early_stopping", earlyStopping);
            put(m, "monitor", monitor);
            put(m, "class_weights", classWeights);
            putPath(m, "output", output, baseDir);
            return m;
        }

        private static void put(Map<String, Object> m, String key, Object value) {
            if (value != null) m.put(key, value);
        }

        private static void putPath(Map<String, Object> m, String key, Path p, Path baseDir) {
            if (p == null) return;
            // a path given as absolute stays absolute; a relative one becomes relative to the model directory
            String text = p.toString();
            if (!p.isAbsolute() && baseDir != null) {
                text = baseDir.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString();
            }
            m.put(key, text.replace('\\', '/'));
        }
    }

    /** Keys of a model's {@code config.json} that describe a fitted model: accepted and ignored. */
    private static final Set<String> MODEL_ONLY = Set.of("format", "format_version", "ganglion_version", "classes", "label_classes");
    private static final Set<String> TOP = Set.of("inputs", "label", "labels", "categorical", "imputation",
            "layers", "loss", "preprocessing", "training");
    /** Result figures a saved model's {@code training} section holds: accepted and ignored. */
    private static final Set<String> TRAINING_RESULTS = Set.of("train_loss", "train_accuracy", "test_loss",
            "test_accuracy", "seconds");
    private static final Set<String> TRAINING = Set.of("results", "data", "data_labels", "test_data", "test_labels",
            "test_split", "val_split", "epochs", "batch_size", "seed", "optimizer", "schedule", "warmup", "clip_norm",
            "clip_value", "l1", "l2", "early_stopping", "monitor", "class_weights", "output");

    /**
     * Reads a run configuration: YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}, or text
     * starting with '{'), strictly: an unknown key, a value of the wrong type or an invalid value
     * fails with a {@link ConfigException} naming the key path and the line.
     */
    public static RunConfig read(Path file) {
        ConfigTree t = ConfigTree.read(file);
        JsonNode root = t.root();
        t.checkKeys(root, "", TOP, MODEL_ONLY);
        if (root.has("format") && !t.text(root.get("format"), "format").equals("ganglion-model")) {
            throw t.error("format", "is \"" + root.get("format").asText() + "\", expected \"ganglion-model\"");
        }
        if (root.has("format_version")) {
            long v = t.integer(root.get("format_version"), "format_version");
            if (v < 1 || v > ModelStore.FORMAT_VERSION) {
                throw t.error("format_version", "is " + v + "; this Ganglion reads version " + ModelStore.FORMAT_VERSION);
            }
        }
        Path base = file.getParent();
        List<String> inputs = has(root, "inputs") ? t.strings(root.get("inputs"), "inputs") : null;
        if (has(root, "label") && has(root, "labels")) {
            throw t.error("labels", "and \"label\" are both given; one label is \"label\", several are \"labels\"");
        }
        List<String> labels = has(root, "label") ? t.stringOrStrings(root.get("label"), "label")
                : has(root, "labels") ? t.stringOrStrings(root.get("labels"), "labels") : null;
        List<String> categorical = has(root, "categorical") ? categorical(t, root.get("categorical")) : null;
        String impute = has(root, "imputation") ? imputation(t, root.get("imputation")) : null;
        List<Layer> layers = has(root, "layers") ? layers(t, root.get("layers")) : null;
        String loss = has(root, "loss") ? parsed(t, root.get("loss"), "loss", Loss::parse) : null;
        Float scale = null;
        String normalize = null;
        if (has(root, "preprocessing")) {
            JsonNode p = root.get("preprocessing");
            String type;
            if (p.isTextual()) {
                type = p.asText();
            } else {
                t.object(p, "preprocessing");
                t.checkKeys(p, "preprocessing", Set.of("type", "divisor", "min", "max", "mean", "std"));
                type = has(p, "type") ? t.text(p.get("type"), "preprocessing.type") : null;
                if (type == null) throw t.error("preprocessing", "needs \"type\": none, divide, minmax or standard");
            }
            String path = p.isTextual() ? "preprocessing" : "preprocessing.type";
            switch (type) {
                case "none" -> { }
                case "divide", "scale" -> {
                    if (!p.isObject() || !has(p, "divisor")) throw t.error(path, "\"divide\" needs \"divisor\", e.g. 255");
                    double d = t.number(p.get("divisor"), "preprocessing.divisor");
                    if (!(d > 0) || !Double.isFinite(d)) throw t.error("preprocessing.divisor", "must be > 0, got " + d);
                    scale = (float) d;
                }
                case "minmax", "standard" -> normalize = type;
                default -> throw t.error(path, "\"" + type + "\" is not one of none, divide, minmax, standard");
            }
        }
        Training training = has(root, "training") ? training(t, root.get("training"), base) : Training.empty();
        return new RunConfig(file, inputs, labels, categorical, impute, layers, loss, scale, normalize, training);
    }

    private static boolean has(JsonNode node, String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    private static <T> String parsed(ConfigTree t, JsonNode v, String path, Function<String, T> parser) {
        String text = t.text(v, path);
        try {
            parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw t.error(path, "is invalid: " + e.getMessage());
        }
        return text;
    }

    private static List<String> categorical(ConfigTree t, JsonNode v) {
        if (v.isObject()) {          // a saved model's {column: [categories]}: the columns; categories come from the data again
            List<String> columns = new ArrayList<>();
            for (var it = v.fieldNames(); it.hasNext(); ) {
                String c = it.next();
                t.strings(v.get(c), "categorical." + c);
                columns.add(c);
            }
            return columns;
        }
        return t.stringOrStrings(v, "categorical");
    }

    private static String imputation(ConfigTree t, JsonNode v) {
        String path = "imputation";
        if (v.isObject()) {
            t.checkKeys(v, path, Set.of("strategy", "values"));
            if (!has(v, "strategy")) throw t.error(path, "needs \"strategy\": mean, median or most_frequent");
            if (has(v, "values")) t.object(v.get("values"), "imputation.values");
            v = v.get("strategy");
            path = "imputation.strategy";
        }
        return parsed(t, v, path, Imputer.Strategy::parse);
    }

    private static List<Layer> layers(ConfigTree t, JsonNode v) {
        if (v.isTextual()) {
            try {
                return Layer.parseList(v.asText(), null);
            } catch (IllegalArgumentException e) {
                throw t.error("layers", "is invalid: " + e.getMessage());
            }
        }
        if (!v.isArray()) throw t.error("layers", "must be a list of layers, e.g. [{units: 3, activation: relu}, {units: 1, activation: sigmoid}]");
        if (v.isEmpty()) throw t.error("layers", "is empty");
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String path = "layers[" + i + "]";
            JsonNode l = v.get(i);
            if (l.isTextual()) {
                try {
                    out.add(Layer.parse(l.asText().strip(), null));
                } catch (IllegalArgumentException e) {
                    throw t.error(path, "is invalid: " + e.getMessage());
                }
                continue;
            }
            t.object(l, path);
            String type = has(l, "type") ? t.text(l.get("type"), path + ".type") : has(l, "units") ? "dense" : null;
            if (type == null) throw t.error(path, "needs \"units\" (a dense layer) or \"type\": dense, dropout, batchnorm, layernorm");
            switch (type) {
                case "dense" -> {
                    t.checkKeys(l, path, Set.of("type", "units", "activation", "init"));
                    if (!has(l, "units")) throw t.error(path, "a dense layer needs \"units\"");
                    int units = t.integer32(l.get("units"), path + ".units");
                    if (units < 1 || units > 1_000_000) throw t.error(path + ".units", "must be between 1 and 1000000, got " + units);
                    Activation a = new Activation.Linear();
                    if (has(l, "activation")) {
                        String text = t.text(l.get("activation"), path + ".activation");
                        try {
                            a = Activation.parse(text);
                        } catch (IllegalArgumentException e) {
                            throw t.error(path + ".activation", "is invalid: " + e.getMessage());
                        }
                    }
                    Initializer init = Initializer.defaultFor(a);
                    if (has(l, "init")) {
                        String text = t.text(l.get("init"), path + ".init");
                        try {
                            init = Initializer.parse(text);
                        } catch (IllegalArgumentException e) {
                            throw t.error(path + ".init", "is invalid: " + e.getMessage());
                        }
                    }
                    out.add(new LayerSpec(units, a, init));
                }
                case "dropout" -> {
                    t.checkKeys(l, path, Set.of("type", "rate"));
                    double rate = has(l, "rate") ? t.number(l.get("rate"), path + ".rate") : 0.5;
                    if (!(rate >= 0 && rate < 1)) throw t.error(path + ".rate", "must be in [0, 1), got " + rate);
                    out.add(new Layer.Dropout((float) rate));
                }
                case "batchnorm", "layernorm" -> {
                    t.checkKeys(l, path, Set.of("type"));
                    out.add(type.equals("batchnorm") ? new Layer.BatchNorm() : new Layer.LayerNorm());
                }
                default -> throw t.error(path + ".type", "\"" + type + "\" is not a layer type (dense, dropout, batchnorm, layernorm)");
            }
        }
        if (!(out.getLast() instanceof LayerSpec)) throw t.error("layers[" + (v.size() - 1) + "]", "the last layer must be dense (units, activation)");
        return out;
    }

    private static Training training(ConfigTree t, JsonNode v, Path base) {
        t.object(v, "training");
        t.checkKeys(v, "training", TRAINING, TRAINING_RESULTS);
        // a config.json written before run configurations existed: "data" was relative to the
        // working directory, "optimizer" a description such as "adam(lr=0.05, beta1=0.9, ...)"
        boolean legacy = !v.has("results") && v.has("train_loss");
        Path dataBase = legacy ? null : base;
        Path data = path(t, v, "data", dataBase);
        Path dataLabels = path(t, v, "data_labels", base);
        Path testData = path(t, v, "test_data", base);
        Path testLabels = path(t, v, "test_labels", base);
        Double testSplit = fraction(t, v, "test_split");
        Double valSplit = fraction(t, v, "val_split");
        Integer epochs = has(v, "epochs") ? t.integer32(v.get("epochs"), "training.epochs") : null;
        if (epochs != null && epochs < 1) throw t.error("training.epochs", "must be >= 1, got " + epochs);
        Integer batch = has(v, "batch_size") ? t.integer32(v.get("batch_size"), "training.batch_size") : null;
        if (batch != null && batch < 0) throw t.error("training.batch_size", "must be >= 0 (0 = full batch), got " + batch);
        Long seed = has(v, "seed") ? t.integer(v.get("seed"), "training.seed") : null;
        String optimizer = null;
        Float lr = null, momentum = null, weightDecay = null;
        if (has(v, "optimizer")) {
            JsonNode o = v.get("optimizer");
            if (o.isTextual()) {
                String text = o.asText().strip();
                if (legacy && text.contains("(")) {
                    optimizer = text.substring(0, text.indexOf('('));
                    var m = java.util.regex.Pattern.compile("lr=([0-9.eE+-]+)").matcher(text);
                    if (m.find()) lr = Float.parseFloat(m.group(1));
                } else {
                    optimizer = text;
                }
            } else {
                t.object(o, "training.optimizer");
                t.checkKeys(o, "training.optimizer", Set.of("name", "learning_rate", "momentum", "weight_decay"));
                optimizer = has(o, "name") ? t.text(o.get("name"), "training.optimizer.name") : null;
                lr = positive(t, o, "learning_rate", "training.optimizer.learning_rate");
                momentum = has(o, "momentum") ? (float) t.number(o.get("momentum"), "training.optimizer.momentum") : null;
                weightDecay = has(o, "weight_decay") ? (float) t.number(o.get("weight_decay"), "training.optimizer.weight_decay") : null;
                if (weightDecay != null && weightDecay < 0) throw t.error("training.optimizer.weight_decay", "must be >= 0, got " + weightDecay);
            }
        }
        String schedule = has(v, "schedule") ? t.text(v.get("schedule"), "training.schedule") : null;
        Integer warmup = has(v, "warmup") ? t.integer32(v.get("warmup"), "training.warmup") : null;
        Double clipNorm = has(v, "clip_norm") ? t.number(v.get("clip_norm"), "training.clip_norm") : null;
        Double clipValue = has(v, "clip_value") ? t.number(v.get("clip_value"), "training.clip_value") : null;
        Float l1 = has(v, "l1") ? (float) t.number(v.get("l1"), "training.l1") : null;
        Float l2 = has(v, "l2") ? (float) t.number(v.get("l2"), "training.l2") : null;
        Integer patience = null;
        String monitor = has(v, "monitor") ? t.text(v.get("monitor"), "training.monitor") : null;
        if (has(v, "early_stopping")) {
            JsonNode e = v.get("early_stopping");
            if (e.isObject()) {
                t.checkKeys(e, "training.early_stopping", Set.of("patience", "monitor"));
                if (!has(e, "patience")) throw t.error("training.early_stopping", "needs \"patience\" (epochs)");
                patience = t.integer32(e.get("patience"), "training.early_stopping.patience");
                if (has(e, "monitor")) {
                    if (monitor != null) throw t.error("training.early_stopping.monitor", "and \"training.monitor\" are both given");
                    monitor = t.text(e.get("monitor"), "training.early_stopping.monitor");
                }
            } else {
                patience = t.integer32(e, "training.early_stopping");
            }
            if (patience < 0) throw t.error("training.early_stopping", "must be >= 0 epochs, got " + patience);
        }
        String classWeights = null;
        if (has(v, "class_weights")) {
            JsonNode c = v.get("class_weights");
            if (c.isArray()) {
                List<String> w = new ArrayList<>();
                for (int i = 0; i < c.size(); i++) w.add(Double.toString(t.number(c.get(i), "training.class_weights[" + i + "]")));
                classWeights = String.join(",", w);
            } else {
                classWeights = t.text(c, "training.class_weights");
            }
        }
        Path output = path(t, v, "output", base);
        if (has(v, "results")) t.object(v.get("results"), "training.results");
        return new Training(data, dataLabels, testData, testLabels, testSplit, valSplit, epochs, batch, seed, optimizer, lr,
                momentum, weightDecay, schedule, warmup, clipNorm, clipValue, l1, l2, patience, monitor, classWeights, output);
    }

    private static Path path(ConfigTree t, JsonNode v, String key, Path base) {
        if (!has(v, key)) return null;
        String text = t.text(v.get(key), "training." + key);
        if (text.isBlank()) throw t.error("training." + key, "is empty");
        Path p = Path.of(text);
        return base == null || p.isAbsolute() ? p : base.resolve(p).normalize();
    }

    private static Double fraction(ConfigTree t, JsonNode v, String key) {
        if (!has(v, key)) return null;
        double f = t.number(v.get(key), "training." + key);
        if (f < 0 || f >= 1) throw t.error("training." + key, "must be in [0, 1), got " + f);
        return f;
    }

    private static Float positive(ConfigTree t, JsonNode o, String key, String path) {
        if (!has(o, key)) return null;
        double x = t.number(o.get(key), path);
        if (!(x > 0)) throw t.error(path, "must be > 0, got " + x);
        return (float) x;
    }
}
