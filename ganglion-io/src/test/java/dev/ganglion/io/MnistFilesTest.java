package dev.ganglion.io;

import dev.ganglion.testing.SharedData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ganglion.data.Dataset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The real MNIST files in {@code ../shared/data/mnist} (see its README): counts, shapes, label
 * histograms and pixel range. Skipped with a message where the data is missing, unless
 * {@code GANGLION_REQUIRE_SHARED_DATA=1}.
 */
class MnistFilesTest {
    /** Per-digit counts of the 10 000 test labels (published with MNIST; also in the data README). */
    private static final int[] TEST_COUNTS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    @Test
    void testSetReadsWhole() {
        Path images = SharedData.file("mnist/t10k-images-idx3-ubyte.gz");
        Path labels = SharedData.file("mnist/t10k-labels-idx1-ubyte.gz");
        Dataset d = IdxDataset.read(images, labels);

        assertThat(d.size()).isEqualTo(10_000);
        assertThat(d.features().shape().dims()).containsExactly(10_000, 784);
        assertThat(d.targets().shape().dims()).containsExactly(10_000, 1);
        assertThat(histogram(d.targets().data())).containsExactly(TEST_COUNTS);
        // the first test digit is a 7, as every MNIST tutorial shows
        assertThat(d.targets().data()[0]).isEqualTo(7f);

        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        double sum = 0;
        int fractional = 0;
        for (float v : d.features().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            if (v != (float) Math.rint(v)) {
                fractional++;
            }
        }
        assertThat(fractional).isZero();
        assertThat(min).isZero();
        assertThat(max).isEqualTo(255f);
        // the mean test pixel is about 0.133 of full scale (0.1325 x 255 = 33.8)
        assertThat(sum / d.features().size()).isBetween(33.0, 34.6);
    }

    @Test
    void testSetStreamsInBatchesToTheSameValues() {
        Path images = SharedData.file("mnist/t10k-images-idx3-ubyte.gz");
        Path labels = SharedData.file("mnist/t10k-labels-idx1-ubyte.gz");
        Dataset first = IdxDataset.read(images, labels, 1000);
        assertThat(first.size()).isEqualTo(1000);

        int[] counts = new int[10];
        try (IdxDataset d = IdxDataset.open(images, labels)) {
            Dataset batch = d.readBatch(1000);
            assertThat(batch.features().data()).isEqualTo(first.features().data());
            assertThat(batch.targets().data()).isEqualTo(first.targets().data());
            add(counts, batch.targets().data());
            int batches = 1;
            while ((batch = d.readBatch(777)).size() > 0) {
                assertThat(batch.featureCount()).isEqualTo(784);
                add(counts, batch.targets().data());
                batches++;
            }
            assertThat(batches).isEqualTo(1 + 12); // 9000 = 11 x 777 + 453
            assertThat(d.remaining()).isZero();
        }
        assertThat(counts).containsExactly(TEST_COUNTS);
    }

    private static int[] histogram(float[] labels) {
        int[] counts = new int[10];
        add(counts, labels);
        return counts;
    }

    private static void add(int[] counts, float[] labels) {
        for (float v : labels) {
            counts[(int) v]++;
        }
    }
}
