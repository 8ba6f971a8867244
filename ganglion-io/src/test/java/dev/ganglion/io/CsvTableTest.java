package dev.ganglion.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTableTest {

    @TempDir
    Path dir;

    private Path csv(String content) throws IOException {
        return csv(content.getBytes(StandardCharsets.UTF_8));
    }

    private Path csv(byte[] content) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.write(file, content);
        return file;
    }

    /** Asserts the exact one-line message of the error reading (or using) a file. */
    private static void assertError(Runnable action, String expected) {
        assertThatThrownBy(action::run)
                .isInstanceOf(DataFormatException.class)
                .hasMessage(expected)
                .message().doesNotContain("\n", "\r");
    }

    // ------------------------------------------------------------------------------ happy paths

    @Test
    void readsHeaderRowsAndLineNumbers() throws IOException {
        Path file = csv("red,green,blue,label\n1,2,3,sky\n0.5,-1.25,1e-3,grass\n");
        CsvTable t = CsvTable.read(file);

        assertThat(t.file()).isEqualTo(file);
        assertThat(t.columns()).containsExactly("red", "green", "blue", "label");
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.rows().get(1)).containsExactly("0.5", "-1.25", "1e-3", "grass");
        assertThat(t.lineNumbers()).containsExactly(2, 3);
        assertThat(t.lineNumber(0)).isEqualTo(2);
        assertThat(t.columnIndex("blue")).isEqualTo(2);
        assertThat(t.stringColumn("label")).containsExactly("sky", "grass");
        assertThat(t.numericColumn("green")).containsExactly(2f, -1.25f);
        assertThat(t.numericColumns(List.of("blue", "red")))
                .isDeepEqualTo(new float[][] {{3f, 1f}, {1e-3f, 0.5f}});
    }

    @Test
    void acceptsBomCrlfQuotedCellsAndBlankTrailingLine() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String body = "\"x\",\"label, with comma\",y\r\n"
                + "1,\"say \"\"hi\"\"\",2\r\n"
                + "3,\"two\r\nlines\",4\r\n"
                + "5,plain,6\r\n"
                + "\r\n";
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(text, 0, all, bom.length, text.length);
        CsvTable t = CsvTable.read(csv(all));

        assertThat(t.columns()).containsExactly("x", "label, with comma", "y");
        assertThat(t.columnIndex("x")).isZero();
        assertThat(t.stringColumn("label, with comma")).containsExactly("say \"hi\"", "two\r\nlines", "plain");
        assertThat(t.numericColumn("y")).containsExactly(2f, 4f, 6f);
        // the quoted line break makes the row after it start one line later
        assertThat(t.lineNumbers()).containsExactly(2, 3, 5);
    }

    @Test
    void skipsBlankLinesButCountsThem() throws IOException {
        CsvTable t = CsvTable.read(csv("\na,b\n\n1,2\n\n\n3,4"));
        assertThat(t.lineNumbers()).containsExactly(4, 7);
        assertThat(t.numericColumn("b")).containsExactly(2f, 4f);
    }

    @Test
    void trimsHeaderNamesAndSpacesAroundNumbersButKeepsRawCells() throws IOException {
        CsvTable t = CsvTable.read(csv("a, b\n 1 ,  cat\n+2.5E+2,dog \n"));
        assertThat(t.columns()).containsExactly("a", "b");
        assertThat(t.numericColumn("a")).containsExactly(1f, 250f);
        assertThat(t.stringColumn("b")).containsExactly("  cat", "dog ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|0", "-0|-0", ".5|0.5", "5.|5", "-3.25e2|-325", "1E-45|1.4E-45",
        "3.4028235e38|3.4028235E38", "0.1|0.1"})
    void parsesPlainDecimals(String cell, float expected) throws IOException {
        CsvTable t = CsvTable.read(csv("v\n" + cell + "\n"));
        assertThat(t.numericColumn("v")[0]).isEqualTo(expected);
    }

    @Test
    void stringLabelsNeedNotBeNumeric() throws IOException {
        CsvTable t = CsvTable.read(csv("species\nsetosa\nvirginica\n"));
        assertThat(t.stringColumn("species")).containsExactly("setosa", "virginica");
    }

    // ------------------------------------------------------------------------------ file errors

    @Test
    void missingFile() {
        Path file = dir.resolve("data.csv");
        assertError(() -> CsvTable.read(file), file + ": no such file");
    }

    @Test
    void directory() {
        assertError(() -> CsvTable.read(dir), dir + ": is a directory, not a CSV file");
    }

    @Test
    void emptyFile() throws IOException {
        Path file = csv("");
        assertError(() -> CsvTable.read(file), file + ": file is empty, expected a header row and data rows");
    }

    @Test
    void blankLinesOnly() throws IOException {
        Path file = csv("\r\n\n\n");
        assertError(() -> CsvTable.read(file), file + ": file is empty, expected a header row and data rows");
    }

    @Test
    void headerOnly() throws IOException {
        Path file = csv("\na,b,c\n");
        assertError(() -> CsvTable.read(file), file + ": line 2: header row only, the file has no data rows");
    }

    @Test
    void rowWithTooFewCells() throws IOException {
        Path file = csv("a,b,c\n1,2,3\n4,5\n");
        assertError(() -> CsvTable.read(file), file + ": line 3: 2 cells, but the header (line 1) has 3 columns");
    }

    @Test
    void rowWithTooManyCells() throws IOException {
        Path file = csv("a,b\n1,2\n\n3,4,5\n");
        assertError(() -> CsvTable.read(file), file + ": line 4: 3 cells, but the header (line 1) has 2 columns");
    }

    @Test
    void rowWithOneCellForOneColumnHeader() throws IOException {
        Path file = csv("a\n1\n2,3\n");
        assertError(() -> CsvTable.read(file), file + ": line 3: 2 cells, but the header (line 1) has 1 column");
    }

    @Test
    void duplicateColumnName() throws IOException {
        Path file = csv("x,y,x\n1,2,3\n");
        assertError(() -> CsvTable.read(file),
                file + ": line 1, column \"x\" (3): duplicate column name, the same as column 1");
    }

    @Test
    void duplicateAfterTrimming() throws IOException {
        Path file = csv("x, x\n1,2\n");
        assertError(() -> CsvTable.read(file),
                file + ": line 1, column \"x\" (2): duplicate column name, the same as column 1");
    }

    @Test
    void unclosedQuote() throws IOException {
        Path file = csv("a,b\n1,2\n3,\"four\n5,6\n");
        assertError(() -> CsvTable.read(file),
                file + ": line 3: malformed CSV: Unclosed quoted field at end of input");
    }

    @Test
    void characterAfterClosingQuote() throws IOException {
        Path file = csv("a,b\n1,2\n\"3\"x,4\n");
        assertError(() -> CsvTable.read(file),
                file + ": line 3: malformed CSV: Unexpected character after closing quote: 'x' (0x78)");
    }

    @Test
    void invalidUtf8NamesItsLine() throws IOException {
        byte[] start = "a,b\n1,2\n3,".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = {(byte) 0xC3, (byte) 0x28, '\n'}; // 0xC3 must be followed by a continuation byte
        byte[] all = new byte[start.length + bad.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(bad, 0, all, start.length, bad.length);
        Path file = csv(all);
        assertError(() -> CsvTable.read(file), file + ": line 3: not valid UTF-8 text");
    }

    @Test
    void invalidUtf8AtTheStart() throws IOException {
        Path file = csv(new byte[] {(byte) 0xFF, 'a', '\n', '1', '\n'});
        assertError(() -> CsvTable.read(file), file + ": line 1: not valid UTF-8 text");
    }

    // ---------------------------------------------------------------------------- column errors

    @Test
    void unknownColumnListsTheColumns() throws IOException {
        Path file = csv("red,green,blue\n1,2,3\n");
        CsvTable t = CsvTable.read(file);
        assertError(() -> t.columnIndex("alpha"),
                file + ": no column \"alpha\"; the columns are \"red\", \"green\", \"blue\"");
        assertError(() -> t.numericColumns(List.of("red", "alpha")),
                file + ": no column \"alpha\"; the columns are \"red\", \"green\", \"blue\"");
        assertError(() -> t.stringColumn("alpha"),
                file + ": no column \"alpha\"; the columns are \"red\", \"green\", \"blue\"");
    }

    @Test
    void unknownColumnSuggestsCaseInsensitiveMatch() throws IOException {
        Path file = csv("Red,green\n1,2\n");
        CsvTable t = CsvTable.read(file);
        assertError(() -> t.numericColumn("red"),
                file + ": no column \"red\" (did you mean \"Red\"?); the columns are \"Red\", \"green\"");
    }

    @Test
    void unknownColumnListIsBounded() throws IOException {
        StringBuilder header = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            header.append(i == 0 ? "" : ",").append("c").append(i);
            row.append(i == 0 ? "" : ",").append(i);
        }
        Path file = csv(header + "\n" + row + "\n");
        CsvTable t = CsvTable.read(file);
        assertThatThrownBy(() -> t.columnIndex("zz"))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(file + ": no column \"zz\"; the columns are \"c0\", \"c1\", ")
                .hasMessageEndingWith("\"c39\", ... (60 more)");
    }

    // ------------------------------------------------------------------------------ cell errors

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "abc|\"abc\" is not a number",
        "1,5|\"1,5\" is not a number",
        "0x10|\"0x10\" is not a number",
        "1f|\"1f\" is not a number",
        "1e|\"1e\" is not a number",
        "--1|\"--1\" is not a number",
        "NaN|\"NaN\" is not a finite number",
        "nan|\"nan\" is not a finite number",
        "Infinity|\"Infinity\" is not a finite number",
        "-inf|\"-inf\" is not a finite number",
        "1e39|\"1e39\" is out of range for a 32-bit float",
        "-1e39|\"-1e39\" is out of range for a 32-bit float",
    })
    void rejectsNonNumbers(String cell, String problem) throws IOException {
        // quote the cell so that "1,5" stays one cell
        Path file = csv("red,green,blue\n1,2,3\n4,\"" + cell + "\",6\n");
        CsvTable t = CsvTable.read(file);
        String expected = file + ": line 3, column \"green\" (2): " + problem;
        assertError(() -> t.numericColumn("green"), expected);
        assertError(() -> t.numericColumns(List.of("red", "green", "blue")), expected);
    }

    @Test
    void rejectsEmptyCell() throws IOException {
        Path file = csv("a,b\n1,2\n\n3,\n");
        CsvTable t = CsvTable.read(file);
        assertError(() -> t.numericColumn("b"), file + ": line 4, column \"b\" (2): empty cell, expected a number");
        assertThat(t.stringColumn("b")).containsExactly("2", "");
    }

    @Test
    void rejectsBlankCell() throws IOException {
        Path file = csv("a,b\n  ,2\n");
        CsvTable t = CsvTable.read(file);
        assertError(() -> t.numericColumn("a"),
                file + ": line 2, column \"a\" (1): blank cell \"  \", expected a number");
    }

    @Test
    void cellLineAccountsForMultiLineQuotedCells() throws IOException {
        Path file = csv("note,v\n\"a\nb\nc\",1\nx,oops\n");
        CsvTable t = CsvTable.read(file);
        assertError(() -> t.numericColumn("v"), file + ": line 5, column \"v\" (2): \"oops\" is not a number");
    }

    @Test
    void hostileCellCannotBreakTheMessageOverLines() throws IOException {
        Path file = csv("a\n\"x\ny\"\n");
        CsvTable t = CsvTable.read(file);
        assertError(() -> t.numericColumn("a"), file + ": line 2, column \"a\" (1): \"x\\ny\" is not a number");
    }

    @Test
    void exceptionCarriesStructuredLocation() throws IOException {
        Path file = csv("a,b\n1,x\n");
        CsvTable t = CsvTable.read(file);
        assertThatThrownBy(() -> t.numericColumn("b"))
                .isInstanceOfSatisfying(DataFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo("b");
                    assertThat(e.columnNumber()).isEqualTo(2);
                });
    }
}
