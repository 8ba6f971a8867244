package dev.ganglion.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The payload stream of one IDX file of unsigned bytes, plain or gzip-compressed, after its header
 * has been read and checked. Shared by {@link IdxImages} and {@link IdxLabels}, which read whole
 * items (an image, a label) through it. Every problem is a one-line {@link DataFormatException}
 * naming the file.
 *
 * <p>The IDX header is a magic number {@code 00 00 08 d} (element type 0x08 = unsigned byte,
 * {@code d} dimensions) followed by {@code d} big-endian 32-bit sizes, the first of which is the
 * item count. A plain file's length is checked against the header when it is opened; a gzip file's
 * length is known only by decompressing it, so a short one is reported when the read reaches the
 * missing data, and data beyond the announced items when the last item has been read.
 */
final class IdxInput implements Closeable {
    /** IDX element type of unsigned bytes, the only one MNIST-style files use. */
    static final int UNSIGNED_BYTE = 0x08;

    private static final int BUFFER_BYTES = 1 << 16;

    private final Path file;
    private final InputStream in;
    private final boolean gzip;
    private final String noun;
    private final int count;
    private final int[] dims;
    private final int itemBytes;
    private long payloadRead;
    private boolean closed;

    private IdxInput(Path file, InputStream in, boolean gzip, String noun, int[] dims, int itemBytes) {
        this.file = file;
        this.in = in;
        this.gzip = gzip;
        this.noun = noun;
        this.dims = dims;
        this.count = dims[0];
        this.itemBytes = itemBytes;
    }

    /**
     * Opens {@code file}, checks the magic number for {@code rank} dimensions of unsigned bytes and
     * returns the stream positioned at the first item.
     *
     * @param noun    what one item is called in messages ("image", "label")
     * @param limits  for each dimension after the count, the largest size accepted
     */
    static IdxInput open(Path file, int rank, String noun, String otherKind, int... limits) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, 0, "is a directory, not an IDX file");
        }
        InputStream raw;
        long fileSize;
        try {
            raw = Files.newInputStream(file);
            fileSize = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, null, 0, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new DataFormatException(file, 0, null, 0, "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new DataFormatException(file, 0, null, 0, "cannot read: " + describe(e), e);
        }
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = buffered;
            if (gzip) {
                try {
                    in = new GZIPInputStream(buffered, BUFFER_BYTES);
                } catch (EOFException e) {
                    throw new DataFormatException(file, 0, null, 0, "truncated: the file ends inside its gzip header", e);
                } catch (ZipException e) {
                    throw new DataFormatException(file, 0, null, 0, "starts like gzip but is not valid gzip: "
                            + describe(e), e);
                }
            }
            int headerBytes = 4 * (rank + 1);
            byte[] header = new byte[headerBytes];
            readHeader(file, in, header, 0, 4, headerBytes, gzip);
            int magic = readInt(header, 0);
            int expected = (UNSIGNED_BYTE << 8) | rank;
            if (magic != expected) {
                throw new DataFormatException(file, 0, magicProblem(magic, expected, noun, otherKind));
            }
            readHeader(file, in, header, 4, headerBytes - 4, headerBytes, gzip);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = readInt(header, 4 + 4 * i);
            }
            long itemBytes = 1;
            for (int i = 0; i < rank; i++) {
                if (i == 0) {
                    if (dims[0] < 0) {
                        throw new DataFormatException(file, 0, "the header's " + noun + " count "
                                + Integer.toUnsignedString(dims[0]) + " is over the limit of " + Integer.MAX_VALUE);
                    }
                } else {
                    int limit = limits[i - 1];
                    if (dims[i] < 1 || dims[i] > limit) {
                        throw new DataFormatException(file, 0, "the header's " + noun + " size "
                                + sizeText(dims, rank) + " is outside the limits: each side must be 1.."
                                + limit + " (not an IDX " + noun + " file, or a corrupt one)");
                    }
                    itemBytes *= dims[i];
                }
            }
            long expectedSize = headerBytes + (long) dims[0] * itemBytes;
            if (!gzip && fileSize != expectedSize) {
                String announced = dims[0] + " " + plural(noun, dims[0])
                        + (rank > 1 ? " of " + sizeText(dims, rank) : "");
                if (fileSize < expectedSize) {
                    throw new DataFormatException(file, 0, "truncated: the header announces " + announced
                            + ", " + expectedSize + " bytes with the header, but the file has " + fileSize);
                }
                throw new DataFormatException(file, 0, "the file has " + fileSize + " bytes, "
                        + (fileSize - expectedSize) + " more than the header's " + announced + " need ("
                        + expectedSize + ")");
            }
            IdxInput idx = new IdxInput(file, in, gzip, noun, dims, (int) itemBytes);
            if (dims[0] == 0) {
                idx.checkEnd();
            }
            return idx;
        } catch (RuntimeException e) {
            closeQuietly(raw, e);
            throw e;
        } catch (IOException e) {
            closeQuietly(raw, e);
            throw new DataFormatException(file, 0, null, 0, "cannot read: " + describe(e), e);
        }
    }

    /** Reads {@code len} header bytes at {@code off}, reporting a file that ends inside the header. */
    private static void readHeader(Path file, InputStream in, byte[] header, int off, int len, int headerBytes,
            boolean gzip) throws IOException {
        int n;
        try {
            n = in.readNBytes(header, off, len);
        } catch (EOFException e) {
            throw new DataFormatException(file, 0, null, 0, "truncated: the gzip data ends inside the "
                    + headerBytes + "-byte IDX header", e);
        } catch (ZipException e) {
            throw new DataFormatException(file, 0, null, 0, "corrupt gzip data: " + describe(e), e);
        }
        if (n < len) {
            throw new DataFormatException(file, 0, "truncated: the " + (gzip ? "decompressed data" : "file")
                    + " has " + (off + n) + " bytes, less than the " + headerBytes + "-byte IDX header");
        }
    }

    private static String magicProblem(int magic, int expected, String noun, String otherKind) {
        String want = "expected " + expected + " (" + hex(expected) + ") for IDX " + noun + "s";
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if ((magic >>> 16) != 0) {
            return "magic number " + hex(magic) + " is not IDX; " + want;
        }
        if (type == UNSIGNED_BYTE && rank == (otherKind.equals("label") ? 1 : 3)) {
            return "magic number " + magic + " (" + hex(magic) + ") marks an IDX " + otherKind + " file; " + want;
        }
        return "magic number " + magic + " (" + hex(magic) + ": element type " + String.format("0x%02x", type)
                + ", " + rank + " dimensions) is not supported; " + want;
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private static String sizeText(int[] dims, int rank) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < rank; i++) {
            b.append(i > 1 ? "x" : "").append(dims[i]);
        }
        return b.toString();
    }

    private static String plural(String noun, long n) {
        return n == 1 ? noun : noun + "s";
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? Text.oneLine(e.getMessage()) : e.getClass().getSimpleName();
    }

    private static void closeQuietly(InputStream in, Exception primary) {
        try {
            in.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    Path file() {
        return file;
    }

    /** The sizes from the header: the item count first. */
    int dim(int i) {
        return dims[i];
    }

    int count() {
        return count;
    }

    int itemBytes() {
        return itemBytes;
    }

    /** Items read (or skipped) so far. */
    int position() {
        return (int) (payloadRead / itemBytes);
    }

    int remaining() {
        return count - position();
    }

    /**
     * How many items a request for {@code n} gets: {@code min(n, remaining())}, checked to fit one
     * Java array of {@code itemBytes} each.
     */
    int take(int n, String method) {
        int k = clamp(n, method);
        if ((long) k * itemBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(method + ": " + k + " " + plural(noun, k) + " of " + itemBytes
                    + " bytes are more than one array can hold; ask for fewer");
        }
        return k;
    }

    /** {@code min(n, remaining())}, for a request of {@code n} items that need not fit one array. */
    int clamp(int n, String method) {
        if (n < 0) {
            throw new IllegalArgumentException(method + ": count must be >= 0, got " + n);
        }
        ensureOpen();
        return Math.min(n, remaining());
    }

    /**
     * Reads exactly {@code len} payload bytes into {@code dst}; the caller has made sure they are
     * within the announced items. Reports truncation and corrupt gzip data; after the last item,
     * checks that no data follows.
     */
    void readFully(byte[] dst, int off, int len) {
        ensureOpen();
        int n;
        try {
            n = in.readNBytes(dst, off, len);
        } catch (EOFException e) {
            throw truncated(payloadRead, e);
        } catch (ZipException e) {
            throw new DataFormatException(file, 0, null, 0, "corrupt gzip data after " + position() + " "
                    + plural(noun, position()) + ": " + describe(e), e);
        } catch (IOException e) {
            throw new DataFormatException(file, 0, null, 0, "cannot read: " + describe(e), e);
        }
        if (n < len) {
            throw truncated(payloadRead + n, null);
        }
        payloadRead += len;
        if (payloadRead == (long) count * itemBytes) {
            checkEnd();
        }
    }

    /** Discards {@code len} payload bytes, with the same checks as {@link #readFully}. */
    void skip(long len, byte[] scratch) {
        while (len > 0) {
            int step = (int) Math.min(len, scratch.length);
            readFully(scratch, 0, step);
            len -= step;
        }
    }

    private DataFormatException truncated(long bytesRead, Exception cause) {
        long whole = bytesRead / itemBytes;
        String where = bytesRead % itemBytes == 0
                ? "after " + whole + " " + plural(noun, whole)
                : "inside " + noun + " " + whole + " (counting from 0)";
        return new DataFormatException(file, 0, null, 0, "truncated: the header announces " + count + " "
                + plural(noun, count) + " but the " + (gzip ? "decompressed " : "") + "data ends " + where, cause);
    }

    /** After the announced items the data must end (for gzip this also verifies the trailer's CRC). */
    private void checkEnd() {
        int next;
        try {
            next = in.read();
        } catch (EOFException e) {
            throw new DataFormatException(file, 0, null, 0, "truncated: the gzip data ends before its trailer", e);
        } catch (ZipException e) {
            throw new DataFormatException(file, 0, null, 0, "corrupt gzip data: " + describe(e), e);
        } catch (IOException e) {
            throw new DataFormatException(file, 0, null, 0, "cannot read: " + describe(e), e);
        }
        if (next != -1) {
            throw new DataFormatException(file, 0, "the " + (gzip ? "decompressed " : "") + "data goes on after the "
                    + count + " " + plural(noun, count) + " the header announces");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": reader is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot close: " + describe(e), e);
        }
    }
}
