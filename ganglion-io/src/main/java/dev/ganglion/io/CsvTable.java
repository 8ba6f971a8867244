package dev.ganglion.io;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CSV file with a header row, held as raw text cells, with the file line each row started on.
 *
 * <p>{@link #read(Path)} accepts RFC 4180 CSV in UTF-8: comma separated, optional UTF-8 byte order
 * mark, LF or CRLF line endings, double-quoted cells (which may hold commas, quotes and line
 * breaks). Blank lines, including a trailing one, are skipped. Column names are the header cells
 * with surrounding whitespace removed and must be unique. Every row must have exactly one cell per
 * column.
 *
 * <p>Cells stay strings until asked for: {@link #stringColumn(String)} for labels such as class
 * names, {@link #numericColumn(String)} and {@link #numericColumns(List)} for features. Any problem
 * is a {@link DataFormatException} whose one-line message names the file, the line and the column.
 *
 * @param file        the file read, used in error messages
 * @param columns     column names, in file order
 * @param rows        data rows (header excluded), each with {@code columns.size()} raw cells
 * @param lineNumbers for each row, the 1-based line of the file where it starts
 */
public record CsvTable(Path file, List<String> columns, List<String[]> rows, List<Integer> lineNumbers) {

    /** Longest number of column names listed in an "unknown column" message. */
    private static final int MAX_LISTED = 40;

    /**
     * A plain decimal number: optional sign, digits with an optional point, optional exponent.
     * Deliberately stricter than {@link Float#parseFloat}, which also takes hex, "1f" and "NaN".
     */
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    private static final Pattern NOT_FINITE =
            Pattern.compile("[+-]?(?:nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    /** FastCSV reports the record's line as "... (record starting at line 7)". */
    private static final Pattern FASTCSV_LINE = Pattern.compile("\\s*\\(record starting at line (\\d+)\\)");

    /** Checks that the parts agree: every row has one cell per column and one line number. */
    public CsvTable {
        Objects.requireNonNull(file, "file");
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        lineNumbers = List.copyOf(lineNumbers);
        if (lineNumbers.size() != rows.size()) {
            throw new IllegalArgumentException(
                    rows.size() + " rows but " + lineNumbers.size() + " line numbers");
        }
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).length != columns.size()) {
                throw new IllegalArgumentException("row " + r + " has " + rows.get(r).length
                        + " cells, expected " + columns.size());
            }
        }
    }

    /**
     * Reads a CSV file whose first non-blank line is the header.
     *
     * @throws DataFormatException if the file is missing or unreadable, is not UTF-8, is not
     *     well-formed CSV, is empty or has only a header, repeats a column name, or has a row whose
     *     cell count differs from the header's
     */
    public static CsvTable read(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, 0, "is a directory, not a CSV file");
        }
        Reader text;
        try {
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            text = skipByteOrderMark(new InputStreamReader(Files.newInputStream(file), utf8));
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, null, 0, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new DataFormatException(file, 0, null, 0, "cannot read: permission denied", e);
        } catch (IOException e) {
            throw ioError(file, e, 0);
        }

        List<String> columns = null;
        int headerLine = 0;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        long lastLine = 0;
        try (CsvReader<CsvRecord> csv = CsvReader.builder()
                .skipEmptyLines(true)
                .allowUnclosedQuote(false)
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .ofCsvRecord(text)) {
            for (CsvRecord record : csv) {
                lastLine = record.getStartingLineNumber();
                int line = toLine(file, lastLine);
                String[] cells = record.getFields().toArray(String[]::new);
                if (columns == null) {
                    columns = header(file, line, cells);
                    headerLine = line;
                } else if (cells.length != columns.size()) {
                    throw new DataFormatException(file, line, cells.length + " " + cells(cells.length)
                            + ", but the header (line " + headerLine + ") has " + columns.size() + " "
                            + (columns.size() == 1 ? "column" : "columns"));
                } else {
                    rows.add(cells);
                    lines.add(line);
                }
            }
        } catch (CsvParseException e) {
            throw parseError(file, e, lastLine);
        } catch (UncheckedIOException e) {
            throw ioError(file, e.getCause(), lastLine);
        } catch (IOException e) {
            throw ioError(file, e, lastLine);
        }
        if (columns == null) {
            throw new DataFormatException(file, 0, "file is empty, expected a header row and data rows");
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(file, headerLine, "header row only, the file has no data rows");
        }
        return new CsvTable(file, columns, rows, lines);
    }

    /** Drops a leading U+FEFF (a UTF-8 byte order mark), so that it cannot stick to a column name. */
    private static Reader skipByteOrderMark(Reader in) throws IOException {
        PushbackReader r = new PushbackReader(in, 1);
        try {
            int first = r.read();
            if (first >= 0 && first != '\uFEFF') {
                r.unread(first);
            }
        } catch (IOException e) {
            r.close();
            throw e;
        }
        return r;
    }

    private static int toLine(Path file, long line) {
        if (line > Integer.MAX_VALUE) {
            throw new DataFormatException(file, line, "too many lines");
        }
        return (int) line;
    }

    private static String cells(int n) {
        return n == 1 ? "cell" : "cells";
    }

    private static List<String> header(Path file, int line, String[] cells) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> names = new ArrayList<>(cells.length);
        for (int i = 0; i < cells.length; i++) {
            String name = cells[i].strip();
            Integer first = seen.putIfAbsent(name, i);
            if (first != null) {
                throw new DataFormatException(file, line, name, i + 1,
                        "duplicate column name, the same as column " + (first + 1));
            }
            names.add(name);
        }
        return names;
    }

    private static DataFormatException parseError(Path file, CsvParseException e, long lastLine) {
        String message = Text.oneLine(e.getMessage());
        Matcher m = FASTCSV_LINE.matcher(message);
        long line = lastLine + 1;
        if (m.find()) {
            line = Long.parseLong(m.group(1));
            message = m.replaceFirst("");
        }
        if (e.getCause() instanceof IOException io) {
            return ioError(file, io, lastLine);
        }
        return new DataFormatException(file, line, null, 0, "malformed CSV: " + message, e);
    }

    private static DataFormatException ioError(Path file, IOException e, long lastLine) {
        if (e instanceof CharacterCodingException) {
            long line = utf8ErrorLine(file);
            return new DataFormatException(file, line > 0 ? line : lastLine + 1, null, 0,
                    "not valid UTF-8 text", e);
        }
        return new DataFormatException(file, 0, null, 0, "cannot read: " + e.getMessage(), e);
    }

    /**
     * Finds the 1-based line holding the first byte sequence that is not UTF-8, or returns 0. The
     * CSV reader decodes ahead of the records it returns, so its failure does not say where.
     */
    private static long utf8ErrorLine(Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long line = 1;
        try (InputStream stream = Files.newInputStream(file)) {
            while (true) {
                int n = stream.read(in.array(), in.position(), in.remaining());
                boolean eof = n < 0;
                if (n > 0) {
                    in.position(in.position() + n);
                }
                in.flip();
                CoderResult result = decoder.decode(in, out, eof);
                out.flip();
                while (out.hasRemaining()) {
                    if (out.get() == '\n') {
                        line++;
                    }
                }
                out.clear();
                if (result.isError()) {
                    return line;
                }
                in.compact();
                if (eof && result.isUnderflow()) {
                    return 0;
                }
            }
        } catch (IOException e) {
            return 0;
        }
    }

    /** The number of data rows. */
    public int rowCount() {
        return rows.size();
    }

    /** The 1-based file line where data row {@code row} (0-based) starts. */
    public int lineNumber(int row) {
        return lineNumbers.get(row);
    }

    /**
     * The 0-based position of a column.
     *
     * @throws DataFormatException if there is no such column; the message lists the columns
     */
    public int columnIndex(String name) {
        Objects.requireNonNull(name, "name");
        int i = columns.indexOf(name);
        if (i >= 0) {
            return i;
        }
        StringBuilder problem = new StringBuilder("no column ").append(Text.quote(name));
        for (String c : columns) {
            if (c.equalsIgnoreCase(name.strip())) {
                problem.append(" (did you mean ").append(Text.quote(c)).append("?)");
                break;
            }
        }
        problem.append("; the columns are ").append(Text.quoteAll(columns, MAX_LISTED));
        throw new DataFormatException(file, 0, problem.toString());
    }

    /** The raw cells of one column, in row order; for labels such as class names. */
    public String[] stringColumn(String name) {
        int c = columnIndex(name);
        String[] out = new String[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.get(r)[c];
        }
        return out;
    }

    /**
     * One column parsed as 32-bit floats, in row order.
     *
     * @throws DataFormatException if the column does not exist or a cell is not a finite number
     * @see #numericColumns(List)
     */
    public float[] numericColumn(String name) {
        int c = columnIndex(name);
        float[] out = new float[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = parse(r, c);
        }
        return out;
    }

    /**
     * Several columns parsed as 32-bit floats, one array per row: {@code result[r][j]} is the
     * value of column {@code names.get(j)} in data row {@code r}. A cell is a plain decimal number
     * such as {@code 3}, {@code -0.25} or {@code 1.5e-3}, with optional surrounding spaces; empty
     * cells, NaN, infinities, hexadecimal and values beyond the float range are rejected rather
     * than silently turned into something a model would train on.
     *
     * @throws DataFormatException naming the file, line and column of the first bad cell, or if a
     *     column does not exist
     */
    public float[][] numericColumns(List<String> names) {
        int[] index = new int[names.size()];
        for (int j = 0; j < index.length; j++) {
            index[j] = columnIndex(names.get(j));
        }
        float[][] out = new float[rows.size()][index.length];
        for (int r = 0; r < out.length; r++) {
            for (int j = 0; j < index.length; j++) {
                out[r][j] = parse(r, index[j]);
            }
        }
        return out;
    }

    /**
     * Whether a cell of a numeric column is a missing value: empty or blank, or {@code NA},
     * {@code N/A} or {@code NaN} in any case (with optional surrounding spaces). Strict reading
     * ({@link #numericColumns}) rejects these cells; {@link TabularData} can impute them.
     */
    public static boolean isMissing(String cell) {
        String c = cell.strip();
        return c.isEmpty() || MISSING.matcher(c).matches();
    }

    private static final Pattern MISSING = Pattern.compile("na|n/a|nan", Pattern.CASE_INSENSITIVE);

    /**
     * Cell {@code column} of data row {@code row} as a number, with the checks of
     * {@link #numericColumns}; {@code hint} is added to the message when the cell is not a number.
     */
    float number(int row, int column, String hint) {
        try {
            return parse(row, column);
        } catch (DataFormatException e) {
            String cell = rows.get(row)[column].strip();
            if (hint.isEmpty() || cell.isEmpty() || NOT_FINITE.matcher(cell).matches() || DECIMAL.matcher(cell).matches()) throw e;
            throw new DataFormatException(file, lineNumbers.get(row), columns.get(column), column + 1,
                    Text.quote(rows.get(row)[column]) + " is not a number" + hint);
        }
    }

    private float parse(int row, int column) {
        String raw = rows.get(row)[column];
        String cell = raw.strip();
        String problem;
        if (cell.isEmpty()) {
            problem = raw.isEmpty() ? "empty cell, expected a number"
                    : "blank cell " + Text.quote(raw) + ", expected a number";
        } else if (NOT_FINITE.matcher(cell).matches()) {
            problem = Text.quote(raw) + " is not a finite number";
        } else if (!DECIMAL.matcher(cell).matches()) {
            problem = Text.quote(raw) + " is not a number";
        } else {
            float value = Float.parseFloat(cell);
            if (Float.isFinite(value)) {
                return value;
            }
            problem = Text.quote(raw) + " is out of range for a 32-bit float";
        }
        throw new DataFormatException(file, lineNumbers.get(row), columns.get(column), column + 1, problem);
    }
}
