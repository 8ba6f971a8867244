package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GradientClippingTest {

    private static Tensor withGrad(float... g) {
        Tensor p = Tensor.zeros(g.length).requiresGrad(true);
        p.mul(Tensor.of(g.clone(), g.length)).sum().backward();
        return p;
    }

    @Test
    void globalNormScalesEveryGradientByTheSameFactor() {
        // gradients (3) and (0, 4): global norm 5
        Tensor a = withGrad(3f), b = withGrad(0f, 4f), none = Tensor.zeros(2).requiresGrad(true);
        double norm = GradientClipping.clipByGlobalNorm(List.of(a, b, none), 1.0);
        assertThat(norm).isCloseTo(5.0, within(1e-9));
        assertThat(a.grad().data()[0]).isCloseTo(0.6f, within(1e-6f));
        assertThat(b.grad().data()).containsExactly(0f, b.grad().data()[1]);
        assertThat(b.grad().data()[1]).isCloseTo(0.8f, within(1e-6f));
        assertThat(none.grad()).as("parameters without a gradient are skipped").isNull();
    }

    @Test
    void globalNormBelowTheLimitLeavesGradientsAlone() {
        Tensor a = withGrad(0.3f, -0.4f);
        assertThat(GradientClipping.clipByGlobalNorm(List.of(a), 1.0)).isCloseTo(0.5, within(1e-7));
        assertThat(a.grad().data()).containsExactly(0.3f, -0.4f);
        new GradientClipping.ByNorm(0.25).apply(List.of(a));
        assertThat(a.grad().data()[0]).isCloseTo(0.15f, within(1e-6f));
        assertThat(a.grad().data()[1]).isCloseTo(-0.2f, within(1e-6f));
    }

    @Test
    void byValueClampsEachComponent() {
        Tensor a = withGrad(3f, -0.2f, -7f);
        new GradientClipping.ByValue(0.5).apply(List.of(a));
        assertThat(a.grad().data()).containsExactly(0.5f, -0.2f, -0.5f);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new GradientClipping.ByNorm(0)).hasMessageContaining("maxNorm").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new GradientClipping.ByValue(-1)).hasMessageContaining("maxValue").hasMessageContaining("-1.0");
    }
}
