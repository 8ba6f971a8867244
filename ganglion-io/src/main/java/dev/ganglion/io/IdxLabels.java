package dev.ganglion.io;

import java.nio.file.Path;

/**
 * Streams the labels of an IDX label file (MNIST's {@code *-labels-idx1-ubyte}, plain or gzip) in
 * batches.
 *
 * <p>The file is magic number 2049 ({@code 00 00 08 01}: unsigned bytes, 1 dimension), then the
 * label count as a big-endian 32-bit integer, then one byte per label. Gzip is recognised by its
 * first two bytes ({@code 1f 8b}), not by the file name. Each label must be a class index below the
 * class count given to {@link #open(Path, int)} (10 for MNIST); the file is otherwise checked as
 * {@link IdxImages} checks images. Not thread-safe.
 */
public final class IdxLabels implements AutoCloseable {
    /** IDX magic number of a label file: unsigned bytes in 1 dimension. */
    public static final int MAGIC = 2049;

    private static final int CHUNK_BYTES = 1 << 16;

    private final IdxInput input;
    private final int classCount;
    private byte[] scratch;

    private IdxLabels(IdxInput input, int classCount) {
        this.input = input;
        this.classCount = classCount;
    }

    /**
     * Opens a label file and reads its header.
     *
     * @param classCount labels must lie in {@code 0..classCount-1}; 1 to 256 (a label is one byte)
     * @throws DataFormatException if the file is missing or unreadable, is not IDX labels, or (plain
     *     files) is shorter or longer than the header says
     */
    public static IdxLabels open(Path file, int classCount) {
        if (classCount < 1 || classCount > 256) {
            throw new IllegalArgumentException("IdxLabels: class count must be 1..256 (labels are bytes), got "
                    + classCount);
        }
        return new IdxLabels(IdxInput.open(file, 1, "label", "image"), classCount);
    }

    /** The file being read. */
    public Path file() {
        return input.file();
    }

    /** Number of labels the header announces. */
    public int count() {
        return input.count();
    }

    /** Labels are {@code 0..classCount()-1}. */
    public int classCount() {
        return classCount;
    }

    /** Labels read or skipped so far. */
    public int position() {
        return input.position();
    }

    /** Labels not yet read. */
    public int remaining() {
        return input.remaining();
    }

    /**
     * Reads the next {@code min(n, remaining())} labels; an empty array at the end.
     *
     * @throws DataFormatException if a label is not below the class count, or the data ends early,
     *     is corrupt gzip or goes on past the announced labels
     */
    public int[] readBatch(int n) {
        int k = input.take(n, "readBatch");
        int first = input.position();
        int[] out = new int[k];
        byte[] buf = scratch(Math.min(k, CHUNK_BYTES));
        for (int done = 0; done < k; ) {
            int step = Math.min(buf.length, k - done);
            input.readFully(buf, 0, step);
            for (int i = 0; i < step; i++) {
                int label = buf[i] & 0xff;
                if (label >= classCount) {
                    throw new DataFormatException(file(), 0, "label " + (first + done + i) + " (counting from 0) is "
                            + label + ", outside 0.." + (classCount - 1) + " for " + classCount + " classes");
                }
                out[done + i] = label;
            }
            done += step;
        }
        return out;
    }

    /**
     * Skips the next {@code min(n, remaining())} labels (read, not checked against the class count)
     * and returns how many were skipped.
     */
    public int skip(int n) {
        int k = input.clamp(n, "skip");
        input.skip(k, scratch(CHUNK_BYTES));
        return k;
    }

    private byte[] scratch(int atLeast) {
        if (scratch == null || scratch.length < atLeast) {
            scratch = new byte[Math.max(atLeast, 1)];
        }
        return scratch;
    }

    @Override
    public void close() {
        input.close();
    }
}
