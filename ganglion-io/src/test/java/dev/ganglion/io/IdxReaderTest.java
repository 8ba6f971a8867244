package dev.ganglion.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ganglion.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** IdxImages, IdxLabels and IdxDataset on small files built here, plain and gzip, and every error. */
class IdxReaderTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------ file builders

    /** An IDX file: magic, the sizes as big-endian ints, then the payload. */
    private static byte[] idx(int magic, int[] sizes, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * sizes.length + payload.length);
        b.putInt(magic);
        for (int s : sizes) {
            b.putInt(s);
        }
        return b.put(payload).array();
    }

    private static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return idx(IdxImages.MAGIC, new int[] {count, rows, cols}, pixels);
    }

    private static byte[] labels(int... values) {
        return idx(IdxLabels.MAGIC, new int[] {values.length}, bytes(values));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** Three 2x3 images whose pixels are 0, 1, ..., 17 scaled into 0..255 with both ends present. */
    private static final int[] PIXELS = {
        0, 1, 2, 127, 128, 255,
        10, 20, 30, 40, 50, 60,
        255, 254, 253, 3, 2, 1};

    private static float[] floats(int from, int to) {
        float[] f = new float[to - from];
        for (int i = from; i < to; i++) {
            f[i - from] = PIXELS[i];
        }
        return f;
    }

    /** Asserts a DataFormatException with one line that starts with the file and contains the parts. */
    private static void assertError(ThrowingCallable action, Path file, String... parts) {
        assertThatThrownBy(action)
                .isInstanceOf(DataFormatException.class)
                .satisfies(e -> assertThat(((DataFormatException) e).file()).isEqualTo(file))
                .message()
                .startsWith(file + ": ")
                .doesNotContain("\n", "\r")
                .contains(parts);
    }

    // ------------------------------------------------------------------------------ happy paths

    @Test
    void readsPlainImagesInBatches() throws IOException {
        Path f = write("images.idx", images(3, 2, 3, bytes(PIXELS)));
        try (IdxImages im = IdxImages.open(f)) {
            assertThat(im.file()).isEqualTo(f);
            assertThat(im.count()).isEqualTo(3);
            assertThat(im.rows()).isEqualTo(2);
            assertThat(im.cols()).isEqualTo(3);
            assertThat(im.pixels()).isEqualTo(6);
            assertThat(im.readBatch(2)).containsExactly(floats(0, 12));
            assertThat(im.position()).isEqualTo(2);
            assertThat(im.remaining()).isEqualTo(1);
            assertThat(im.readBatch(5)).containsExactly(floats(12, 18));
            assertThat(im.readBatch(5)).isEmpty();
            assertThat(im.remaining()).isZero();
        }
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        // a gzip file without .gz, and a plain file with .gz
        Path zipped = write("images.idx", gzip(images(3, 2, 3, bytes(PIXELS))));
        Path plain = write("labels.gz", labels(7, 0, 9));
        Dataset d = IdxDataset.read(zipped, plain);
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.features().shape().dims()).containsExactly(3, 6);
        assertThat(d.features().data()).containsExactly(floats(0, 18));
        assertThat(d.targets().shape().dims()).containsExactly(3, 1);
        assertThat(d.targets().data()).containsExactly(7f, 0f, 9f);
    }

    @Test
    void gzipAndPlainGiveTheSameStream() throws IOException {
        byte[] content = images(3, 2, 3, bytes(PIXELS));
        Path plain = write("a", content);
        Path zipped = write("b", gzip(content));
        try (IdxImages p = IdxImages.open(plain); IdxImages z = IdxImages.open(zipped)) {
            for (int n : new int[] {1, 0, 1, 4}) {
                assertThat(z.readBatch(n)).containsExactly(p.readBatch(n));
            }
        }
    }

    @Test
    void readsAtMostMaxCountAndStreamsPairs() throws IOException {
        Path im = write("im.gz", gzip(images(3, 2, 3, bytes(PIXELS))));
        Path lb = write("lb.gz", gzip(labels(4, 5, 6)));
        Dataset first2 = IdxDataset.read(im, lb, 2);
        assertThat(first2.size()).isEqualTo(2);
        assertThat(first2.features().data()).containsExactly(floats(0, 12));
        assertThat(first2.targets().data()).containsExactly(4f, 5f);
        assertThat(IdxDataset.read(im, lb, 0).size()).isZero();

        try (IdxDataset d = IdxDataset.open(im, lb)) {
            assertThat(d.count()).isEqualTo(3);
            assertThat(d.rows()).isEqualTo(2);
            assertThat(d.cols()).isEqualTo(3);
            assertThat(d.classCount()).isEqualTo(10);
            assertThat(d.skip(1)).isEqualTo(1);
            Dataset b = d.readBatch(10);
            assertThat(b.size()).isEqualTo(2);
            assertThat(b.features().data()).containsExactly(floats(6, 18));
            assertThat(b.targets().data()).containsExactly(5f, 6f);
            assertThat(d.position()).isEqualTo(3);
            assertThat(d.readBatch(10).size()).isZero();
            assertThat(d.skip(10)).isZero();
        }
    }

    @Test
    void labelsReadInBatchesWithTheirClassCount() throws IOException {
        Path lb = write("lb", labels(0, 25, 255, 3));
        try (IdxLabels l = IdxLabels.open(lb, 256)) {
            assertThat(l.count()).isEqualTo(4);
            assertThat(l.classCount()).isEqualTo(256);
            assertThat(l.readBatch(3)).containsExactly(0, 25, 255);
            assertThat(l.readBatch(3)).containsExactly(3);
            assertThat(l.readBatch(3)).isEmpty();
        }
        // an empty pair is valid
        Path im0 = write("im0", images(0, 28, 28, new byte[0]));
        Path lb0 = write("lb0", gzip(labels()));
        assertThat(IdxDataset.read(im0, lb0).features().shape().dims()).containsExactly(0, 784);
    }

    // ------------------------------------------------------------------------------ errors

    @Test
    void missingFileAndDirectory() {
        Path missing = dir.resolve("nope.gz");
        assertError(() -> IdxImages.open(missing), missing, "no such file");
        assertError(() -> IdxLabels.open(dir, 10), dir, "is a directory, not an IDX file");
    }

    @Test
    void wrongMagicNumbers() throws IOException {
        Path labelsAsImages = write("a", labels(1, 2));
        assertError(() -> IdxImages.open(labelsAsImages), labelsAsImages,
                "magic number 2049 (0x00000801) marks an IDX label file; expected 2051 (0x00000803) for IDX images");
        Path imagesAsLabels = write("b", gzip(images(1, 1, 1, bytes(5))));
        assertError(() -> IdxLabels.open(imagesAsLabels, 10), imagesAsLabels,
                "marks an IDX image file; expected 2049 (0x00000801) for IDX labels");
        Path zipArchive = write("c", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertError(() -> IdxImages.open(zipArchive), zipArchive, "magic number 0x504b0304 is not IDX");
        Path floats = write("d", idx(0x0D03, new int[] {0, 1, 1}, new byte[0]));
        assertError(() -> IdxImages.open(floats), floats, "element type 0x0d, 3 dimensions) is not supported");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path plain = write("a", Arrays.copyOf(images(1, 1, 1, bytes(5)), 10));
        assertError(() -> IdxImages.open(plain), plain, "truncated: the file has 10 bytes, less than the 16-byte IDX header");
        Path zipped = write("b", gzip(new byte[] {0, 0, 8, 1, 0}));
        assertError(() -> IdxLabels.open(zipped, 10), zipped, "truncated: the decompressed data has 5 bytes, less than the 8-byte IDX header");
        Path empty = write("c", new byte[0]);
        assertError(() -> IdxLabels.open(empty, 10), empty, "has 0 bytes");
    }

    @Test
    void plainFileLengthMustMatchTheHeader() throws IOException {
        Path short1 = write("a", images(3, 2, 3, Arrays.copyOf(bytes(PIXELS), 17)));
        assertError(() -> IdxImages.open(short1), short1,
                "truncated: the header announces 3 images of 2x3, 34 bytes with the header, but the file has 33");
        Path long1 = write("b", idx(IdxLabels.MAGIC, new int[] {2}, bytes(1, 2, 3)));
        assertError(() -> IdxLabels.open(long1, 10), long1,
                "the file has 11 bytes, 1 more than the header's 2 labels need (10)");
    }

    @Test
    void gzipTruncationIsFoundWhereTheDataEnds() throws IOException {
        // the header says 3 images, the data holds 2.5
        Path partial = write("a.gz", gzip(images(3, 2, 3, Arrays.copyOf(bytes(PIXELS), 15))));
        try (IdxImages im = IdxImages.open(partial)) {
            assertThat(im.readBatch(2)).hasSize(12);
            assertError(() -> im.readBatch(1), partial,
                    "truncated: the header announces 3 images but the decompressed data ends inside image 2 (counting from 0)");
        }
        Path twoOfThree = write("b.gz", gzip(idx(IdxLabels.MAGIC, new int[] {3}, bytes(1, 2))));
        assertError(() -> IdxDataset.read(write("im", images(3, 2, 3, bytes(PIXELS))), twoOfThree), twoOfThree,
                "truncated: the header announces 3 labels but the decompressed data ends after 2 labels");
        // the compressed stream itself cut short
        byte[] whole = gzip(images(3, 2, 3, bytes(PIXELS)));
        Path cut = write("c.gz", Arrays.copyOf(whole, whole.length - 12));
        assertError(() -> IdxDataset.read(cut, write("l", labels(1, 2, 3))), cut, "truncated");
    }

    @Test
    void gzipWithTrailingDataOrBadChecksum() throws IOException {
        Path extra = write("a.gz", gzip(idx(IdxLabels.MAGIC, new int[] {2}, bytes(1, 2, 3))));
        try (IdxLabels l = IdxLabels.open(extra, 10)) {
            assertThat(l.readBatch(1)).containsExactly(1);
            assertError(() -> l.readBatch(1), extra, "the decompressed data goes on after the 2 labels the header announces");
        }
        byte[] z = gzip(labels(1, 2, 3));
        z[z.length - 8] ^= 0x55; // the CRC-32 in the trailer
        Path badCrc = write("b.gz", z);
        try (IdxLabels l = IdxLabels.open(badCrc, 10)) {
            assertError(() -> l.readBatch(3), badCrc, "corrupt gzip data");
        }
        byte[] notGzip = {0x1f, (byte) 0x8b, 99, 0, 0, 0, 0, 0, 0, 0};
        Path fake = write("c.gz", notGzip);
        assertError(() -> IdxLabels.open(fake, 10), fake, "starts like gzip but is not valid gzip");
    }

    @Test
    void absurdDimensionsAreRejectedBeforeReading() throws IOException {
        Path zeroRows = write("a", images(1, 0, 28, new byte[0]));
        assertError(() -> IdxImages.open(zeroRows), zeroRows,
                "the header's image size 0x28 is outside the limits: each side must be 1..4096");
        Path huge = write("b", gzip(images(1, 100_000, 100_000, new byte[0])));
        assertError(() -> IdxImages.open(huge), huge, "image size 100000x100000 is outside the limits");
        Path negative = write("c", gzip(idx(IdxLabels.MAGIC, new int[] {0x80000000}, new byte[0])));
        assertError(() -> IdxLabels.open(negative, 10), negative, "label count 2147483648 is over the limit of 2147483647");
        // a huge count in a small gzip file fails where the data ends, without allocating for the count
        Path lying = write("d", gzip(images(2_000_000_000, 1, 1, bytes(1, 2))));
        Path lyingLabels = write("e", gzip(idx(IdxLabels.MAGIC, new int[] {2_000_000_000}, bytes(1, 2))));
        assertError(() -> IdxDataset.read(lying, lyingLabels), lying,
                "truncated: the header announces 2000000000 images but the decompressed data ends after 2 images");
    }

    @Test
    void labelOutsideTheClasses() throws IOException {
        Path lb = write("lb.gz", gzip(labels(3, 9, 10, 1)));
        assertError(() -> IdxDataset.read(write("im", images(4, 1, 1, bytes(1, 2, 3, 4))), lb), lb,
                "label 2 (counting from 0) is 10, outside 0..9 for 10 classes");
        try (IdxLabels l = IdxLabels.open(lb, 11)) {
            assertThat(l.readBatch(4)).containsExactly(3, 9, 10, 1);
        }
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        Path im = write("im.gz", gzip(images(3, 2, 3, bytes(PIXELS))));
        Path lb = write("lb.gz", gzip(labels(1, 2)));
        assertError(() -> IdxDataset.read(im, lb), lb,
                "the header announces 2 labels, but the images file " + im + " announces 3 images; the counts must match");
        assertError(() -> IdxDataset.open(im, lb), lb, "counts must match");
    }

    @Test
    void badArgumentsAndClosedReaders() throws IOException {
        Path im = write("im", images(3, 2, 3, bytes(PIXELS)));
        Path lb = write("lb", labels(1, 2, 3));
        assertThatThrownBy(() -> IdxLabels.open(lb, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IdxLabels: class count must be 1..256 (labels are bytes), got 0");
        assertThatThrownBy(() -> IdxDataset.read(im, lb, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCount must be >= 0");
        IdxImages images = IdxImages.open(im);
        assertThatThrownBy(() -> images.readBatch(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("readBatch: count must be >= 0, got -1");
        images.close();
        images.close();
        assertThatThrownBy(() -> images.readBatch(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage(im + ": reader is closed");
    }
}
