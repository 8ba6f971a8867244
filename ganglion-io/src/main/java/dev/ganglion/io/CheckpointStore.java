package dev.ganglion.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ganglion.Ganglion;
import dev.ganglion.model.Model;
import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.TrainingState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Training checkpoints on disk. A checkpoint is a directory named {@code epoch-000012} (after 12
 * epochs) or {@code epoch-000012-batch-000040} (40 batches into epoch 13) inside a checkpoint
 * directory, holding:
 * <ul>
 *   <li>{@code config.json} and {@code model.safetensors}: the model as {@link ModelStore} writes it
 *       (weights and buffers), so a checkpoint is also a usable model directory;</li>
 *   <li>{@code training_state.safetensors}: the float tensors of the training state (optimiser
 *       moments, early stopping's best weights), named {@code part/key};</li>
 *   <li>{@code checkpoint.json}: the command-line arguments of the run, the position, the history,
 *       and the numbers of the training state (step counts, learning rates, L-BFGS pairs), exact.</li>
 * </ul>
 * A checkpoint is written into a hidden temporary directory ({@code .tmp-...}), every file flushed
 * to disk, the directory flushed, then renamed into place and the parent flushed: a crash at any
 * moment leaves either no new checkpoint or a complete one. Readers ignore hidden entries.
 */
public final class CheckpointStore {
    /** The file with the run's arguments, position, history and numeric state. */
    public static final String META_FILE = "checkpoint.json";
    /** The file with the training state's tensors. */
    public static final String STATE_FILE = "training_state.safetensors";
    /** The version of the checkpoint format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    private static final long MAX_META_BYTES = 256_000_000L;
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{6,9})(?:-batch-(\\d{6,9}))?");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointStore() {
    }

    /** What a checkpoint holds besides the model. */
    public record Checkpoint(Path dir, List<String> arguments, String workingDirectory, TrainingState state) {
        public Checkpoint {
            arguments = List.copyOf(arguments);
        }
    }

    /** The directory name of the checkpoint at {@code epoch} epochs and {@code batch} batches. */
    public static String name(int epoch, int batch) {
        return String.format(Locale.ROOT, batch == 0 ? "epoch-%06d" : "epoch-%06d-batch-%06d", epoch, batch);
    }

    /**
     * Writes a checkpoint into {@code parent} (created if needed), atomically, and then removes the
     * complete checkpoints before it except the {@code keep} newest, this one included (0: keep all).
     * Returns its directory.
     */
    public static Path write(Path parent, Model model, Map<String, Object> trainingInfo, List<String> arguments,
                             String workingDirectory, TrainingState state, int keep) {
        Path target = parent.resolve(name(state.epoch(), state.batch()));
        Path tmp = parent.resolve(".tmp-" + target.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(parent);
            Files.createDirectory(tmp);
            ModelStore.save(model, tmp, trainingInfo);
            Map<String, FloatTensorData> tensors = new LinkedHashMap<>();
            state.parts().forEach((part, s) -> s.tensors().forEach((k, t) ->
                    tensors.put(part + "/" + k, new FloatTensorData(t.shape().dims(), t.data().clone()))));
            SafeTensors.write(tmp.resolve(STATE_FILE), tensors, Map.of("format", "ganglion-training-state"));
            writeSynced(tmp.resolve(META_FILE), JSON.writeValueAsBytes(meta(arguments, workingDirectory, state)));
            sync(tmp);
            if (Files.exists(target)) remove(target);   // a resumed run passing the same point again
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            sync(parent);
        } catch (IOException e) {
            deleteTree(tmp);
            throw new ModelFormatException(target, null, "cannot write the checkpoint: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        if (keep > 0) {
            // the keep newest up to this one; newer ones, left by a run resumed from further back, stay
            long here = position(target);
            List<Path> upToHere = list(parent).stream().filter(p -> position(p) <= here).toList();
            for (Path old : upToHere.subList(0, Math.max(0, upToHere.size() - keep))) remove(old);
        }
        cleanTemporaries(parent, tmp);
        return target;
    }

    /** The complete checkpoints in {@code parent}, oldest first (empty if there are none). */
    public static List<Path> list(Path parent) {
        if (!Files.isDirectory(parent)) return List.of();
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            for (Path p : ds) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p.resolve(META_FILE))) out.add(p);
            }
        } catch (IOException e) {
            throw new ModelFormatException(parent, null, "cannot list the checkpoints: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(CheckpointStore::position));
        return out;
    }

    /** The newest complete checkpoint in {@code parent}. */
    public static Optional<Path> latest(Path parent) {
        List<Path> all = list(parent);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    private static long position(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) throw new IllegalStateException(p.toString());
        return Long.parseLong(m.group(1)) * 1_000_000_000L + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    }

    // ------------------------------------------------------------------ write

    private static ObjectNode meta(List<String> arguments, String workingDirectory, TrainingState state) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "ganglion-checkpoint");
        root.put("format_version", FORMAT_VERSION);
        root.put("ganglion_version", Ganglion.version());
        root.put("created", Instant.now().toString());
        root.put("working_directory", workingDirectory);
        arguments.forEach(root.putArray("arguments")::add);
        root.put("epoch", state.epoch());
        root.put("batch", state.batch());
        ArrayNode history = root.putArray("history");
        for (EpochStats e : state.history()) {
            ObjectNode h = history.addObject();
            h.put("epoch", e.epoch());
            number(h, "train_loss", e.trainLoss());
            number(h, "train_accuracy", e.trainAccuracy());
            number(h, "validation_loss", e.validationLoss());
            number(h, "validation_accuracy", e.validationAccuracy());
            number(h, "learning_rate", e.learningRate());
            number(h, "seconds", e.seconds());
        }
        ObjectNode parts = root.putObject("state");
        state.parts().forEach((name, s) -> {
            ObjectNode p = parts.putObject(name);
            p.put("kind", s.kind());
            ArrayNode tensors = p.putArray("tensors");
            s.tensors().keySet().forEach(tensors::add);
            ObjectNode numbers = p.putObject("numbers");
            s.numbers().forEach((k, values) -> {
                ArrayNode a = numbers.putArray(k);
                for (double v : values) add(a, v);
            });
        });
        return root;
    }

    /** Finite numbers as JSON numbers (which round-trip exactly), the others as "NaN", "Infinity", "-Infinity". */
    private static void add(ArrayNode a, double v) {
        if (Double.isFinite(v)) a.add(v);
        else a.add(Double.toString(v));
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.put(key, Double.toString(v));
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
    }

    private static void sync(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: not every platform can open a directory
        }
    }

    /** Renames {@code dir} to a hidden name (atomic), then deletes it: it never looks complete while half gone. */
    private static void remove(Path dir) {
        Path trash = dir.resolveSibling(".trash-" + dir.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelFormatException(dir, null, "cannot remove the old checkpoint: " + e.getMessage(), e);
        }
        deleteTree(trash);
    }

    /** Deletes hidden leftovers of writes or removals that a crash interrupted (not {@code current}). */
    private static void cleanTemporaries(Path parent, Path current) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(".tmp-epoch-") || n.startsWith(".trash-epoch-");
        })) {
            for (Path p : ds) if (!p.equals(current)) deleteTree(p);
        } catch (IOException e) {
            // leftovers are harmless: readers ignore hidden entries
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }

    // ------------------------------------------------------------------ read

    /**
     * Reads and validates the checkpoint in {@code dir} (not the model, which {@link ModelStore#load}
     * reads from the same directory).
     *
     * @throws ModelFormatException naming the file and key when anything is missing or malformed
     */
    public static Checkpoint read(Path dir) {
        Path file = dir.resolve(META_FILE);
        JsonNode root;
        try {
            if (!Files.isRegularFile(file)) throw new ModelFormatException(file, null, "no such file (not a checkpoint directory)");
            if (Files.size(file) > MAX_META_BYTES) throw new ModelFormatException(file, null, "is larger than " + MAX_META_BYTES + " bytes");
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, null, "invalid JSON" + ModelStore.where(e) + ": " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, null, "no such file", e);
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "cannot read: " + e.getMessage(), e);
        }
        Fields f = new Fields(file);
        if (root == null || !root.isObject()) f.fail("", "the file must hold a JSON object");
        if (!"ganglion-checkpoint".equals(f.text(root, "format"))) f.fail("format", "must be \"ganglion-checkpoint\"");
        int version = f.integer(root, "format_version");
        if (version != FORMAT_VERSION) f.fail("format_version", "is " + version + "; this Ganglion reads version " + FORMAT_VERSION);
        String cwd = f.text(root, "working_directory");
        List<String> args = new ArrayList<>();
        JsonNode a = f.array(root, "arguments");
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isTextual()) f.fail("arguments[" + i + "]", "must be a string");
            args.add(a.get(i).asText());
        }
        int epoch = f.integer(root, "epoch"), batch = f.integer(root, "batch");
        if (epoch < 0 || batch < 0) f.fail("epoch", "and \"batch\" must be >= 0");
        JsonNode h = f.array(root, "history");
        if (h.size() != epoch) f.fail("history", "has " + h.size() + " epochs, expected " + epoch);
        List<EpochStats> history = new ArrayList<>();
        for (int i = 0; i < h.size(); i++) {
            JsonNode e = h.get(i);
            String at = "history[" + i + "].";
            if (!e.isObject()) f.fail("history[" + i + "]", "must be an object");
            int n = f.integer(e, "epoch", at);
            if (n != i + 1) f.fail(at + "epoch", "is " + n + ", expected " + (i + 1));
            history.add(new EpochStats(n, f.number(e, "train_loss", at), f.number(e, "train_accuracy", at),
                    f.number(e, "validation_loss", at), f.number(e, "validation_accuracy", at),
                    f.number(e, "learning_rate", at), f.number(e, "seconds", at)));
        }
        Path stateFile = dir.resolve(STATE_FILE);
        SafeTensorsFile tensorFile = SafeTensors.read(stateFile);
        Map<String, FloatTensorData> tensors = new LinkedHashMap<>(tensorFile.tensors());
        JsonNode partsNode = f.object(root, "state");
        Map<String, StateDict> parts = new LinkedHashMap<>();
        for (var it = partsNode.properties().iterator(); it.hasNext(); ) {
            var entry = it.next();
            String name = entry.getKey(), at = "state." + name + ".";
            JsonNode p = entry.getValue();
            if (!p.isObject()) f.fail("state." + name, "must be an object");
            String kind = f.text(p, "kind", at);
            if (kind.isEmpty()) f.fail(at + "kind", "is empty");
            Map<String, Tensor> ts = new LinkedHashMap<>();
            JsonNode names = f.array(p, "tensors", at);
            for (int i = 0; i < names.size(); i++) {
                if (!names.get(i).isTextual()) f.fail(at + "tensors[" + i + "]", "must be a string");
                String key = name + "/" + names.get(i).asText();
                FloatTensorData t = tensors.remove(key);
                if (t == null) throw new ModelFormatException(stateFile, key, "is listed in " + META_FILE + " but missing");
                ts.put(names.get(i).asText(), Tensor.of(t.data(), t.shape()));
            }
            Map<String, double[]> numbers = new LinkedHashMap<>();
            JsonNode nums = f.object(p, "numbers", at);
            for (var ni = nums.properties().iterator(); ni.hasNext(); ) {
                var ne = ni.next();
                if (!ne.getValue().isArray()) f.fail(at + "numbers." + ne.getKey(), "must be an array of numbers");
                double[] values = new double[ne.getValue().size()];
                for (int i = 0; i < values.length; i++) values[i] = f.value(ne.getValue().get(i), at + "numbers." + ne.getKey() + "[" + i + "]");
                numbers.put(ne.getKey(), values);
            }
            parts.put(name, new StateDict(kind, ts, numbers));
        }
        if (!tensors.isEmpty()) {
            throw new ModelFormatException(stateFile, tensors.keySet().iterator().next(), "is not listed in " + META_FILE);
        }
        return new Checkpoint(dir, args, cwd, new TrainingState(epoch, batch, history, parts));
    }

    /** Typed access to JSON fields; failures name the file and the key path. */
    private record Fields(Path file) {
        void fail(String key, String problem) {
            throw new ModelFormatException(file, null, (key.isEmpty() ? "" : "\"" + key + "\" ") + problem);
        }

        JsonNode get(JsonNode node, String key, String at) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) fail(at + key, "is missing");
            return v;
        }

        String text(JsonNode node, String key) {
            return text(node, key, "");
        }

        String text(JsonNode node, String key, String at) {
            JsonNode v = get(node, key, at);
            if (!v.isTextual()) fail(at + key, "must be a string");
            return v.asText();
        }

        int integer(JsonNode node, String key) {
            return integer(node, key, "");
        }

        int integer(JsonNode node, String key, String at) {
            JsonNode v = get(node, key, at);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) fail(at + key, "must be an integer, got " + abbreviate(v));
            return v.asInt();
        }

        double number(JsonNode node, String key, String at) {
            return value(get(node, key, at), at + key);
        }

        double value(JsonNode v, String key) {
            if (v.isNumber()) return v.asDouble();
            if (v.isTextual()) {
                switch (v.asText()) {
                    case "NaN" -> { return Double.NaN; }
                    case "Infinity" -> { return Double.POSITIVE_INFINITY; }
                    case "-Infinity" -> { return Double.NEGATIVE_INFINITY; }
                    default -> { }
                }
            }
            fail(key, "must be a number (or \"NaN\", \"Infinity\", \"-Infinity\"), got " + abbreviate(v));
            return 0;
        }

        JsonNode array(JsonNode node, String key) {
            return array(node, key, "");
        }

        JsonNode array(JsonNode node, String key, String at) {
            JsonNode v = get(node, key, at);
            if (!v.isArray()) fail(at + key, "must be an array");
            return v;
        }

        JsonNode object(JsonNode node, String key) {
            return object(node, key, "");
        }

        JsonNode object(JsonNode node, String key, String at) {
            JsonNode v = get(node, key, at);
            if (!v.isObject()) fail(at + key, "must be an object");
            return v;
        }

        private static String abbreviate(JsonNode v) {
            String s = v.toString();
            return s.length() <= 60 ? s : s.substring(0, 57) + "...";
        }
    }
}
