package dev.ganglion.cli;

import dev.ganglion.io.CsvTable;
import dev.ganglion.io.DataFormatException;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a per-epoch history CSV (such as a model directory's {@code history.csv}) back into a
 * {@link History}, by column name: {@code epoch} and {@code train_loss} (or {@code loss}) are
 * required; {@code train_accuracy}/{@code accuracy}, {@code val_loss}/{@code validation_loss}/
 * {@code test_loss}, the matching accuracies, {@code learning_rate}/{@code lr} and
 * {@code seconds} are read when present. Empty, NA and NaN cells become NaN. Lenient on purpose:
 * {@code ganglion plot history --history FILE} takes histories written by other tools too.
 */
final class HistoryFile {
    private HistoryFile() {
    }

    /** What was read, and the name of the per-epoch evaluation set ("validation" or "test"). */
    record Read(History history, String validationName) {
    }

    static Read read(Path file) {
        CsvTable t = CsvTable.read(file);
        List<String> cols = t.columns().stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
        int epoch = find(cols, "epoch");
        int loss = find(cols, "train_loss", "loss");
        if (epoch < 0 || loss < 0) {
            throw new DataFormatException(file, t.lineNumber(0) - 1, "a history needs columns \"epoch\" and \"train_loss\" (or \"loss\"); found " + t.columns());
        }
        int acc = find(cols, "train_accuracy", "accuracy");
        int valLoss = find(cols, "val_loss", "validation_loss", "test_loss");
        int valAcc = find(cols, "val_accuracy", "validation_accuracy", "test_accuracy");
        int lr = find(cols, "learning_rate", "lr");
        int seconds = find(cols, "seconds");
        String validationName = valLoss >= 0 && cols.get(valLoss).startsWith("test") ? "test" : "validation";
        List<EpochStats> epochs = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            String[] row = t.rows().get(r);
            double e = number(file, t, r, row, epoch);
            if (!(e >= 1) || e != Math.rint(e)) {
                throw new DataFormatException(file, t.lineNumber(r), "epoch", epoch + 1, "epoch must be a whole number >= 1, got \"" + row[epoch] + "\"");
            }
            epochs.add(new EpochStats((int) e, number(file, t, r, row, loss), number(file, t, r, row, acc),
                    number(file, t, r, row, valLoss), number(file, t, r, row, valAcc),
                    number(file, t, r, row, lr), number(file, t, r, row, seconds)));
        }
        return new Read(new History(epochs), validationName);
    }

    private static int find(List<String> cols, String... names) {
        for (String n : names) {
            int i = cols.indexOf(n);
            if (i >= 0) return i;
        }
        return -1;
    }

    private static double number(Path file, CsvTable t, int r, String[] row, int c) {
        if (c < 0 || c >= row.length) return Double.NaN;
        String cell = row[c].strip();
        if (CsvTable.isMissing(cell)) return Double.NaN;
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException ex) {
            throw new DataFormatException(file, t.lineNumber(r), t.columns().get(c), c + 1, "\"" + cell + "\" is not a number");
        }
    }
}
