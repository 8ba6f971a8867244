package dev.ganglion.nn;

import dev.ganglion.tensor.Shape;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequentialContractTest extends ModuleContractTest<Sequential> {

    @Override
    protected Sequential create(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Dense(3, 4, new Activation.Tanh(), rng), new Dense(4, 2, new Activation.Linear(), rng));
    }

    @Override
    protected Tensor input() {
        return Gen.uniform(new SplittableRandom(20), -1, 1, 6, 3);
    }

    @Override
    protected Shape expectedOutputShape() {
        return Shape.of(6, 2);
    }

    @Override
    protected List<String> expectedParameterNames() {
        return List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias");
    }

    @Override
    protected long expectedParameterCount() {
        return 3 * 4 + 4 + 4 * 2 + 2;
    }

    @Test
    void forwardChainsTheLayersAndLogitsStopBeforeTheLastActivation() {
        SplittableRandom rng = new SplittableRandom(1);
        Dense a = new Dense(3, 4, new Activation.Relu(), rng), b = new Dense(4, 2, new Activation.Softmax(), rng);
        Sequential s = new Sequential(a, b);
        Tensor x = input();
        assertAllClose("forward", s.forward(x), b.forward(a.forward(x)), 0, 0);
        assertAllClose("logits", s.forwardLogits(x), b.preActivation(a.forward(x)), 0, 0);
        List<Dense.Trace> trace = s.trace(x);
        assertThat(trace).hasSize(2);
        assertAllClose("trace[1].a", trace.get(1).a(), s.forward(x), 0, 0);
        assertThat(s.layers()).containsExactly(a, b);
        assertThat(s.children()).containsOnlyKeys("layers");
    }

    @Test
    void forwardLogitsNeedsADenseLastLayer() {
        Sequential s = new Sequential(new Dense(3, 2, new Activation.Relu(), new SplittableRandom(1)), new Sequential(new Dense(2, 2, new Activation.Relu(), new SplittableRandom(2))));
        assertThatThrownBy(() -> s.forwardLogits(input())).isInstanceOf(IllegalStateException.class).hasMessageContaining("not Dense");
        assertThat(s.namedParameters().keySet()).contains("layers.1.layers.0.weight");
    }

    @Test
    void needsAtLeastOneLayer() {
        assertThatThrownBy(() -> new Sequential(List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one layer");
    }
}
