package dev.ganglion.io;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A training {@link History} as CSV ({@code history.csv} in a model directory): one row per
 * epoch with the columns {@code epoch, loss, accuracy, val_loss, val_accuracy, learning_rate,
 * seconds}. The validation columns are named {@code test_loss}/{@code test_accuracy} when the
 * figures were measured on the test part (no validation split). Figures that do not apply
 * (accuracy in regression, validation without a validation set) are empty cells. Numbers are
 * written in full precision, so reading gives back the same doubles.
 */
public final class HistoryCsv {
    /** The file's name inside a model directory. */
    public static final String FILE = "history.csv";

    private HistoryCsv() {
    }

    /** The header row; {@code validation} is "val" or "test", the set the validation columns measure. */
    public static List<String> header(String validation) {
        if (!validation.equals("val") && !validation.equals("test")) {
            throw new IllegalArgumentException("validation must be \"val\" or \"test\", got \"" + validation + "\"");
        }
        return List.of("epoch", "loss", "accuracy", validation + "_loss", validation + "_accuracy", "learning_rate", "seconds");
    }

    /** The CSV text of {@code history}. */
    public static String toCsv(History history, String validation) {
        StringWriter out = new StringWriter();
        try (CsvWriter csv = CsvWriter.builder().lineDelimiter(de.siegmar.fastcsv.writer.LineDelimiter.LF).build(out)) {
            csv.writeRecord(header(validation));
            for (EpochStats e : history.epochs()) {
                csv.writeRecord(Integer.toString(e.epoch()), number(e.trainLoss()), number(e.trainAccuracy()),
                        number(e.validationLoss()), number(e.validationAccuracy()), number(e.learningRate()), number(e.seconds()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes {@code history} to {@code file} atomically (temporary file, fsync, rename). */
    public static void write(History history, String validation, Path file) {
        ModelStore.writeAtomically(file, toCsv(history, validation).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a file written by {@link #write}; problems name the file, line and column. */
    public static History read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFormatException(file, 0, null, 0, Files.exists(file) ? "cannot read: " + e.getMessage() : "no such file");
        }
        List<EpochStats> epochs = new ArrayList<>();
        List<String> header = null;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(text)) {
            for (CsvRecord r : csv) {
                long line = r.getStartingLineNumber();
                List<String> cells = r.getFields();
                if (header == null) {
                    header = cells;
                    boolean val = header.equals(header("val")), test = header.equals(header("test"));
                    if (!val && !test) {
                        throw new DataFormatException(file, line, null, 0, "header must be " + String.join(",", header("val"))
                                + " (or test_loss, test_accuracy), got " + String.join(",", cells));
                    }
                    continue;
                }
                if (cells.size() != header.size()) {
                    throw new DataFormatException(file, line, null, 0, "has " + cells.size() + " cells, expected " + header.size());
                }
                double[] v = new double[cells.size()];
                for (int j = 0; j < v.length; j++) v[j] = parse(file, line, header, j, cells.get(j));
                if (v[0] != Math.rint(v[0]) || v[0] < 1) {
                    throw new DataFormatException(file, line, "epoch", 1, "\"" + cells.get(0) + "\" is not an epoch number");
                }
                epochs.add(new EpochStats((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
            }
        } catch (IOException e) {
            throw new DataFormatException(file, 0, null, 0, "cannot read: " + e.getMessage());
        }
        if (header == null) throw new DataFormatException(file, 0, null, 0, "is empty");
        return new History(epochs);
    }

    private static double parse(Path file, long line, List<String> header, int j, String cell) {
        String s = cell.strip();
        if (s.isEmpty()) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, header.get(j), j + 1, "\"" + cell + "\" is not a number");
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
