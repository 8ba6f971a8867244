package dev.ganglion.nn;

import dev.ganglion.tensor.Shape;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.GradCheck;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;

/** A Sequential with normalisation layers between its dense layers passes the module contract. */
class NormalisedSequentialContractTest extends ModuleContractTest<Sequential> {

    @Override
    protected Sequential create(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Dense(3, 4, new Activation.Tanh(), rng), new BatchNorm1d(4),
                new Dense(4, 5, new Activation.Relu(), rng), new LayerNorm(5), new Dense(5, 2, new Activation.Sigmoid(), rng));
    }

    @Override
    protected Tensor input() {
        return Gen.uniform(new SplittableRandom(60), -1, 1, 6, 3);
    }

    @Override
    protected Shape expectedOutputShape() {
        return Shape.of(6, 2);
    }

    @Override
    protected List<String> expectedParameterNames() {
        return List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias",
                "layers.3.weight", "layers.3.bias", "layers.4.weight", "layers.4.bias");
    }

    @Override
    protected long expectedParameterCount() {
        return 3 * 4 + 4 + 4 + 4 + 4 * 5 + 5 + 5 + 5 + 5 * 2 + 2;
    }

    @Test
    void logitsAndTraceWorkAcrossNormalisationLayers() {
        Sequential s = create(1);
        Tensor x = input();
        Dense last = (Dense) s.layers().getLast();
        assertAllClose("logits", s.forwardLogits(x).sigmoid(), s.forward(x), 1e-6, 1e-7);
        List<Dense.Trace> trace = s.trace(x);
        assertThat(trace).hasSize(5);
        assertAllClose("trace ends at the output", trace.getLast().a(), s.forward(x), 0, 0);
        assertAllClose("the last layer's z", trace.getLast().z(), last.preActivation(trace.get(3).a()), 0, 0);
        assertThat(s.namedBuffers().keySet()).containsExactly("layers.1.running_mean", "layers.1.running_var");
    }

    @Test
    void gradientCheckThroughTheWholeStack() {
        Sequential s = create(2);
        GradCheck.check("dense-batchnorm-dense-layernorm-dense", in -> s.forward(in[0]), input());
    }
}
