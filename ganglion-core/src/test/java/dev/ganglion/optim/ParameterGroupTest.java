package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ParameterGroupTest {

    private static Tensor matrix() {
        return Tensor.full(1f, 2, 2).requiresGrad(true);
    }

    private static Tensor vector() {
        return Tensor.full(1f, 2).requiresGrad(true);
    }

    private static void setGrad(Tensor p, float g) {
        p.zeroGrad();
        p.mul(g).sum().backward();
    }

    @Test
    void eachGroupUsesItsOwnLearningRateAndWeightDecayAndTheOthersTheDefaults() {
        Tensor a = matrix(), b = vector(), c = vector();
        Sgd sgd = new Sgd(List.of(ParameterGroup.of(List.of(a)),
                ParameterGroup.of(List.of(b)).withLearningRate(0.5f).withWeightDecay(0f),
                ParameterGroup.of(List.of(c)).withWeightDecay(1f)), 0.1f, 0f, false, 0.2f);
        assertThat(sgd.groupCount()).isEqualTo(3);
        assertThat(sgd.parameters()).containsExactly(a, b, c);
        assertThat(sgd.learningRate(0)).isEqualTo(0.1f);
        assertThat(sgd.learningRate(1)).isEqualTo(0.5f);
        assertThat(sgd.weightDecay(0)).isEqualTo(0.2f);
        assertThat(sgd.weightDecay(1)).isEqualTo(0f);
        assertThat(sgd.weightDecay(2)).isEqualTo(1f);
        for (Tensor p : List.of(a, b, c)) setGrad(p, 1f);
        sgd.step();
        assertThat(a.data()[0]).isCloseTo(1f - 0.1f * (1f + 0.2f), within(1e-6f));
        assertThat(b.data()[0]).isCloseTo(1f - 0.5f * 1f, within(1e-6f));
        assertThat(c.data()[0]).isCloseTo(1f - 0.1f * (1f + 1f), within(1e-6f));
    }

    @Test
    void setLearningRateSetsEveryGroupAndTheIndexedFormOneGroup() {
        Sgd sgd = new Sgd(List.of(ParameterGroup.of(List.of(matrix())), ParameterGroup.of(List.of(vector())).withLearningRate(0.5f)),
                0.1f, 0f, false, 0f);
        sgd.setLearningRate(1, 0.25f);
        assertThat(sgd.learningRate(1)).isEqualTo(0.25f);
        assertThat(sgd.learningRate()).as("the first group's").isEqualTo(0.1f);
        sgd.setLearningRate(0.3f);
        assertThat(sgd.learningRate(0)).isEqualTo(0.3f);
        assertThat(sgd.learningRate(1)).isEqualTo(0.3f);
    }

    @Test
    void decayMatricesOnlyExemptsBiasesAndNormalisationParameters() {
        Tensor w1 = matrix(), b1 = vector(), w2 = matrix(), b2 = vector();
        List<ParameterGroup> groups = ParameterGroup.decayMatricesOnly(List.of(w1, b1, w2, b2));
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).parameters()).containsExactly(w1, w2);
        assertThat(groups.get(0).weightDecay()).isEmpty();
        assertThat(groups.get(1).parameters()).containsExactly(b1, b2);
        assertThat(groups.get(1).weightDecay()).isEqualTo(OptionalDouble.of(0));
        AdamW adamw = new AdamW(groups, 0.1f, 0.9f, 0.999f, 1e-8f, 0.3f);
        assertThat(adamw.weightDecay(0)).isEqualTo(0.3f);
        assertThat(adamw.weightDecay(1)).isEqualTo(0f);
        assertThat(ParameterGroup.decayMatricesOnly(List.of(w1))).as("no empty groups").hasSize(1);
    }

    @Test
    void aParameterInTwoGroupsOrNoParametersAtAllIsAnError() {
        Tensor a = matrix();
        assertThatThrownBy(() -> new Adam(List.of(ParameterGroup.of(List.of(a)), ParameterGroup.of(List.of(vector(), a))),
                0.1f, 0.9f, 0.999f, 1e-8f, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groups 0 and 1");
        assertThatThrownBy(() -> new Adam(List.of(ParameterGroup.of(List.of())), 0.1f, 0.9f, 0.999f, 1e-8f, 0f))
                .hasMessageContaining("empty parameter list");
        assertThatThrownBy(() -> ParameterGroup.of(List.of(a)).withLearningRate(-1f)).hasMessageContaining("-1.0");
        assertThatThrownBy(() -> ParameterGroup.of(List.of(a)).withWeightDecay(-2f)).hasMessageContaining("-2.0");
    }
}
