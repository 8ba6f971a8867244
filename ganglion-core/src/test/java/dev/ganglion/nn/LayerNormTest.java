package dev.ganglion.nn;

import dev.ganglion.tensor.Shape;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.GradCheck;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayerNormTest extends ModuleContractTest<LayerNorm> {

    @Override
    protected LayerNorm create(long seed) {
        LayerNorm ln = new LayerNorm(5);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int j = 0; j < 5; j++) {
            ln.weight().data()[j] = 0.5f + rng.nextFloat();
            ln.bias().data()[j] = rng.nextFloat() - 0.5f;
        }
        return ln;
    }

    @Override
    protected Tensor input() {
        return Gen.uniform(new SplittableRandom(50), -2, 2, 3, 5);
    }

    @Override
    protected Shape expectedOutputShape() {
        return Shape.of(3, 5);
    }

    @Override
    protected List<String> expectedParameterNames() {
        return List.of("weight", "bias");
    }

    @Override
    protected long expectedParameterCount() {
        return 10;
    }

    @Test
    void normalisesEachSampleOverItsFeatures() {
        LayerNorm ln = new LayerNorm(4);
        ln.weight().data()[3] = 3f;
        ln.bias().data()[0] = 1f;
        Tensor y = ln.forward(Tensor.of(new float[][]{{1, 2, 3, 6}, {-1, -1, 1, 1}}));
        // row 0: mean 3, variance (4 + 1 + 0 + 9)/4 = 3.5; row 1: mean 0, variance 1
        double s0 = Math.sqrt(3.5 + 1e-5), s1 = Math.sqrt(1 + 1e-5);
        assertAllClose("y", y.data(), new double[]{-2 / s0 + 1, -1 / s0, 0, 3 * 3 / s0, -1 / s1 + 1, -1 / s1, 1 / s1, 3 / s1}, 1e-5, 1e-6);
        ln.train(false);
        assertAllClose("the same in evaluation mode", ln.forward(Tensor.of(new float[][]{{1, 2, 3, 6}})).data(),
                new float[]{y.data()[0], y.data()[1], y.data()[2], y.data()[3]}, 0, 0);
        assertThat(ln.namedBuffers()).isEmpty();
    }

    @Test
    void gradientCheckOnMatricesAndHigherRanks() {
        // with respect to the input and to γ and β, the module's own parameter tensors
        LayerNorm ln = create(3);
        GradCheck.check("layernorm [4,5]", in -> ln.forward(in[0]), Gen.uniform(new SplittableRandom(51), -2, 2, 4, 5),
                ln.weight(), ln.bias());
        GradCheck.check("layernorm [2,3,5]", in -> ln.forward(in[0]), Gen.uniform(new SplittableRandom(52), -2, 2, 2, 3, 5));
    }

    @Test
    void theLastDimensionMustMatch() {
        assertThatThrownBy(() -> new LayerNorm(5).forward(Tensor.zeros(2, 4))).isInstanceOf(ShapeException.class)
                .hasMessageContaining("LayerNorm(5)").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> new LayerNorm(0)).hasMessageContaining("features");
    }
}
