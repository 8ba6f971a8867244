package dev.ganglion.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Mistakes with categorical columns, missing values and several labels: one clear line, exit code 2. */
class TabularUserErrorTest {
    @TempDir
    Path dir;
    Path shirts;
    Path model;

    @BeforeEach
    void trainCategoricalModel() throws IOException {
        shirts = csv("shirts.csv", "colour,size,bought\nred,0.9,1\ngreen,0.2,0\nblue,0.5,1\nred,0.1,0\n");
        model = dir.resolve("model");
        Cli t = Cli.run("train", "--data", shirts.toString(), "--label", "bought", "--categorical", "colour",
                "--layers", "2:relu,1:sigmoid", "--epochs", "2", "--test-split", "0", "--quiet", "--out", model.toString());
        assertThat(t.exitCode()).as(t.err()).isZero();
    }

    private Cli expectUserError(String... args) {
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("ganglion: ").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().lines()).hasSize(1);
        return r;
    }

    private Path csv(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void unseenCategoryNamesTheColumnAndTheKnownCategories() throws IOException {
        Cli r = expectUserError("predict", "--model", model.toString(), "--input", "purple,0.5");
        assertThat(r.err()).contains("--input value 1 (colour)").contains("\"purple\" is not a known category of \"colour\"")
                .contains("\"blue\", \"green\", \"red\"");
        Path f = csv("new.csv", "colour,size\nred,1\nmauve,2\n");
        r = expectUserError("predict", "--model", model.toString(), "--data", f.toString());
        assertThat(r.err()).contains("new.csv: line 3, column \"colour\" (1): \"mauve\" is not a known category");
        Path labelled = csv("eval.csv", "colour,size,bought\nred,1,1\nteal,2,0\n");
        r = expectUserError("evaluate", "--model", model.toString(), "--data", labelled.toString());
        assertThat(r.err()).contains("eval.csv: line 3, column \"colour\" (1)").contains("\"teal\"");
        r = expectUserError("trace", "--model", model.toString(), "--input", "pink,1");
        assertThat(r.err()).contains("\"pink\" is not a known category");
    }

    @Test
    void missingValueWithoutImputeNamesTheCellAndSuggestsImpute() throws IOException {
        Path f = csv("holes.csv", "colour,size,bought\nred,0.9,1\ngreen,,0\nblue,0.5,1\n");
        Cli r = expectUserError("train", "--data", f.toString(), "--label", "bought", "--categorical", "colour",
                "--layers", "1:sigmoid", "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("holes.csv: line 3, column \"size\" (2): missing value (empty cell)")
                .contains("--impute mean|median|most_frequent");
        Path g = csv("holes2.csv", "colour,size,bought\nred,0.9,1\n,0.2,0\n");
        r = expectUserError("train", "--data", g.toString(), "--label", "bought", "--categorical", "colour",
                "--layers", "1:sigmoid", "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("holes2.csv: line 3, column \"colour\" (1): missing value").contains("--impute");
        Path h = csv("holes3.csv", "colour,size,bought\nred,NaN,1\n");
        r = expectUserError("train", "--data", h.toString(), "--label", "bought", "--categorical", "colour",
                "--layers", "1:sigmoid", "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("holes3.csv: line 2, column \"size\" (2): missing value \"NaN\"").contains("--impute");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aModelTrainedWithoutImputeCannotFillMissingValues() throws IOException {
        Cli r = expectUserError("predict", "--model", model.toString(), "--input", "red,");
        assertThat(r.err()).contains("--input value 2 (size) is missing").contains("trained without --impute");
        Path f = csv("p.csv", "colour,size\nred,NA\n");
        r = expectUserError("predict", "--model", model.toString(), "--data", f.toString());
        assertThat(r.err()).contains("p.csv: line 2, column \"size\" (2): missing value \"NA\"").contains("trained without --impute");
    }

    @Test
    void textInANumericColumnSuggestsCategorical() {
        Cli r = expectUserError("train", "--data", shirts.toString(), "--label", "bought", "--layers", "1:sigmoid",
                "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("shirts.csv: line 2, column \"colour\" (1): \"red\" is not a number")
                .contains("list it in --categorical");
    }

    @Test
    void badCategoricalAndImputeOptions() {
        Cli r = expectUserError("train", "--data", shirts.toString(), "--label", "bought", "--categorical", "bought",
                "--layers", "1:sigmoid", "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("label column \"bought\" is also listed as categorical");
        r = expectUserError("train", "--data", shirts.toString(), "--label", "bought", "--categorical", "colour",
                "--impute", "avg", "--layers", "1:sigmoid", "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("unknown imputation \"avg\"").contains("most_frequent");
    }

    @Test
    void multiLabelColumnsMustHoldTwoValues() throws IOException {
        Path f = csv("tags.csv", "x,a,b\n1,0,1\n2,1,2\n3,0,0\n");
        Cli r = expectUserError("train", "--data", f.toString(), "--label", "a,b", "--layers", "2:sigmoid",
                "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("tags.csv: line 4, column \"b\" (3): \"0\" is a third value")
                .contains("a multi-label column holds 0/1");
        Path g = csv("tags2.csv", "x,a,b\n1,0,yes\n2,1,yes\n");
        r = expectUserError("train", "--data", g.toString(), "--label", "a,b", "--layers", "2:sigmoid",
                "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("tags2.csv: column \"b\" (3): has only one value, \"yes\"");
    }

    @Test
    void severalLabelsNeedMatchingOutputs() throws IOException {
        Path f = csv("tags.csv", "x,a,b\n1,0,1\n2,1,0\n3,0,0\n");
        Cli r = expectUserError("train", "--data", f.toString(), "--label", "a,b", "--layers", "2:softmax",
                "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("end --layers with 2:sigmoid").contains("--loss bce");
        r = expectUserError("train", "--data", f.toString(), "--label", "a,b", "--layers", "3:sigmoid",
                "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("ends with 3 units").contains("need 2 (one sigmoid per label)");
        r = expectUserError("train", "--data", f.toString(), "--label", "a,b", "--layers", "1",
                "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("regression on \"a,b\" needs 2 (one per label column)");
        r = expectUserError("train", "--data", f.toString(), "--label", "a,,b", "--layers", "2",
                "--out", dir.resolve("out").toString());
        assertThat(r.err()).contains("empty column name");

        Path m = dir.resolve("ab");
        assertThat(Cli.run("train", "--data", f.toString(), "--label", "a,b", "--layers", "2:sigmoid", "--epochs", "1",
                "--test-split", "0", "--quiet", "--out", m.toString()).exitCode()).isZero();
        r = expectUserError("evaluate", "--model", m.toString(), "--data", f.toString(), "--label", "a");
        assertThat(r.err()).contains("--label names 1 column(s) [a], but the model predicts 2 [a, b]");
        r = expectUserError("trace", "--model", m.toString(), "--input", "1", "--target", "1");
        assertThat(r.err()).contains("--target has 1 value(s), the model predicts 2 labels [a, b]");
        r = expectUserError("trace", "--model", m.toString(), "--input", "1", "--target", "1,2");
        assertThat(r.err()).contains("--target value 2 (b): \"2\" is not one of the label's values [0, 1]");
    }
}
