package dev.ganglion.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ganglion.io.DataFormatException;
import dev.ganglion.io.IdxDataset;

/**
 * Fuzzes the IDX readers (MNIST's format, gzip or plain): an images file and a labels file, read
 * to the end. Input: 2-byte big-endian length of the labels file, the labels file, then the
 * images file. Contract: the data, or {@link DataFormatException}.
 */
class IdxFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        byte[][] parts = FuzzFiles.split(input);
        try (IdxDataset d = IdxDataset.open(FuzzFiles.write("images.idx", parts[1]), FuzzFiles.write("labels.idx", parts[0]))) {
            while (d.remaining() > 0) d.readBatch(Math.min(d.remaining(), 64));
        } catch (DataFormatException expected) {
            // the documented failure
        }
    }
}
