package dev.ganglion.data;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureEncodingTest {
    /** size (numeric), colour (3 categories), weight (numeric), fit (2 categories). */
    static FeatureEncoding shirts() {
        Map<String, List<String>> cats = new LinkedHashMap<>();
        cats.put("fit", List.of("loose", "slim"));       // given out of column order on purpose
        cats.put("colour", List.of("blue", "green", "red"));
        return new FeatureEncoding(List.of("size", "colour", "weight", "fit"), cats, null);
    }

    @Test
    void widthAndNamesExpandEachCategoricalColumn() {
        FeatureEncoding e = shirts();
        assertThat(e.width()).isEqualTo(2 + 3 + 2);
        assertThat(e.encodedNames()).containsExactly("size", "colour=blue", "colour=green", "colour=red", "weight",
                "fit=loose", "fit=slim");
        assertThat(e.numericColumns()).containsExactly(0, 2);
        assertThat(e.categories().keySet()).as("categories iterate in column order").containsExactly("colour", "fit");
        assertThat(e.isCategorical(1)).isTrue();
        assertThat(e.isCategorical(0)).isFalse();
        assertThat(e.isIdentity()).isFalse();
        assertThat(FeatureEncoding.numeric(List.of("a", "b")).isIdentity()).isTrue();
        assertThat(FeatureEncoding.numeric(List.of("a", "b")).width()).isEqualTo(2);
    }

    @Test
    void codesCategoriesByIndexAndNamesTheKnownOnesForAnUnseenOne() {
        FeatureEncoding e = shirts();
        assertThat(e.code(1, "red")).isEqualTo(2f);
        assertThat(e.code(1, "  blue ")).as("surrounding spaces do not matter").isEqualTo(0f);
        assertThat(e.code(1, "")).as("empty is missing").isNaN();
        assertThatThrownBy(() -> e.code(1, "purple"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"purple\" is not a known category of \"colour\"; the known categories are \"blue\", \"green\", \"red\"");
        assertThatThrownBy(() -> e.code(0, "1")).hasMessageContaining("not categorical");
    }

    @Test
    void canonicalFormMakesWholeNumbersMatch() {
        assertThat(FeatureEncoding.canonical(" 1.0 ")).isEqualTo("1");
        assertThat(FeatureEncoding.canonical("2.50")).isEqualTo("2.50");
        assertThat(FeatureEncoding.canonical("-3.")).isEqualTo("-3");
        assertThat(FeatureEncoding.canonical("Red")).isEqualTo("Red");
        assertThat(FeatureEncoding.canonical("NaN")).isEqualTo("NaN");
        assertThat(FeatureEncoding.canonical("1f")).isEqualTo("1f");
    }

    @Test
    void encodeScalesNumericColumnsOnlyAndOneHotsTheRest() {
        FeatureEncoding e = shirts();
        Tensor coded = Tensor.of(new float[][]{{10, 2, 100, 0}, {20, 0, 200, 1}});
        Tensor x = e.encode(coded, t -> t.div(10f));
        assertThat(x.shape().dims()).containsExactly(2, 7);
        assertThat(x.toArray2d()).isDeepEqualTo(new float[][]{
                {1, 0, 0, 1, 10, 1, 0},
                {2, 1, 0, 0, 20, 0, 1}});
        assertThat(e.numericPart(coded).toArray2d()).isDeepEqualTo(new float[][]{{10, 100}, {20, 200}});
    }

    @Test
    void onlyCategoricalColumnsNeedNoNumericTransform() {
        FeatureEncoding e = new FeatureEncoding(List.of("c"), Map.of("c", List.of("x", "y")), null);
        Tensor x = e.encode(Tensor.of(new float[]{1, 0}, 2, 1), t -> {
            throw new AssertionError("no numeric columns to transform");
        });
        assertThat(x.toArray2d()).isDeepEqualTo(new float[][]{{0, 1}, {1, 0}});
    }

    @Test
    void missingValuesAreImputedBeforeScalingAndEncoding() {
        FeatureEncoding e = shirts();
        Tensor train = Tensor.of(new float[][]{{10, 2, 1, 0}, {20, 2, 3, Float.NaN}, {Float.NaN, 0, 5, 1}, {30, Float.NaN, Float.NaN, 1}});
        FeatureEncoding fitted = e.fitImputer(Imputer.Strategy.MEAN, train);
        assertThat(fitted.imputer().values()).as("mean of numeric columns, most frequent category")
                .containsExactly(20f, 2f, 3f, 1f);
        Tensor x = fitted.encode(Tensor.of(new float[][]{{Float.NaN, Float.NaN, Float.NaN, Float.NaN}}), t -> t);
        assertThat(x.toArray2d()).isDeepEqualTo(new float[][]{{20, 0, 0, 1, 3, 0, 1}});
        // without an imputer a missing category gives NaN inputs rather than a silent zero row
        Tensor raw = e.encode(Tensor.of(new float[][]{{1, Float.NaN, 2, 0}}), t -> t);
        assertThat(raw.toArray2d()[0]).containsExactly(1, Float.NaN, Float.NaN, Float.NaN, 2, 1, 0);
    }

    @Test
    void aColumnWithoutValuesCannotBeImputed() {
        FeatureEncoding e = FeatureEncoding.numeric(List.of("a", "empty"));
        Tensor train = Tensor.of(new float[][]{{1, Float.NaN}, {2, Float.NaN}});
        assertThatThrownBy(() -> e.fitImputer(Imputer.Strategy.MEDIAN, train))
                .hasMessageContaining("\"empty\"").hasMessageContaining("no values");
        assertThat(e.fitImputer(Imputer.Strategy.NONE, train).imputer().isActive()).isFalse();
    }

    @Test
    void rejectsInconsistentDefinitions() {
        assertThatThrownBy(() -> new FeatureEncoding(List.of("a"), Map.of("b", List.of("x")), null))
                .hasMessageContaining("\"b\" is not one of the columns");
        assertThatThrownBy(() -> new FeatureEncoding(List.of("a"), Map.of("a", List.of()), null))
                .hasMessageContaining("no categories");
        assertThatThrownBy(() -> new FeatureEncoding(List.of("a"), Map.of("a", List.of("x", "x")), null))
                .hasMessageContaining("repeats");
        assertThatThrownBy(() -> new FeatureEncoding(List.of("a", "a"), Map.of(), null)).hasMessageContaining("repeat");
        assertThatThrownBy(() -> new FeatureEncoding(List.of("a"), Map.of("a", List.of("x", "y")),
                new Imputer(Imputer.Strategy.MEAN, new float[]{2})))
                .as("a categorical fill value must be a category index").hasMessageContaining("not a category index");
        assertThatThrownBy(() -> new FeatureEncoding(List.of("a", "b"), Map.of(), new Imputer(Imputer.Strategy.MEAN, new float[]{1})))
                .hasMessageContaining("1 values for 2 columns");
        assertThatThrownBy(() -> shirts().encode(Tensor.zeros(1, 3), t -> t)).isInstanceOf(ShapeException.class)
                .hasMessageContaining("4 columns");
        assertThatThrownBy(() -> shirts().encode(Tensor.of(new float[][]{{1, 3, 1, 0}}), t -> t))
                .hasMessageContaining("not a category index of \"colour\"");
    }
}
