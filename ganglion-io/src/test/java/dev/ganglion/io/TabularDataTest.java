package dev.ganglion.io;

import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Imputer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Categorical columns, missing values and several label columns read from CSV. */
class TabularDataTest {
    @TempDir
    Path dir;

    private int files;

    /** A new file for each call, data-1.csv, data-2.csv, ... */
    private Path csv(String content) throws IOException {
        Path file = dir.resolve("data-" + ++files + ".csv");
        Files.writeString(file, content);
        return file;
    }

    private static void assertError(Runnable action, String expected) {
        assertThatThrownBy(action::run).isInstanceOf(DataFormatException.class).hasMessage(expected);
    }

    private static TabularData.Labels one(String label) {
        return TabularData.Labels.of(label, TabularData.Target.CLASS_INDEX, null);
    }

    // ------------------------------------------------------------------------------ categorical

    @Test
    void categoriesAreTheSortedDistinctValuesAndCellsTheirIndex() throws IOException {
        Path f = csv("colour,size,y\nred,1,0\n blue ,2,1\ngreen,3,0\nred,4,1\n");
        TabularData.Labeled d = TabularData.read(f, one("y"), TabularData.Features.discover(null, List.of("colour"), false));
        assertThat(d.featureNames()).containsExactly("colour", "size");
        assertThat(d.encoding().categories()).isEqualTo(Map.of("colour", List.of("blue", "green", "red")));
        assertThat(d.encoding().encodedNames()).containsExactly("colour=blue", "colour=green", "colour=red", "size");
        assertThat(d.data().features().toArray2d()).isDeepEqualTo(new float[][]{{2, 1}, {0, 2}, {1, 3}, {2, 4}});
        assertThat(d.classNames()).containsExactly("0", "1");
    }

    @Test
    void numericCategoriesSortAsNumbers() throws IOException {
        Path f = csv("zone,y\n10,0\n9,1\n2.0,0\n10,1\n");
        TabularData.Labeled d = TabularData.read(f, one("y"), TabularData.Features.discover(null, List.of("zone"), false));
        assertThat(d.encoding().categoriesOf(0)).containsExactly("2", "9", "10");
    }

    @Test
    void aKnownEncodingRejectsAnUnseenCategoryNamingTheCell() throws IOException {
        FeatureEncoding model = new FeatureEncoding(List.of("size", "colour"), Map.of("colour", List.of("blue", "red")), null);
        Path f = csv("colour,size,other\nred,1,x\npurple,2,y\n");
        assertThat(TabularData.readFeatures(csv("colour,size\nred,1\nblue,2\n"), model).toArray2d())
                .as("columns in the model's order").isDeepEqualTo(new float[][]{{1, 1}, {2, 0}});
        assertError(() -> TabularData.readFeatures(f, model), f + ": line 3, column \"colour\" (1): \"purple\" is not a known "
                + "category of \"colour\"; the known categories are \"blue\", \"red\"");
    }

    @Test
    void textInANumericColumnSuggestsCategorical() throws IOException {
        Path f = csv("colour,y\nred,0\nblue,1\n");
        assertError(() -> TabularData.read(f, one("y"), TabularData.Features.discover(null, List.of(), false)),
                f + ": line 2, column \"colour\" (1): \"red\" is not a number; if \"colour\" holds categories, list it in --categorical");
    }

    @Test
    void categoricalMustNameAFeatureColumn() throws IOException {
        Path f = csv("a,b,y\n1,x,0\n2,z,1\n");
        assertError(() -> TabularData.read(f, one("y"), TabularData.Features.discover(null, List.of("y"), false)),
                f + ": line 1: the label column \"y\" is also listed as categorical; categorical columns are features");
        assertError(() -> TabularData.read(f, one("y"), TabularData.Features.discover(List.of("a"), List.of("b"), false)),
                f + ": line 1: \"b\" is listed as categorical but is not a feature column; the features are \"a\"");
        assertThatThrownBy(() -> TabularData.read(f, one("y"), TabularData.Features.discover(null, List.of("c"), false)))
                .hasMessageContaining("no column \"c\"");
    }

    // ------------------------------------------------------------------------------ missing values

    @Test
    void missingValuesAreRejectedWithAdviceByDefault() throws IOException {
        Path f = csv("a,b,y\n1,2,0\n3,,1\n");
        assertError(() -> TabularData.read(f, one("y"), TabularData.Features.discover(null, List.of(), false)),
                f + ": line 3, column \"b\" (2): missing value (empty cell); fill it in, or train with --impute mean|median|most_frequent");
        Path na = csv("a,b,y\n1,2,0\n3, NA ,1\n");
        assertError(() -> TabularData.read(na, one("y"), TabularData.Features.discover(null, List.of(), false)),
                na + ": line 3, column \"b\" (2): missing value \" NA \"; fill it in, or train with --impute mean|median|most_frequent");
        FeatureEncoding model = FeatureEncoding.numeric(List.of("a", "b"));
        assertError(() -> TabularData.readFeatures(f, model), f + ": line 3, column \"b\" (2): missing value (empty cell); "
                + "the model was trained without --impute, so it cannot fill in missing values");
    }

    @Test
    void missingValuesBecomeNaNWhenImputationIsOn() throws IOException {
        Path f = csv("a,c,y\n,x,0\nNA,,1\nn/a,y,0\nNaN,x,1\n5,NA,0\n");
        TabularData.Labeled d = TabularData.read(f, one("y"), TabularData.Features.discover(null, List.of("c"), true));
        float[][] x = d.data().features().toArray2d();
        for (int r = 0; r < 4; r++) assertThat(x[r][0]).as("row %d", r).isNaN();
        assertThat(x[1][1]).as("an empty categorical cell").isNaN();
        assertThat(d.encoding().categoriesOf(1)).as("in a categorical column NA is a value").containsExactly("NA", "x", "y");
        assertThat(x[4]).containsExactly(5, 0);
        assertThat(CsvTable.isMissing("  ")).isTrue();
        assertThat(CsvTable.isMissing("nan")).isTrue();
        assertThat(CsvTable.isMissing("inf")).isFalse();
        assertThat(CsvTable.isMissing("0")).isFalse();
        // a model that imputes reads its missing values too
        FeatureEncoding model = d.encoding().withImputer(new Imputer(Imputer.Strategy.MEAN, new float[]{5, 1}));
        assertThat(TabularData.readFeatures(f, model).toArray2d()[1][1]).isNaN();
    }

    @Test
    void labelsCannotBeMissing() throws IOException {
        Path f = csv("a,y\n1,0\n2, \n");
        assertError(() -> TabularData.read(f, one("y"), TabularData.Features.discover(null, List.of(), true)),
                f + ": line 3, column \"y\" (2): missing label (empty cell); every row needs a label (only feature columns can be imputed)");
    }

    // ------------------------------------------------------------------------------ several labels

    private static TabularData.Labels multi(String... names) {
        return new TabularData.Labels(List.of(names), TabularData.Target.MULTI_LABEL, null, null);
    }

    @Test
    void multiLabelColumnsBecomeZeroOneTargets() throws IOException {
        Path f = csv("x,a,b,c\n1,0,no,1\n2,1,yes,1\n3,1.0,no,1\n");
        TabularData.Labeled d = TabularData.read(f, multi("a", "b", "c"), TabularData.Features.discover(null, List.of(), false));
        assertThat(d.featureNames()).containsExactly("x");
        assertThat(d.labelNames()).containsExactly("a", "b", "c");
        assertThat(d.labelName()).isEqualTo("a,b,c");
        assertThat(d.labelClasses()).as("a column of only 1s is still 0/1")
                .containsExactly(List.of("0", "1"), List.of("no", "yes"), List.of("0", "1"));
        assertThat(d.data().targets().toArray2d()).isDeepEqualTo(new float[][]{{0, 0, 1}, {1, 1, 1}, {1, 0, 1}});
        assertThat(d.classNames()).isEmpty();
    }

    @Test
    void aMultiLabelColumnHoldsTwoValues() throws IOException {
        Path f = csv("x,a,b\n1,0,1\n2,1,2\n3,0,0\n");
        assertError(() -> TabularData.read(f, multi("a", "b"), TabularData.Features.discover(null, List.of(), false)),
                f + ": line 4, column \"b\" (3): \"0\" is a third value; a multi-label column holds 0/1 (or two values), "
                        + "and this one already has \"1\", \"2\"");
        Path one = csv("x,a,b\n1,0,yes\n2,1,yes\n");
        assertError(() -> TabularData.read(one, multi("a", "b"), TabularData.Features.discover(null, List.of(), false)),
                one + ": column \"b\" (3): has only one value, \"yes\"; a multi-label column holds 0/1 (or two values)");
        Path known = csv("x,a,b\n1,0,maybe\n");
        assertError(() -> TabularData.read(known, new TabularData.Labels(List.of("a", "b"), TabularData.Target.MULTI_LABEL, null,
                        List.of(List.of("0", "1"), List.of("no", "yes"))), TabularData.Features.of(FeatureEncoding.numeric(List.of("x")))),
                known + ": line 2, column \"b\" (3): \"maybe\" is not one of the values of the multi-label column, \"no\", \"yes\"");
    }

    @Test
    void severalValueLabelsGiveOneTargetColumnEach() throws IOException {
        Path f = csv("x,y1,y2\n1,0.5,-1\n2,1.5,-2\n");
        TabularData.Labeled d = TabularData.read(f, new TabularData.Labels(List.of("y1", "y2"), TabularData.Target.VALUE, null, null),
                TabularData.Features.discover(null, List.of(), false));
        assertThat(d.data().targets().toArray2d()).isDeepEqualTo(new float[][]{{0.5f, -1}, {1.5f, -2}});
        assertThat(d.data().features().toArray2d()).isDeepEqualTo(new float[][]{{1}, {2}});
        assertThatThrownBy(() -> new TabularData.Labels(List.of("a", "b"), TabularData.Target.ONE_HOT, null, null))
                .hasMessageContaining("not classes of one label");
        assertThatThrownBy(() -> new TabularData.Labels(List.of("a", "a"), TabularData.Target.VALUE, null, null))
                .hasMessageContaining("repeat");
    }
}
