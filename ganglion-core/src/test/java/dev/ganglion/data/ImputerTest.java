package dev.ganglion.data;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ImputerTest {
    static final float NAN = Float.NaN;
    // column 0: 1, 2, 10, missing; column 1: 4, 4, 7, 7 (a tie); column 2: 3, missing, 3, 5
    static final Tensor X = Tensor.of(new float[][]{{1, 7, 3}, {2, 4, NAN}, {10, 7, 3}, {NAN, 4, 5}});

    private static float[] fit(Imputer.Strategy s) {
        float[] out = new float[3];
        for (int j = 0; j < 3; j++) out[j] = Imputer.fitColumn(s, X, j);
        return out;
    }

    @Test
    void meanMedianAndMostFrequentSkipMissingValues() {
        assertThat(fit(Imputer.Strategy.MEAN)).containsExactly(new float[]{13 / 3f, 5.5f, 11 / 3f}, within(1e-6f));
        assertThat(fit(Imputer.Strategy.MEDIAN)).as("odd count: the middle; even: the mean of the two middle values")
                .containsExactly(2f, 5.5f, 3f);
        assertThat(fit(Imputer.Strategy.MOST_FREQUENT)).as("a tie goes to the smallest value").containsExactly(1f, 4f, 3f);
        assertThat(Imputer.fitColumn(Imputer.Strategy.MEAN, Tensor.of(new float[]{NAN, NAN}, 2, 1), 0)).isNaN();
    }

    @Test
    void transformFillsOnlyMissingValues() {
        Imputer imp = new Imputer(Imputer.Strategy.MEDIAN, new float[]{2, 5.5f, 3});
        assertThat(imp.transform(X).toArray2d()).isDeepEqualTo(new float[][]{{1, 7, 3}, {2, 4, 3}, {10, 7, 3}, {2, 4, 5}});
        assertThat(X.get(3, 0)).as("the input is not changed").isNaN();
        Tensor complete = Tensor.of(new float[][]{{1, 2, 3}});
        assertThat(imp.transform(complete)).as("nothing missing, nothing copied").isSameAs(complete);
        assertThat(Imputer.none().transform(X)).isSameAs(X);
        assertThatThrownBy(() -> imp.transform(Tensor.zeros(1, 2))).isInstanceOf(ShapeException.class);
    }

    @Test
    void parsesStrategyNamesAndRejectsBadValues() {
        assertThat(Imputer.Strategy.parse("Most-Frequent")).isEqualTo(Imputer.Strategy.MOST_FREQUENT);
        assertThat(Imputer.Strategy.parse("mode")).isEqualTo(Imputer.Strategy.MOST_FREQUENT);
        assertThat(Imputer.Strategy.parse("median")).isEqualTo(Imputer.Strategy.MEDIAN);
        assertThat(Imputer.Strategy.MOST_FREQUENT.configName()).isEqualTo("most_frequent");
        assertThatThrownBy(() -> Imputer.Strategy.parse("avg")).hasMessageContaining("mean, median, most_frequent");
        assertThatThrownBy(() -> new Imputer(Imputer.Strategy.MEAN, new float[]{NAN})).hasMessageContaining("finite");
        assertThatThrownBy(() -> new Imputer(Imputer.Strategy.NONE, new float[]{1})).hasMessageContaining("none");
        assertThat(new Imputer(Imputer.Strategy.MEAN, new float[]{1})).isEqualTo(new Imputer(Imputer.Strategy.MEAN, new float[]{1}));
    }
}
