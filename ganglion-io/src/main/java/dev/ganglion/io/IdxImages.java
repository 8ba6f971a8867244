package dev.ganglion.io;

import java.nio.file.Path;

/**
 * Streams the images of an IDX image file (MNIST's {@code *-images-idx3-ubyte}, plain or gzip) in
 * batches, so a training loop holds only the batch it works on.
 *
 * <p>The file is magic number 2051 ({@code 00 00 08 03}: unsigned bytes, 3 dimensions), then the
 * image count, rows and columns as big-endian 32-bit integers, then {@code count × rows × cols}
 * pixel bytes, row-major, image after image. Gzip is recognised by its first two bytes
 * ({@code 1f 8b}), not by the file name.
 *
 * <p>The file is treated as untrusted: the magic number, the dimensions (each side 1 to
 * {@link #MAX_SIDE}) and the length (truncated or overlong data) are checked, and every problem is
 * a {@link DataFormatException} whose one-line message names the file. A plain file's length is
 * checked on opening; a gzip file's as it is read. Not thread-safe.
 *
 * <pre>{@code
 * try (IdxImages images = IdxImages.open(path)) {
 *     for (float[] batch; (batch = images.readBatch(64)).length > 0; ) { ... }
 * }
 * }</pre>
 */
public final class IdxImages implements AutoCloseable {
    /** IDX magic number of an image file: unsigned bytes in 3 dimensions. */
    public static final int MAGIC = 2051;

    /** Largest number of rows or columns accepted; MNIST has 28. */
    public static final int MAX_SIDE = 4096;

    private static final int CHUNK_BYTES = 1 << 16;

    private final IdxInput input;
    private byte[] scratch;

    private IdxImages(IdxInput input) {
        this.input = input;
    }

    /**
     * Opens an image file and reads its header.
     *
     * @throws DataFormatException if the file is missing or unreadable, is not IDX images, has
     *     dimensions outside the limits, or (plain files) is shorter or longer than the header says
     */
    public static IdxImages open(Path file) {
        return new IdxImages(IdxInput.open(file, 3, "image", "label", MAX_SIDE, MAX_SIDE));
    }

    /** The file being read. */
    public Path file() {
        return input.file();
    }

    /** Number of images the header announces. */
    public int count() {
        return input.count();
    }

    /** Rows of every image. */
    public int rows() {
        return input.dim(1);
    }

    /** Columns of every image. */
    public int cols() {
        return input.dim(2);
    }

    /** Pixels per image, {@code rows() * cols()}. */
    public int pixels() {
        return input.itemBytes();
    }

    /** Images read or skipped so far. */
    public int position() {
        return input.position();
    }

    /** Images not yet read. */
    public int remaining() {
        return input.remaining();
    }

    /**
     * Reads the next {@code min(n, remaining())} images as raw pixel values 0..255, row-major, one
     * image after another: {@code k * pixels()} floats. Returns an empty array at the end.
     *
     * @throws DataFormatException if the data ends early, is corrupt gzip, or goes on past the
     *     announced images (checked when the last image is read)
     */
    public float[] readBatch(int n) {
        int k = input.take(n, "readBatch");
        int len = k * pixels();
        float[] out = new float[len];
        byte[] buf = scratch(Math.min(len, CHUNK_BYTES));
        for (int done = 0; done < len; ) {
            int step = Math.min(buf.length, len - done);
            input.readFully(buf, 0, step);
            for (int i = 0; i < step; i++) {
                out[done + i] = buf[i] & 0xff;
            }
            done += step;
        }
        return out;
    }

    /** As {@link #readBatch}, but the raw bytes (read them as {@code b & 0xff}); a quarter of the memory. */
    byte[] readBatchBytes(int n) {
        int k = input.take(n, "readBatch");
        byte[] out = new byte[k * pixels()];
        input.readFully(out, 0, out.length);
        return out;
    }

    /**
     * Skips the next {@code min(n, remaining())} images (they are still read and checked) and
     * returns how many were skipped.
     */
    public int skip(int n) {
        int k = input.clamp(n, "skip");
        input.skip((long) k * pixels(), scratch(CHUNK_BYTES));
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
