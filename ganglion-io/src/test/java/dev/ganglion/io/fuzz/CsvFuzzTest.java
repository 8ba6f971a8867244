package dev.ganglion.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ganglion.io.CsvTable;
import dev.ganglion.io.DataFormatException;
import dev.ganglion.io.TabularData;

import java.util.List;

/**
 * Fuzzes the CSV readers: {@link CsvTable#read} and {@link TabularData#read} (label, features,
 * one-hot categories, missing values). Input: one byte choosing the label column and the target
 * kind, then the CSV file. Contract: a table, or {@link DataFormatException}.
 */
class CsvFuzzTest {
    private static final List<String> LABELS = List.of("label", "y", "a", "b,c", "light_font");

    @FuzzTest(maxDuration = "30s")
    void read(byte[] input) {
        if (input.length == 0) return;
        int choice = input[0] & 0xFF;
        String label = LABELS.get(choice % LABELS.size());
        TabularData.Target[] targets = TabularData.Target.values();
        TabularData.Target target = targets[(choice / LABELS.size()) % targets.length];
        byte[] csv = java.util.Arrays.copyOfRange(input, 1, input.length);
        try {
            CsvTable.read(FuzzFiles.write("data.csv", csv)).rowCount();
            TabularData.read(FuzzFiles.write("data.csv", csv), label, null, target, null);
        } catch (DataFormatException expected) {
            // the documented failure
        }
    }
}
