package dev.ganglion.serve;

import dev.ganglion.io.ModelFormatException;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One loaded, validated version of a served model: immutable once published, so a request holds
 * one consistent model from parsing to its answer. Only the model's batcher thread runs its
 * forward pass (the network object is not meant for concurrent use).
 *
 * @param name          the name in the URL
 * @param dir           the model directory
 * @param model         the model
 * @param weightsSha256 SHA-256 of {@code model.safetensors}, hex
 * @param configSha256  SHA-256 of {@code config.json}, hex
 * @param loadedAt      when this version was loaded
 * @param generation    1 for the first load, +1 per reload
 * @param inputIndex    input column name to its position
 * @param outputNames   one name per output column ({@code p_CLASS}, a label, or {@code output_J})
 */
public record ServedModel(String name, Path dir, Model model, String weightsSha256, String configSha256, Instant loadedAt,
                          long generation, Map<String, Integer> inputIndex, List<String> outputNames) {

    /** The short version string: the first 12 hex digits of the weights' SHA-256. */
    public String version() {
        return weightsSha256.substring(0, 12);
    }

    /** What kind of answers the model gives: {@code classifier}, {@code multi-label} or {@code regression}. */
    public String kind() {
        return model.isMultiLabel() ? "multi-label" : model.isClassifier() ? "classifier" : "regression";
    }

    /**
     * Loads and validates the model in {@code dir}: reads it with {@link ModelStore#load}, runs one
     * forward pass, and checks that neither file changed while it was read (their hashes before
     * and after agree), so a model being replaced is never published half old, half new.
     *
     * @throws ModelFormatException if the directory holds no valid model
     * @throws ModelChangedException if the files changed while they were read (try again later)
     */
    public static ServedModel load(String name, Path dir, long generation) {
        String[] before = hashes(dir);
        Model model = ModelStore.load(dir);
        Tensor probe = model.predict(Tensor.zeros(1, model.inputCount()));
        if (probe.shape().dim(1) != model.outputCount()) {
            throw new ModelFormatException(dir, null, "a test prediction gave shape " + probe.shape());
        }
        String[] after = hashes(dir);
        if (!Arrays.equals(before, after)) throw new ModelChangedException(dir);
        Map<String, Integer> index = IntStream.range(0, model.inputCount()).boxed()
                .collect(Collectors.toUnmodifiableMap(i -> model.inputNames().get(i), Function.identity()));
        return new ServedModel(name, dir, model, before[1], before[0], Instant.now(), generation, index, outputNames(model));
    }

    /** The output column names, as {@code ganglion predict} heads its CSV. */
    static List<String> outputNames(Model model) {
        int k = model.outputCount();
        List<String> labels = model.labelNames();
        List<String> names = new ArrayList<>();
        if (model.isMultiLabel()) {
            for (String l : labels) names.add("p_" + l);
        } else if (k == 1) {
            names.add(model.isClassifier() ? "output" : model.labelName());
        } else {
            for (int j = 0; j < k; j++) {
                names.add(model.isClassifier() ? "p_" + model.classNames().get(j)
                        : labels.size() == k ? labels.get(j) : "output_" + j);
            }
        }
        return List.copyOf(names);
    }

    /** SHA-256 of config.json and model.safetensors (null where a file is missing). */
    private static String[] hashes(Path dir) {
        return new String[]{sha256(dir.resolve(ModelStore.CONFIG_FILE)), sha256(dir.resolve(ModelStore.WEIGHTS_FILE))};
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The model's files changed while they were being read. */
    public static final class ModelChangedException extends RuntimeException {
        ModelChangedException(Path dir) {
            super(dir + ": the model files changed while they were read");
        }
    }
}
