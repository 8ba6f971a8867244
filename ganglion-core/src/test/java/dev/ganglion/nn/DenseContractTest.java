package dev.ganglion.nn;

import dev.ganglion.tensor.Shape;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DenseContractTest {

    abstract static class DenseContract extends ModuleContractTest<Dense> {
        abstract Activation activation();

        @Override
        protected Dense create(long seed) {
            return new Dense(4, 3, activation(), new SplittableRandom(seed));
        }

        @Override
        protected Tensor input() {
            return Gen.uniform(new SplittableRandom(10), -1, 1, 5, 4);
        }

        @Override
        protected Shape expectedOutputShape() {
            return Shape.of(5, 3);
        }

        @Override
        protected List<String> expectedParameterNames() {
            return List.of("weight", "bias");
        }

        @Override
        protected long expectedParameterCount() {
            return 4 * 3 + 3;
        }

        @Test
        void forwardIsTheActivationOfXTimesWTransposedPlusB() {
            Dense d = create(5);
            // a non-zero bias, so that its role is tested too
            d.bias().data()[1] = 0.3f;
            Tensor x = input();
            Tensor z = x.matmul(d.weight().transpose()).add(d.bias());
            assertAllClose("z", d.preActivation(x), z, 1e-6, 1e-6);
            assertAllClose("a", d.forward(x), activation().apply(z), 1e-6, 1e-6);
            Dense.Trace t = d.trace(x);
            assertAllClose("trace z", t.z(), z, 1e-6, 1e-6);
            assertAllClose("trace a", t.a(), activation().apply(z), 1e-6, 1e-6);
        }
    }

    @Nested
    class WithRelu extends DenseContract {
        Activation activation() {
            return new Activation.Relu();
        }
    }

    @Nested
    class WithSigmoid extends DenseContract {
        Activation activation() {
            return new Activation.Sigmoid();
        }
    }

    @Nested
    class WithSoftmax extends DenseContract {
        Activation activation() {
            return new Activation.Softmax();
        }
    }

    @Nested
    class WithTanh extends DenseContract {
        Activation activation() {
            return new Activation.Tanh();
        }
    }

    @Test
    void shapesAndInitialisation() {
        Dense d = new Dense(3, 2, new Activation.Tanh(), new Initializer.Constant(0.5f), new Initializer.Constant(-1f), new SplittableRandom(1));
        assertThat(d.weight().shape()).as("PyTorch layout [units, in]").isEqualTo(Shape.of(2, 3));
        assertThat(d.bias().shape()).isEqualTo(Shape.of(2));
        assertThat(d.weight().data()).containsOnly(0.5f);
        assertThat(d.bias().data()).containsOnly(-1f);
        assertThat(d.inFeatures()).isEqualTo(3);
        assertThat(d.units()).isEqualTo(2);
        assertThat(d.toString()).isEqualTo("Dense(3 -> 2, tanh)");
        Dense defaults = new Dense(3, 2, new Activation.Relu(), new SplittableRandom(1));
        assertThat(defaults.bias().data()).as("default bias is zero").containsOnly(0f);
    }

    @Test
    void rejectsEmptyLayers() {
        assertThatThrownBy(() -> new Dense(0, 2, new Activation.Relu(), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inFeatures").hasMessageContaining("0");
        assertThatThrownBy(() -> new Dense(2, -1, new Activation.Relu(), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("units").hasMessageContaining("-1");
    }
}
