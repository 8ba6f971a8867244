package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.GradCheck;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PenaltyTest {
    static final Tensor A = Tensor.of(new float[]{1f, -2f, 0.5f, 3f}, 2, 2);
    static final Tensor B = Tensor.of(new float[]{-1f, 0.25f}, 2);

    @Test
    void l1IsLambdaTimesTheSumOfAbsoluteValues() {
        assertThat(new Penalty.L1(0.1f, List.of(A, B)).compute().item()).isCloseTo(0.1f * (1 + 2 + 0.5f + 3 + 1 + 0.25f), within(1e-6f));
    }

    @Test
    void l2IsHalfLambdaTimesTheSumOfSquares() {
        assertThat(new Penalty.L2(0.2f, List.of(A, B)).compute().item())
                .isCloseTo(0.1f * (1 + 4 + 0.25f + 9 + 1 + 0.0625f), within(1e-6f));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(1);
        // L1 has a kink at 0: keep the weights away from it
        Tensor w = Gen.awayFrom(rng, -2, 2, 0.1, new double[]{0}, 3, 2), b = Gen.awayFrom(rng, -2, 2, 0.1, new double[]{0}, 2);
        GradCheck.check("l1 penalty", in -> new Penalty.L1(0.3f, List.of(in[0], in[1])).compute(), w, b);
        GradCheck.check("l2 penalty", in -> new Penalty.L2(0.3f, List.of(in[0], in[1])).compute(), w, b);
    }

    @Test
    void theL2GradientIsLambdaTimesTheWeights() {
        Tensor w = Tensor.of(new float[]{1f, -2f, 0.5f}, 3).requiresGrad(true);
        new Penalty.L2(0.5f, List.of(w)).compute().backward();
        assertThat(w.grad().data()).containsExactly(0.5f, -1f, 0.25f);
    }

    @Test
    void weightsOfPicksTheMatricesNotBiasesOrNormalisationParameters() {
        SplittableRandom rng = new SplittableRandom(1);
        Dense a = new Dense(3, 4, new Activation.Relu(), rng), b = new Dense(4, 1, new Activation.Linear(), rng);
        Sequential s = new Sequential(a, new LayerNorm(4), b);
        assertThat(Penalty.weightsOf(s)).containsExactly(a.weight(), b.weight());
    }

    @Test
    void lambdaAndParametersAreChecked() {
        assertThatThrownBy(() -> new Penalty.L2(-1f, List.of(A))).hasMessageContaining("lambda").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new Penalty.L1(0.1f, List.of())).hasMessageContaining("no parameters");
    }
}
