package dev.ganglion.data;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScalerTest {
    // column 0: 1..4; column 1: constant 5; column 2: -2, 0, 2, 4
    static final Tensor X = Tensor.of(new float[][]{{1, 5, -2}, {2, 5, 0}, {3, 5, 2}, {4, 5, 4}});

    @Test
    void minMaxFitsPerColumnAndMapsTrainingDataIntoZeroOne() {
        Scaler.MinMax s = Scaler.fitMinMax(X);
        assertThat(s.min()).containsExactly(1, 5, -2);
        assertThat(s.max()).containsExactly(4, 5, 4);
        Tensor t = s.transform(X);
        assertThat(t.toArray2d()).isDeepEqualTo(new float[][]{{0, 0, 0}, {1 / 3f, 0, 1 / 3f}, {2 / 3f, 0, 2 / 3f}, {1, 0, 1}});
        // new data may fall outside [0, 1]
        assertThat(s.transform(Tensor.of(new float[][]{{7, 9, -5}})).toArray2d()).isDeepEqualTo(new float[][]{{2, 0, -0.5f}});
        assertThat(s.kind()).isEqualTo("minmax");
    }

    @Test
    void standardFitsPopulationMeanAndStd() {
        Scaler.Standard s = Scaler.fitStandard(X);
        assertThat(s.mean()).containsExactly(2.5f, 5f, 1f);
        // population std of 1..4 is √1.25; of -2,0,2,4 it is √5; a constant column gets 1
        assertThat((double) s.std()[0]).isCloseTo(Math.sqrt(1.25), within(1e-6));
        assertThat(s.std()[1]).isEqualTo(1f);
        assertThat((double) s.std()[2]).isCloseTo(Math.sqrt(5), within(1e-6));
        Tensor t = s.transform(X);
        for (int j = 0; j < 3; j++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < 4; i++) mean += t.get(i, j) / 4.0;
            for (int i = 0; i < 4; i++) sq += Math.pow(t.get(i, j) - mean, 2) / 4;
            assertThat(mean).isCloseTo(0, within(1e-6));
            assertThat(Math.sqrt(sq)).isCloseTo(j == 1 ? 0 : 1, within(1e-6));
        }
    }

    @Test
    void transformsDoNotModifyTheirInput() {
        float[] before = X.data().clone();
        Scaler.fitMinMax(X).transform(X);
        Scaler.fitStandard(X).transform(X);
        new Scaler.Divide(255).transform(X);
        assertThat(X.data()).containsExactly(before);
    }

    @Test
    void divideAndNone() {
        assertThat(new Scaler.Divide(255f).transform(Tensor.of(new float[][]{{0, 255, 51}})).toArray2d())
                .isDeepEqualTo(new float[][]{{0, 1, 0.2f}});
        assertThat(new Scaler.None().transform(X)).isSameAs(X);
        assertThatThrownBy(() -> new Scaler.Divide(0f)).hasMessageContaining("divisor").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new Scaler.Divide(Float.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void fitByName() {
        assertThat(Scaler.fit("minmax", X)).isInstanceOf(Scaler.MinMax.class);
        assertThat(Scaler.fit("Standard", X)).isInstanceOf(Scaler.Standard.class);
        assertThat(Scaler.fit("zscore", X)).isInstanceOf(Scaler.Standard.class);
        assertThat(Scaler.fit("none", X)).isInstanceOf(Scaler.None.class);
        assertThatThrownBy(() -> Scaler.fit("robust", X)).hasMessageContaining("\"robust\"").hasMessageContaining("minmax, standard");
    }

    @Test
    void aScalerRejectsDataOfAnotherWidth() {
        assertThatThrownBy(() -> Scaler.fitMinMax(X).transform(Tensor.zeros(2, 4)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("3 features").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> Scaler.fitStandard(X).transform(Tensor.zeros(3)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("standard").hasMessageContaining("[3]");
    }
}
