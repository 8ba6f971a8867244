package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.io.IdxDataset;
import dev.ganglion.io.TabularData;
import dev.ganglion.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads labelled data from the command line's options: a CSV file with a label column, or an
 * IDX images file with an IDX labels file (MNIST's format, gzip or plain).
 */
final class DataSource {
    private DataSource() {
    }

    /** Whether {@code file} is an IDX file (plain or gzip), judged by its first bytes. */
    static boolean isIdx(Path file) {
        try (var raw = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
            raw.mark(4);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            java.io.InputStream in = raw;
            if (b0 == 0x1f && b1 == 0x8b) in = new java.util.zip.GZIPInputStream(raw);
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 0 && head[1] == 0 && (head[2] == 8) && (head[3] == 1 || head[3] == 3);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Coded features of {@code file} for a model with input columns {@code encoding}: IDX images,
     * or the model's columns of a CSV file (categories mapped onto its categories).
     */
    static Tensor features(Path file, FeatureEncoding encoding) {
        if (!java.nio.file.Files.exists(file)) throw new UserError(file + ": no such file");
        if (isIdx(file)) {
            try (dev.ganglion.io.IdxImages images = dev.ganglion.io.IdxImages.open(file)) {
                if (images.pixels() != encoding.columns().size() || !encoding.categories().isEmpty()) {
                    throw new UserError(file + ": images have " + images.pixels() + " pixels, the model expects "
                            + encoding.columns().size() + " inputs" + (encoding.categories().isEmpty() ? "" : ", some of them categorical"));
                }
                int n = images.count();
                return Tensor.of(images.readBatch(n), n, images.pixels());
            }
        }
        return TabularData.readFeatures(file, encoding);
    }

    /** The CSV label columns named by {@code --label a,b,c}. */
    static List<String> labelColumns(String option) {
        List<String> out = new ArrayList<>();
        for (String s : option.split(",", -1)) {
            String name = s.strip();
            if (name.isEmpty()) throw new UserError("--label \"" + option + "\" has an empty column name");
            if (out.contains(name)) throw new UserError("--label \"" + option + "\" names \"" + name + "\" twice");
            out.add(name);
        }
        return out;
    }

    /**
     * @param data              CSV file, or IDX images file when {@code labels} is given
     * @param labels            IDX labels file, or null for CSV
     * @param labelColumns      the CSV label columns (ignored for IDX)
     * @param features          how to read the CSV feature columns (ignored for IDX)
     * @param knownClasses      a saved model's class names, or null to take them from the data
     * @param knownLabelClasses a saved multi-label model's value pairs, or null to take them from the data
     */
    static TabularData.Labeled load(Path data, Path labels, List<String> labelColumns, TabularData.Features features,
                                    TabularData.Target target, List<String> knownClasses, List<List<String>> knownLabelClasses) {
        if (labels == null) {
            if (labelColumns == null) throw new UserError("--label COLUMN is required for CSV data (or give --labels for IDX images)");
            return TabularData.read(data, new TabularData.Labels(labelColumns, target, knownClasses, knownLabelClasses), features);
        }
        if (target == TabularData.Target.VALUE || target == TabularData.Target.MULTI_LABEL) {
            throw new UserError("IDX labels are classes; use a classification loss (ce) and a softmax output");
        }
        Dataset d = IdxDataset.read(data, labels);
        int n = d.size(), pixels = d.featureCount();
        int side = (int) Math.round(Math.sqrt(pixels));
        List<String> names = new ArrayList<>(pixels);
        for (int i = 0; i < pixels; i++) names.add(side * side == pixels ? "pixel_" + i / side + "_" + i % side : "pixel_" + i);
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < IdxDataset.MNIST_CLASSES; c++) classes.add(Integer.toString(c));
        float[] y = d.targets().data();
        if (knownClasses != null) {
            for (int i = 0; i < n; i++) {
                int mapped = knownClasses.indexOf(Integer.toString((int) y[i]));
                if (mapped < 0) throw new UserError(labels + ": label " + (int) y[i] + " is not one of the model's classes " + knownClasses);
                y[i] = mapped;
            }
            classes = knownClasses;
        }
        Tensor targets = d.targets();
        if (target == TabularData.Target.ONE_HOT) {
            int k = classes.size();
            float[] oh = new float[n * k];
            for (int i = 0; i < n; i++) oh[i * k + (int) y[i]] = 1f;
            targets = Tensor.of(oh, n, k);
        }
        return new TabularData.Labeled(new Dataset(d.features(), targets), names, "digit", classes);
    }
}
