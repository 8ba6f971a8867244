package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.GradCheck;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DropoutTest {

    @Test
    void trainingZeroesAboutRateOfTheElementsAndScalesTheRest() {
        Dropout d = new Dropout(0.3f, new SplittableRandom(1));
        Tensor x = Gen.uniform(new SplittableRandom(2), 0.5, 1.5, 100, 100);
        Tensor y = d.forward(x);
        int zeros = 0;
        for (int i = 0; i < x.size(); i++) {
            if (y.data()[i] == 0f) zeros++;
            else assertThat(y.data()[i]).isCloseTo(x.data()[i] / 0.7f, within(1e-6f));
        }
        // 10 000 Bernoulli(0.3) draws: the share is within 4.6 standard deviations (0.0046) of 0.3
        assertThat(zeros / 10000.0).isCloseTo(0.3, within(0.02));
        assertThat(d.forward(x).data()).as("a fresh mask each pass").isNotEqualTo(y.data());
    }

    @Test
    void evaluationModeAndRateZeroAreTheIdentity() {
        Tensor x = Gen.uniform(new SplittableRandom(3), -1, 1, 4, 5);
        Dropout d = new Dropout(0.5f, new SplittableRandom(1));
        d.train(false);
        assertThat(d.forward(x)).isSameAs(x);
        assertThat(new Dropout(0f, new SplittableRandom(1)).forward(x)).isSameAs(x);
        assertThat(d.parameters()).isEmpty();
        assertThat(d.toString()).isEqualTo("Dropout(0.5)");
    }

    @Test
    void theSameSeedGivesTheSameMasks() {
        Tensor x = Tensor.ones(3, 7);
        Tensor a = new Dropout(0.4f, new SplittableRandom(9)).forward(x), b = new Dropout(0.4f, new SplittableRandom(9)).forward(x);
        assertThat(a.data()).containsExactly(b.data());
    }

    @Test
    void gradientIsTheScaledMask() {
        // a fresh module with the same seed per call: the same mask at every finite-difference point
        GradCheck.check("dropout(0.4)", x -> new Dropout(0.4f, new SplittableRandom(5)).forward(x[0]),
                Gen.uniform(new SplittableRandom(6), -2, 2, 4, 3));
        Tensor x = Tensor.ones(2, 5).requiresGrad(true);
        Tensor y = new Dropout(0.5f, new SplittableRandom(5)).forward(x);
        y.sum().backward();
        assertThat(x.grad().data()).containsExactly(y.data());
    }

    @Test
    void sequentialPassesTheModeToItsDropoutLayers() {
        SplittableRandom rng = new SplittableRandom(1);
        Dense first = new Dense(3, 8, new Activation.Relu(), rng), last = new Dense(8, 2, new Activation.Softmax(), rng);
        Dropout dropout = new Dropout(0.5f, new SplittableRandom(2));
        Sequential s = new Sequential(first, dropout, last);
        Tensor x = Gen.uniform(new SplittableRandom(3), -1, 1, 5, 3);
        s.train(false);
        assertThat(dropout.isTraining()).isFalse();
        assertAllClose("eval forward", s.forward(x), last.forward(first.forward(x)), 0, 0);
        assertAllClose("eval logits", s.forwardLogits(x), last.preActivation(first.forward(x)), 0, 0);
        assertThat(s.trace(x)).hasSize(3);
        assertAllClose("trace of the dropout layer", s.trace(x).get(1).a(), first.forward(x), 0, 0);
        s.train(true);
        assertThat(dropout.isTraining()).isTrue();
        assertThat(s.forward(x).data()).isNotEqualTo(last.forward(first.forward(x)).data());
    }

    @Test
    void rateMustBeBelowOne() {
        assertThatThrownBy(() -> new Dropout(1f, new SplittableRandom(1))).hasMessageContaining("rate").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Dropout(-0.1f, new SplittableRandom(1))).hasMessageContaining("-0.1");
    }
}
