package dev.ganglion.serve;

import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Imputer;
import dev.ganglion.data.Scaler;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Models for the server tests: built through the API with seeded random weights, saved with ModelStore. */
final class TestModels {
    private TestModels() {
    }

    /** A 3-3-1 font-colour classifier (inputs red, green, blue scaled by 1/divisor; classes dark, light). */
    static Model font(long seed, float divisor) {
        return new Model(List.of("red", "green", "blue"), LayerSpec.parseList("3:relu,1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.Divide(divisor), "light_font", List.of("dark", "light"), seed);
    }

    /** A 784-256-128-10 digit classifier with random weights. */
    static Model digits(long seed) {
        List<String> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < 784; i++) inputs.add("pixel" + i);
        return new Model(inputs, LayerSpec.parseList("256:relu,128:relu,10:softmax", null), new Loss.CrossEntropy(),
                new Scaler.Divide(255f), "digit", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), seed);
    }

    /** Inputs size, colour (categorical: blue, green, red), price; missing values imputed. */
    static Model shirts(long seed) {
        Map<String, List<String>> cats = new LinkedHashMap<>();
        cats.put("colour", List.of("blue", "green", "red"));
        FeatureEncoding enc = new FeatureEncoding(List.of("size", "colour", "price"), cats,
                new Imputer(Imputer.Strategy.MEDIAN, new float[]{0.5f, 2, 30}));
        return new Model(enc, LayerSpec.parseList("4:relu,1:sigmoid", null), new Loss.BinaryCrossEntropy(),
                new Scaler.Standard(new float[]{0.5f, 30}, new float[]{0.25f, 10}), List.of("bought"), List.of("no", "yes"), List.of(), seed);
    }

    /** Saves {@code model} into {@code dir} and loads it back (what the server will see). */
    static Model save(Model model, Path dir) {
        ModelStore.save(model, dir, Map.of());
        return ModelStore.load(dir);
    }

    /** {@code n} random rows of {@code width} values in [0, scale). */
    static float[][] rows(int n, int width, float scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] rows = new float[n][width];
        for (float[] r : rows) for (int j = 0; j < width; j++) r[j] = (float) Math.floor(rng.nextDouble() * scale);
        return rows;
    }

    /** The model's outputs for {@code rows}, predicted as one batch. */
    static float[][] predict(Model model, float[][] rows) {
        Tensor y = model.predict(Tensor.of(rows));
        int k = y.shape().dim(1);
        float[][] out = new float[rows.length][k];
        for (int i = 0; i < rows.length; i++) System.arraycopy(y.data(), i * k, out[i], 0, k);
        return out;
    }

    /** The JSON body {@code {"inputs": [[...], ...]}} for {@code rows}. */
    static String body(float[][] rows) {
        StringBuilder sb = new StringBuilder("{\"inputs\": [");
        for (int i = 0; i < rows.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append('[');
            for (int j = 0; j < rows[i].length; j++) {
                if (j > 0) sb.append(',');
                sb.append(rows[i][j]);
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }
}
