package dev.ganglion.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ganglion.io.ModelFormatException;
import dev.ganglion.io.SafeTensors;

/**
 * Fuzzes the safetensors reader. Contract: any byte string either parses or fails with
 * {@link ModelFormatException}; anything else (NullPointerException, an index out of bounds,
 * OutOfMemoryError, a hang) is a bug. Regression mode runs the inputs in
 * {@code SafeTensorsFuzzTestInputs/read/}; {@code JAZZER_FUZZ=1} fuzzes (see scripts/fuzz.sh).
 */
class SafeTensorsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] bytes) {
        try {
            SafeTensors.read(FuzzFiles.write("model.safetensors", bytes));
        } catch (ModelFormatException expected) {
            // the documented failure
        }
    }
}
