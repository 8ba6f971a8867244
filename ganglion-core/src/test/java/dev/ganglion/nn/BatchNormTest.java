package dev.ganglion.nn;

import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Shape;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.GradCheck;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BatchNormTest extends ModuleContractTest<BatchNorm1d> {

    /** A batch norm whose scale and shift have been moved away from 1 and 0, as by training. */
    @Override
    protected BatchNorm1d create(long seed) {
        BatchNorm1d bn = new BatchNorm1d(4);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int j = 0; j < 4; j++) {
            bn.weight().data()[j] = 0.5f + rng.nextFloat();
            bn.bias().data()[j] = rng.nextFloat() - 0.5f;
        }
        return bn;
    }

    @Override
    protected Tensor input() {
        return Gen.uniform(new SplittableRandom(30), -2, 2, 6, 4);
    }

    @Override
    protected Shape expectedOutputShape() {
        return Shape.of(6, 4);
    }

    @Override
    protected List<String> expectedParameterNames() {
        return List.of("weight", "bias");
    }

    @Override
    protected long expectedParameterCount() {
        return 8;
    }

    private static final float[][] X = {{1, 10}, {2, 20}, {3, 60}, {6, 30}};

    @Test
    void trainingNormalisesByTheBatchStatisticsAndUpdatesTheRunningOnes() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.weight().data()[1] = 2f;
        bn.bias().data()[0] = 0.5f;
        Tensor y = bn.forward(Tensor.of(X));
        // column 0: mean 3, biased variance (4 + 1 + 0 + 9)/4 = 3.5, unbiased 14/3
        // column 1: mean 30, biased variance (400 + 100 + 900 + 0)/4 = 350, unbiased 1400/3
        double s0 = Math.sqrt(3.5 + 1e-5), s1 = Math.sqrt(350 + 1e-5);
        double[] expected = new double[8];
        for (int i = 0; i < 4; i++) {
            expected[2 * i] = (X[i][0] - 3) / s0 + 0.5;
            expected[2 * i + 1] = 2 * (X[i][1] - 30) / s1;
        }
        assertAllClose("y", y.data(), expected, 1e-5, 1e-6);
        assertAllClose("running mean", bn.runningMean().data(), new double[]{0.1 * 3, 0.1 * 30}, 1e-6, 1e-7);
        assertAllClose("running var", bn.runningVar().data(), new double[]{0.9 + 0.1 * 14 / 3.0, 0.9 + 0.1 * 1400 / 3.0}, 1e-6, 1e-6);
    }

    @Test
    void evaluationUsesTheRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.runningMean().data()[0] = 1f;
        bn.runningVar().data()[1] = 4f;
        bn.train(false);
        Tensor y = bn.forward(Tensor.of(new float[][]{{3, 8}}));
        assertAllClose("y", y.data(), new double[]{2 / Math.sqrt(1 + 1e-5), 8 / Math.sqrt(4 + 1e-5)}, 1e-6, 1e-6);
        assertThat(bn.runningMean().data()).as("no update in evaluation").containsExactly(1f, 0f);
    }

    @Test
    void gradientFlowsThroughTheBatchStatistics() {
        // ∂y/∂x through μ and σ², and ∂y/∂γ, ∂y/∂β, on the module's own parameter tensors
        BatchNorm1d bn = create(7);
        Tensor x = Gen.uniform(new SplittableRandom(31), -2, 2, 5, 4);
        GradCheck.check("batchnorm1d training", in -> bn.forward(in[0]), x, bn.weight(), bn.bias());
    }

    @Test
    void theInputGradientSumsToZeroOverTheBatch() {
        // in training mode y does not change when a constant is added to a feature's column
        BatchNorm1d bn = create(8);
        Tensor x = Gen.uniform(new SplittableRandom(34), -2, 2, 4, 4).requiresGrad(true);
        Tensor w = Gen.uniform(new SplittableRandom(35), -1, 1, 4, 4);
        bn.forward(x).mul(w).sum().backward();
        for (int j = 0; j < 4; j++) {
            double sum = 0, size = 0;
            for (int i = 0; i < 4; i++) {
                sum += x.grad().get(i, j);
                size += Math.abs(x.grad().get(i, j));
            }
            assertThat(size).as("feature %d has a gradient", j).isGreaterThan(0.1);
            assertThat(sum).as("Σ_i ∂L/∂x_ij for feature %d", j).isCloseTo(0, within(1e-5));
        }
        // ∂L/∂β = Σ_i w_ij
        float[] dBeta = new float[4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) dBeta[j] += w.get(i, j);
        assertAllClose("dβ", bn.bias().grad().data(), dBeta, 1e-5, 1e-6);
    }

    @Test
    void runningStatisticsAreBuffersNotParameters() {
        BatchNorm1d bn = new BatchNorm1d(3);
        assertThat(bn.namedBuffers().keySet()).containsExactly("running_mean", "running_var");
        assertThat(bn.namedParameters().keySet()).containsExactly("weight", "bias");
        assertThat(bn.stateDict().keySet()).containsExactly("weight", "bias", "running_mean", "running_var");
        assertThat(bn.runningMean().requiresGrad()).isFalse();
        Sequential s = new Sequential(new Dense(2, 3, new Activation.Relu(), new SplittableRandom(1)), bn);
        assertThat(s.namedBuffers().keySet()).containsExactly("layers.1.running_mean", "layers.1.running_var");
        assertThat(s.parameters()).doesNotContain(bn.runningMean(), bn.runningVar());
    }

    @Test
    void theStateDictRoundTripsTheRunningStatistics() {
        BatchNorm1d trained = create(1);
        for (int k = 0; k < 3; k++) trained.forward(Gen.uniform(new SplittableRandom(40 + k), -3, 3, 8, 4));
        trained.train(false);
        BatchNorm1d fresh = create(2);
        fresh.train(false);
        Map<String, Tensor> state = new LinkedHashMap<>();
        trained.stateDict().forEach((k, v) -> state.put(k, v.copy()));
        fresh.loadStateDict(state);
        Tensor x = input();
        try (var _ = NoGrad.enter()) {
            assertThat(fresh.forward(x).data()).containsExactly(trained.forward(x).data());
        }
        Map<String, Tensor> buffersOnly = new LinkedHashMap<>(trained.namedBuffers());
        buffersOnly.remove("running_var");
        assertThatThrownBy(() -> fresh.loadBuffers(buffersOnly)).hasMessageContaining("missing \"running_var\" [4]");
        assertThatThrownBy(() -> fresh.loadStateDict(trained.namedParameters())).hasMessageContaining("missing \"running_mean\"");
    }

    @Test
    void trainingNeedsTwoSamplesAndTheRightWidth() {
        BatchNorm1d bn = new BatchNorm1d(3);
        assertThatThrownBy(() -> bn.forward(Tensor.zeros(1, 3))).isInstanceOf(ShapeException.class).hasMessageContaining("more than one sample");
        assertThatThrownBy(() -> bn.forward(Tensor.zeros(4, 2))).isInstanceOf(ShapeException.class)
                .hasMessageContaining("BatchNorm1d(3)").hasMessageContaining("[4, 2]");
        bn.train(false);
        assertThat(bn.forward(Tensor.zeros(1, 3)).shape()).isEqualTo(Shape.of(1, 3));
        assertThatThrownBy(() -> new BatchNorm1d(0)).hasMessageContaining("features");
    }
}
