package dev.ganglion.testing;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture itself: it must accept correct gradients and catch wrong ones, naming where. */
class GradCheckTest {

    @Test
    void acceptsACorrectGradient() {
        Tensor x = Tensor.of(new float[]{0.5f, -1f, 2f}, 3);
        assertThatCode(() -> GradCheck.check("x*x*x", in -> in[0].mul(in[0]).mul(in[0]), x)).doesNotThrowAnyException();
    }

    @Test
    void catchesAGradientThatIsHalfTheTrueOne() {
        // detach() hides one factor from autograd: the analytic gradient is half the true one
        Tensor x = Tensor.of(new float[]{0.5f, -1f, 2f}, 3);
        assertThatThrownBy(() -> GradCheck.check("half-detached square", in -> in[0].detach().mul(in[0]), x))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("half-detached square")
                .hasMessageContaining("input 0 [3]")
                .hasMessageContaining("element 2 [2]")
                .hasMessageContaining("3 gradient element(s) differ")
                .hasMessageContaining("numeric ")
                .hasMessageContaining("analytic ");
    }

    @Test
    void catchesAGradientMissingForOneOutputElementOnly() {
        // only output element [1, 2] has a wrong gradient; the random weighting must expose it
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor mask = Tensor.of(new float[]{1, 1, 1, 1, 1, 0}, 2, 3);
        assertThatThrownBy(() -> GradCheck.check("masked", in -> in[0].mul(mask).add(in[0].detach().mul(mask.rsub(1f))), x))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 gradient element(s) differ")
                .hasMessageContaining("element 5 [1, 2]");
    }

    @Test
    void catchesAForwardPassThatModifiesItsInput() {
        Tensor x = Tensor.of(new float[]{1, 2}, 2);
        assertThatThrownBy(() -> GradCheck.check("mutating", in -> {
            in[0].data()[0] += 1f;
            return in[0].mul(2f);
        }, x)).isInstanceOf(AssertionError.class).hasMessageContaining("modified input 0");
    }
}
