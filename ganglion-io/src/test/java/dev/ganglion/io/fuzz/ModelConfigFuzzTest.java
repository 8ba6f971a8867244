package dev.ganglion.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ganglion.io.ModelFormatException;
import dev.ganglion.io.ModelStore;

/**
 * Fuzzes model loading: a model directory whose config.json and model.safetensors come from the
 * fuzzer (input: 2-byte big-endian config length, the config, then the weights file). Contract:
 * the model loads or {@link ModelFormatException} says why; nothing else.
 */
class ModelConfigFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void load(byte[] input) {
        byte[][] parts = FuzzFiles.split(input);
        try {
            ModelStore.load(FuzzFiles.directory("model", ModelStore.CONFIG_FILE, parts[0], ModelStore.WEIGHTS_FILE, parts[1]));
        } catch (ModelFormatException expected) {
            // the documented failure
        }
    }
}
