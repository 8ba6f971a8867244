package dev.ganglion.io;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file (CSV) could not be read or holds something other than what was asked for. The
 * message is one line that says where, so a user can open the file and fix it, e.g.
 * {@code data.csv: line 17, column "green" (2): "abc" is not a number}. Line and column numbers
 * count from 1, as an editor or spreadsheet shows them; the same facts are available as fields.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String column;
    private final int columnNumber;

    /**
     * @param file         the file being read
     * @param line         1-based line number, or 0 when the problem concerns no single line
     * @param column       column name, or {@code null} when the problem concerns no single column
     * @param columnNumber 1-based column position; ignored when {@code column} is null
     * @param problem      what is wrong, without the location
     */
    public DataFormatException(Path file, long line, String column, int columnNumber, String problem) {
        this(file, line, column, columnNumber, problem, null);
    }

    /** As {@link #DataFormatException(Path, long, String, int, String)}, with the underlying cause. */
    public DataFormatException(
            Path file, long line, String column, int columnNumber, String problem, Throwable cause) {
        super(format(file, line, column, columnNumber, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.column = column;
        this.columnNumber = column == null ? 0 : columnNumber;
    }

    /** A problem with a whole line (line &gt; 0) or with the whole file (line 0). */
    public DataFormatException(Path file, long line, String problem) {
        this(file, line, null, 0, problem, null);
    }

    private static String format(Path file, long line, String column, int columnNumber, String problem) {
        StringBuilder b = new StringBuilder().append(file).append(": ");
        if (line > 0) {
            b.append("line ").append(line);
        }
        if (column != null) {
            b.append(line > 0 ? ", " : "").append("column ").append(Text.quote(column))
                    .append(" (").append(columnNumber).append(')');
        }
        if (line > 0 || column != null) {
            b.append(": ");
        }
        return b.append(Text.oneLine(problem)).toString();
    }

    /** The file being read. */
    public Path file() {
        return file;
    }

    /** The 1-based line number, or 0 when the problem concerns no single line. */
    public long line() {
        return line;
    }

    /** The column name, or {@code null} when the problem concerns no single column. */
    public String column() {
        return column;
    }

    /** The 1-based column position, or 0 when the problem concerns no single column. */
    public int columnNumber() {
        return columnNumber;
    }
}
