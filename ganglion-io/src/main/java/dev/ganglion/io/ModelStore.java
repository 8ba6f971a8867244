package dev.ganglion.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ganglion.Ganglion;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Imputer;
import dev.ganglion.data.Scaler;
import dev.ganglion.model.Layer;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Initializer;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.History;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a model directory: {@code config.json} (architecture, loss, preprocessing, input
 * and class names, library version; see docs/formats.md) and {@code model.safetensors} (the
 * weights, float32, named {@code layers.<i>.weight} [units, inputs] and {@code layers.<i>.bias}
 * [units]), and beside them the training history {@code history.csv} ({@link HistoryCsv}). The
 * {@code training} section of {@code config.json} is a run configuration ({@link RunConfig}). Each
 * file is written to a temporary file, flushed to disk and renamed into place, so a crash never
 * leaves a half-written model. Loading reads data only and validates it.
 */
public final class ModelStore {
    /** The config file's name inside a model directory. */
    public static final String CONFIG_FILE = "config.json";
    /** The weights file's name inside a model directory. */
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** The version of the config schema this code writes. */
    public static final int FORMAT_VERSION = 1;
    private static final long MAX_CONFIG_BYTES = 10_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() {
    }

    /**
     * Writes {@code model} into {@code dir} (created if needed). {@code training} holds optional
     * facts about the run (optimiser, epochs, metrics) stored under {@code "training"}.
     */
    public static void save(Model model, Path dir, Map<String, Object> training) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ModelFormatException(dir, null, "cannot create the model directory: " + e.getMessage(), e);
        }
        Map<String, FloatTensorData> weights = new LinkedHashMap<>();
        model.network().stateDict().forEach((name, t) ->
                weights.put(name, new FloatTensorData(t.shape().dims(), t.data().clone())));
        SafeTensors.write(dir.resolve(WEIGHTS_FILE), weights, Map.of("format", "pt", "ganglion_version", Ganglion.version()));
        writeAtomically(dir.resolve(CONFIG_FILE), toJson(model, training));
    }

    /** Loads the model stored in {@code dir}, validating the config against the weights. */
    public static Model load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, null, Files.exists(dir) ? "is not a directory" : "no such model directory");
        }
        Path configFile = dir.resolve(CONFIG_FILE);
        Model model = fromJson(configFile, readConfig(configFile));
        SafeTensorsFile weights = SafeTensors.read(dir.resolve(WEIGHTS_FILE));
        Map<String, Tensor> values = new LinkedHashMap<>();
        weights.tensors().forEach((name, t) -> values.put(name, Tensor.of(t.data(), t.shape())));
        try {
            model.network().loadStateDict(values);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(dir.resolve(WEIGHTS_FILE), null, e.getMessage() + " (architecture from " + CONFIG_FILE + ")");
        }
        for (var e : values.entrySet()) {
            if (!e.getValue().isFinite()) {
                throw new ModelFormatException(dir.resolve(WEIGHTS_FILE), e.getKey(), "contains NaN or infinite values");
            }
        }
        return model;
    }

    /**
     * Writes the training history to {@code dir/history.csv} atomically ({@link HistoryCsv});
     * {@code validation} ("val" or "test") names the set the per-epoch validation figures measure.
     */
    public static void saveHistory(Path dir, History history, String validation) {
        HistoryCsv.write(history, validation, dir.resolve(HistoryCsv.FILE));
    }

    /** The training history stored in {@code dir/history.csv}. */
    public static History loadHistory(Path dir) {
        return HistoryCsv.read(dir.resolve(HistoryCsv.FILE));
    }

    /** The raw config of a model directory, e.g. to show it. */
    public static JsonNode readConfig(Path configFile) {
        try {
            if (!Files.isRegularFile(configFile)) {
                throw new ModelFormatException(configFile, null, "no such file");
            }
            if (Files.size(configFile) > MAX_CONFIG_BYTES) {
                throw new ModelFormatException(configFile, null, "is larger than " + MAX_CONFIG_BYTES + " bytes");
            }
            JsonNode root = JSON.readTree(Files.readString(configFile, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw new ModelFormatException(configFile, null, "must hold a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(configFile, null, "invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelFormatException(configFile, null, "cannot read: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ to JSON

    static ObjectNode toJson(Model model, Map<String, Object> training) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "ganglion-model");
        root.put("format_version", FORMAT_VERSION);
        root.put("ganglion_version", Ganglion.version());
        ArrayNode inputs = root.putArray("inputs");
        model.inputNames().forEach(inputs::add);
        FeatureEncoding enc = model.encoding();
        if (!enc.categories().isEmpty()) {
            ObjectNode categorical = root.putObject("categorical");
            enc.categories().forEach((column, categories) -> categories.forEach(categorical.putArray(column)::add));
        }
        if (enc.imputer().isActive()) {
            ObjectNode imputation = root.putObject("imputation");
            imputation.put("strategy", enc.imputer().strategy().configName());
            ObjectNode values = imputation.putObject("values");
            float[] fill = enc.imputer().values();
            for (int j = 0; j < fill.length; j++) {
                if (enc.isCategorical(j)) values.put(enc.columns().get(j), enc.categoriesOf(j).get((int) fill[j]));
                else values.put(enc.columns().get(j), fill[j]);
            }
        }
        if (model.labelNames().size() == 1) {
            root.put("label", model.labelName());
        } else {
            ArrayNode labels = root.putArray("labels");
            model.labelNames().forEach(labels::add);
        }
        ArrayNode classes = root.putArray("classes");
        model.classNames().forEach(classes::add);
        if (model.isMultiLabel()) {
            ObjectNode labelClasses = root.putObject("label_classes");
            for (int j = 0; j < model.labelNames().size(); j++) {
                model.labelClasses().get(j).forEach(labelClasses.putArray(model.labelNames().get(j))::add);
            }
        }
        ArrayNode layers = root.putArray("layers");
        for (Layer l : model.architecture()) {
            ObjectNode layer = layers.addObject();
            switch (l) {
                case LayerSpec d -> {
                    layer.put("type", "dense");
                    layer.put("units", d.units());
                    layer.put("activation", d.activation().name());
                    layer.put("init", d.init().name());
                }
                case Layer.Dropout d -> {
                    layer.put("type", "dropout");
                    layer.put("rate", d.rate());
                }
                case Layer.BatchNorm b -> layer.put("type", "batchnorm");
                case Layer.LayerNorm n -> layer.put("type", "layernorm");
            }
        }
        root.put("loss", model.loss().name());
        root.set("preprocessing", scalerJson(model.scaler()));
        if (training != null && !training.isEmpty()) root.set("training", JSON.valueToTree(training));
        return root;
    }

    private static ObjectNode scalerJson(Scaler scaler) {
        ObjectNode s = JSON.createObjectNode();
        s.put("type", scaler.kind());
        switch (scaler) {
            case Scaler.None n -> { }
            case Scaler.Divide d -> s.put("divisor", d.divisor());
            case Scaler.MinMax m -> {
                floats(s.putArray("min"), m.min());
                floats(s.putArray("max"), m.max());
            }
            case Scaler.Standard st -> {
                floats(s.putArray("mean"), st.mean());
                floats(s.putArray("std"), st.std());
            }
        }
        return s;
    }

    private static void floats(ArrayNode a, float[] values) {
        for (float v : values) a.add(v);
    }

    // ------------------------------------------------------------------ from JSON

    static Model fromJson(Path file, JsonNode root) {
        Reader r = new Reader(file);
        String format = r.text(root, "format");
        if (!format.equals("ganglion-model")) r.fail("format", "is \"" + format + "\", expected \"ganglion-model\"");
        int version = r.integer(root, "format_version");
        if (version != FORMAT_VERSION) {
            r.fail("format_version", "is " + version + "; this Ganglion reads version " + FORMAT_VERSION);
        }
        List<String> inputs = r.strings(root, "inputs");
        if (inputs.isEmpty()) r.fail("inputs", "is empty");
        if (new HashSet<>(inputs).size() != inputs.size()) r.fail("inputs", "repeats a name: " + inputs);
        Map<String, List<String>> categories = root.has("categorical")
                ? categories(r.at("categorical"), r.object(root, "categorical"), inputs) : Map.of();
        FeatureEncoding encoding = new FeatureEncoding(inputs, categories, null);
        if (root.has("imputation")) encoding = encoding.withImputer(imputer(r.at("imputation"), r.object(root, "imputation"), encoding));
        List<String> labels;
        if (root.has("labels")) {
            if (root.has("label")) r.fail("label", "and \"labels\" are both given; one label is \"label\", several are \"labels\"");
            labels = r.strings(root, "labels");
            if (labels.isEmpty()) r.fail("labels", "is empty");
            if (new HashSet<>(labels).size() != labels.size()) r.fail("labels", "repeats a name: " + labels);
        } else {
            labels = List.of(root.has("label") ? r.text(root, "label") : "label");
        }
        List<String> classes = root.has("classes") ? r.strings(root, "classes") : List.of();
        List<List<String>> labelClasses = root.has("label_classes")
                ? labelClasses(r.at("label_classes"), r.object(root, "label_classes"), labels) : List.of();
        JsonNode layersNode = r.array(root, "layers");
        if (layersNode.isEmpty()) r.fail("layers", "is empty");
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layersNode.size(); i++) {
            JsonNode l = layersNode.get(i);
            String path = "layers[" + i + "]";
            if (!l.isObject()) r.fail(path, "must be an object");
            Reader lr = r.at(path);
            String type = lr.text(l, "type");
            switch (type) {
                case "dense" -> {
                    int units = lr.integer(l, "units");
                    if (units <= 0 || units > 1_000_000) lr.fail("units", "must be between 1 and 1000000, got " + units);
                    Activation activation = lr.parse(l, "activation", Activation::parse);
                    Initializer init = l.has("init") ? lr.parse(l, "init", Initializer::parse) : Initializer.defaultFor(activation);
                    layers.add(new LayerSpec(units, activation, init));
                }
                case "dropout" -> {
                    double rate = lr.number(l, "rate");
                    if (!(rate >= 0 && rate < 1)) lr.fail("rate", "must be in [0, 1), got " + rate);
                    layers.add(new Layer.Dropout((float) rate));
                }
                case "batchnorm" -> layers.add(new Layer.BatchNorm());
                case "layernorm" -> layers.add(new Layer.LayerNorm());
                default -> lr.fail("type", "\"" + type + "\" is not a supported layer type (dense, dropout, batchnorm, layernorm)");
            }
        }
        if (!(layers.getLast() instanceof LayerSpec)) r.fail("layers", "must end with a dense layer");
        Loss loss = r.parse(root, "loss", Loss::parse);
        int numeric = encoding.numericColumns().length;
        Scaler scaler = root.has("preprocessing") ? scaler(r.at("preprocessing"), r.object(root, "preprocessing"), numeric)
                : new Scaler.None();
        int out = ((LayerSpec) layers.getLast()).units();
        if (!classes.isEmpty()) {
            if (labels.size() > 1) r.fail("classes", "must be empty with several labels (multi-label models use \"label_classes\")");
            int expected = out == 1 ? 2 : out;
            if (classes.size() != expected) {
                r.fail("classes", "has " + classes.size() + " names but the output layer has " + out
                        + " unit(s), which means " + expected + " classes");
            }
        }
        if (labels.size() > 1 && out != labels.size()) {
            r.fail("labels", "has " + labels.size() + " names but the output layer has " + out + " unit(s), one per label");
        }
        if (!labelClasses.isEmpty() && labels.size() < 2) {
            r.fail("label_classes", "needs several labels (\"labels\")");
        }
        try {
            return new Model(encoding, layers, loss, scaler, labels, classes, labelClasses, 0L);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, null, e.getMessage());
        }
    }

    private static Map<String, List<String>> categories(Reader r, JsonNode node, List<String> inputs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String column = it.next();
            if (!inputs.contains(column)) r.fail(column, "is not one of the inputs " + inputs);
            List<String> categories = r.strings(node, column);
            if (categories.isEmpty()) r.fail(column, "has no categories");
            if (new HashSet<>(categories).size() != categories.size()) r.fail(column, "repeats a category: " + categories);
            for (String c : categories) if (c.isBlank()) r.fail(column, "holds an empty category");
            out.put(column, categories);
        }
        return out;
    }

    private static Imputer imputer(Reader r, JsonNode node, FeatureEncoding encoding) {
        Imputer.Strategy strategy = r.parse(node, "strategy", Imputer.Strategy::parse);
        if (strategy == Imputer.Strategy.NONE) return Imputer.none();
        JsonNode values = r.object(node, "values");
        List<String> columns = encoding.columns();
        Reader vr = r.at("values");
        for (var it = values.fieldNames(); it.hasNext(); ) {
            String column = it.next();
            if (!columns.contains(column)) vr.fail(column, "is not one of the inputs " + columns);
        }
        float[] fill = new float[columns.size()];
        for (int j = 0; j < fill.length; j++) {
            String column = columns.get(j);
            if (encoding.isCategorical(j)) {
                String category = vr.text(values, column);
                int index = encoding.categoriesOf(j).indexOf(category);
                if (index < 0) vr.fail(column, "\"" + category + "\" is not one of the column's categories");
                fill[j] = index;
            } else {
                fill[j] = (float) vr.number(values, column);
                if (!Float.isFinite(fill[j])) vr.fail(column, "must be a finite 32-bit number");
            }
        }
        return new Imputer(strategy, fill);
    }

    private static List<List<String>> labelClasses(Reader r, JsonNode node, List<String> labels) {
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String label = it.next();
            if (!labels.contains(label)) r.fail(label, "is not one of the labels " + labels);
        }
        List<List<String>> out = new ArrayList<>();
        for (String label : labels) {
            List<String> pair = r.strings(node, label);
            if (pair.size() != 2 || pair.get(0).equals(pair.get(1))) {
                r.fail(label, "must hold two different values [negative, positive], got " + pair);
            }
            out.add(pair);
        }
        return out;
    }

    private static Scaler scaler(Reader r, JsonNode s, int inputs) {
        String type = r.text(s, "type");
        return switch (type) {
            case "none" -> new Scaler.None();
            case "divide" -> {
                float d = (float) r.number(s, "divisor");
                if (d == 0f || !Float.isFinite(d)) r.fail("divisor", "must be a non-zero number");
                yield new Scaler.Divide(d);
            }
            case "minmax" -> new Scaler.MinMax(r.floats(s, "min", inputs), r.floats(s, "max", inputs));
            case "standard" -> {
                float[] std = r.floats(s, "std", inputs);
                for (float v : std) if (!(v > 0f)) r.fail("std", "must be positive, got " + v);
                yield new Scaler.Standard(r.floats(s, "mean", inputs), std);
            }
            default -> {
                r.fail("type", "\"" + type + "\" is not one of none, divide, minmax, standard");
                yield null;
            }
        };
    }

    /** Reads typed values and fails with the file and the key path. */
    private record Reader(Path file, String prefix) {
        Reader(Path file) {
            this(file, "");
        }

        Reader at(String path) {
            return new Reader(file, prefix + path + ".");
        }

        void fail(String key, String problem) {
            throw new ModelFormatException(file, null, "\"" + prefix + key + "\" " + problem);
        }

        JsonNode get(JsonNode node, String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) fail(key, "is missing");
            return v;
        }

        String text(JsonNode node, String key) {
            JsonNode v = get(node, key);
            if (!v.isTextual()) fail(key, "must be a string, got " + v.getNodeType().name().toLowerCase());
            return v.asText();
        }

        int integer(JsonNode node, String key) {
            JsonNode v = get(node, key);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) fail(key, "must be an integer, got " + v);
            return v.asInt();
        }

        double number(JsonNode node, String key) {
            JsonNode v = get(node, key);
            if (!v.isNumber()) fail(key, "must be a number, got " + v);
            return v.asDouble();
        }

        JsonNode array(JsonNode node, String key) {
            JsonNode v = get(node, key);
            if (!v.isArray()) fail(key, "must be an array");
            return v;
        }

        JsonNode object(JsonNode node, String key) {
            JsonNode v = get(node, key);
            if (!v.isObject()) fail(key, "must be an object");
            return v;
        }

        List<String> strings(JsonNode node, String key) {
            JsonNode a = array(node, key);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isTextual()) fail(key + "[" + i + "]", "must be a string");
                out.add(a.get(i).asText());
            }
            return out;
        }

        float[] floats(JsonNode node, String key, int expected) {
            JsonNode a = array(node, key);
            if (a.size() != expected) fail(key, "has " + a.size() + " values, expected one per numeric input (" + expected + ")");
            float[] out = new float[a.size()];
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isNumber()) fail(key + "[" + i + "]", "must be a number");
                out[i] = (float) a.get(i).asDouble();
                if (!Float.isFinite(out[i])) fail(key + "[" + i + "]", "must be finite");
            }
            return out;
        }

        <T> T parse(JsonNode node, String key, java.util.function.Function<String, T> parser) {
            String text = text(node, key);
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                fail(key, e.getMessage());
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ atomic writes

    private static void writeAtomically(Path target, JsonNode json) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(target, null, "cannot write: " + e.getMessage(), e);
        }
        writeAtomically(target, bytes);
    }

    /** Writes {@code bytes} to {@code target}: temporary file in the same folder, fsync, atomic rename. */
    static void writeAtomically(Path target, byte[] bytes) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new ModelFormatException(target, null, "cannot write: " + e.getMessage(), e);
        }
    }
}
