package dev.ganglion.io;

import dev.ganglion.data.Dataset;
import dev.ganglion.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An IDX images file and its labels file read together as {@link Dataset}s: features
 * {@code [n, rows*cols]} of raw pixel values 0..255 (scale them yourself, e.g. with
 * {@code Scaler}), targets {@code [n, 1]} holding the class index. This is the layout of MNIST and
 * of the sets that copy it (Fashion-MNIST, KMNIST).
 *
 * <p>{@link #read(Path, Path, int)} loads the first samples at once; {@link #open(Path, Path)}
 * streams mini-batches. Both check that the two files announce the same count, and everything
 * {@link IdxImages} and {@link IdxLabels} check.
 *
 * <pre>{@code
 * Dataset test = IdxDataset.read(dir.resolve("t10k-images-idx3-ubyte.gz"),
 *                                dir.resolve("t10k-labels-idx1-ubyte.gz"));
 * }</pre>
 */
public final class IdxDataset implements AutoCloseable {
    /** Classes of MNIST (the digits 0 to 9); the default class count. */
    public static final int MNIST_CLASSES = 10;

    /** Most values one tensor can hold (a Java array's limit). */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    /** Bytes of pixels read per step by {@link #read}, so memory follows the data actually present. */
    private static final int CHUNK_BYTES = 1 << 20;

    private final IdxImages images;
    private final IdxLabels labels;

    private IdxDataset(IdxImages images, IdxLabels labels) {
        this.images = images;
        this.labels = labels;
    }

    /** {@link #open(Path, Path, int)} with the 10 classes of MNIST. */
    public static IdxDataset open(Path images, Path labels) {
        return open(images, labels, MNIST_CLASSES);
    }

    /**
     * Opens an images file and its labels file for reading in batches.
     *
     * @param classCount labels must lie in {@code 0..classCount-1} (1 to 256)
     * @throws DataFormatException if either file fails {@link IdxImages#open} or
     *     {@link IdxLabels#open}, or the two counts differ (the message names the labels file)
     */
    public static IdxDataset open(Path images, Path labels, int classCount) {
        Objects.requireNonNull(labels, "labels");
        IdxImages im = IdxImages.open(images);
        try {
            IdxLabels lb = IdxLabels.open(labels, classCount);
            if (lb.count() != im.count()) {
                lb.close();
                throw new DataFormatException(labels, 0, "the header announces " + lb.count() + " labels, but the images file "
                        + images + " announces " + im.count() + " images; the counts must match");
            }
            return new IdxDataset(im, lb);
        } catch (RuntimeException e) {
            im.close();
            throw e;
        }
    }

    /** {@link #read(Path, Path, int, int)} of every sample, with the 10 classes of MNIST. */
    public static Dataset read(Path images, Path labels) {
        return read(images, labels, Integer.MAX_VALUE, MNIST_CLASSES);
    }

    /** {@link #read(Path, Path, int, int)} with the 10 classes of MNIST. */
    public static Dataset read(Path images, Path labels, int maxCount) {
        return read(images, labels, maxCount, MNIST_CLASSES);
    }

    /**
     * Reads the first {@code min(maxCount, count)} samples. Memory is allocated as data arrives,
     * not from the header's count, so a lying header cannot make it allocate more than the file
     * holds. Reading stops after {@code maxCount} samples: the rest of the files is not checked.
     *
     * @param maxCount   the most samples to read (0 or more)
     * @param classCount labels must lie in {@code 0..classCount-1} (1 to 256)
     * @throws DataFormatException as {@link #open(Path, Path, int)} and {@link #readBatch}, or if
     *     the samples asked for hold more values than one tensor can
     */
    public static Dataset read(Path images, Path labels, int maxCount, int classCount) {
        if (maxCount < 0) {
            throw new IllegalArgumentException("IdxDataset.read: maxCount must be >= 0, got " + maxCount);
        }
        try (IdxDataset d = open(images, labels, classCount)) {
            int n = Math.min(maxCount, d.count());
            int pixels = d.images.pixels();
            long values = (long) n * pixels;
            if (values > MAX_VALUES) {
                throw new DataFormatException(images, 0, n + " images of " + d.rows() + "x" + d.cols() + " are "
                        + values + " values, more than one tensor can hold (" + MAX_VALUES
                        + "); read fewer (maxCount) or stream them with IdxDataset.open");
            }
            int perChunk = Math.max(1, CHUNK_BYTES / pixels);
            List<byte[]> pixelChunks = new ArrayList<>();
            List<int[]> labelChunks = new ArrayList<>();
            for (int done = 0; done < n; ) {
                int k = Math.min(perChunk, n - done);
                pixelChunks.add(d.images.readBatchBytes(k));
                labelChunks.add(d.labels.readBatch(k));
                done += k;
            }
            float[] features = new float[(int) values];
            float[] targets = new float[n];
            int p = 0;
            for (byte[] chunk : pixelChunks) {
                for (byte b : chunk) {
                    features[p++] = b & 0xff;
                }
            }
            int t = 0;
            for (int[] chunk : labelChunks) {
                for (int label : chunk) {
                    targets[t++] = label;
                }
            }
            return new Dataset(Tensor.of(features, n, pixels), Tensor.of(targets, n, 1));
        }
    }

    /** Number of samples both headers announce. */
    public int count() {
        return images.count();
    }

    /** Rows of every image. */
    public int rows() {
        return images.rows();
    }

    /** Columns of every image. */
    public int cols() {
        return images.cols();
    }

    /** Labels lie in {@code 0..classCount()-1}. */
    public int classCount() {
        return labels.classCount();
    }

    /** Samples read or skipped so far. */
    public int position() {
        return images.position();
    }

    /** Samples not yet read. */
    public int remaining() {
        return images.remaining();
    }

    /**
     * The next {@code min(n, remaining())} samples, features {@code [k, rows*cols]} of raw pixel
     * values 0..255 and targets {@code [k, 1]} class indices; {@code k = 0} at the end.
     *
     * @throws DataFormatException as {@link IdxImages#readBatch} and {@link IdxLabels#readBatch}
     */
    public Dataset readBatch(int n) {
        float[] pixels = images.readBatch(n);
        int[] classes = labels.readBatch(n);
        float[] targets = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            targets[i] = classes[i];
        }
        return new Dataset(Tensor.of(pixels, classes.length, images.pixels()), Tensor.of(targets, classes.length, 1));
    }

    /** Skips the next {@code min(n, remaining())} samples and returns how many were skipped. */
    public int skip(int n) {
        int k = images.skip(n);
        labels.skip(k);
        return k;
    }

    @Override
    public void close() {
        try {
            labels.close();
        } finally {
            images.close();
        }
    }
}
