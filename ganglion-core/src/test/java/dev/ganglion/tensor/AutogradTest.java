package dev.ganglion.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backward engine: accumulation, scopes, detaching and misuse. */
class AutogradTest {

    private static Tensor leaf(float... values) {
        return Tensor.of(values, values.length).requiresGrad(true);
    }

    @Test
    void aTensorUsedTwiceReceivesBothContributions() {
        Tensor x = leaf(1f, -2f, 3f);
        x.mul(x).sum().backward();
        assertThat(x.grad().data()).containsExactly(2f, -4f, 6f);
    }

    @Test
    void aDiamondGraphSumsEveryPath() {
        // y = e^x; L = Σ (y·y + y) → dL/dx = (2y + 1)·y
        Tensor x = leaf(0f, 1f);
        Tensor y = x.exp();
        y.mul(y).add(y).sum().backward();
        float e = (float) Math.E;
        assertThat(x.grad().data()[0]).isEqualTo(3f);
        assertThat(x.grad().data()[1]).isCloseTo((2 * e + 1) * e, org.assertj.core.api.Assertions.within(1e-5f));
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor x = leaf(1f, 2f);
        Tensor w = Tensor.of(new float[]{3f, 4f}, 2);
        x.mul(w).sum().backward();
        assertThat(x.grad().data()).containsExactly(3f, 4f);
        x.mul(w).sum().backward();
        assertThat(x.grad().data()).containsExactly(6f, 8f);
        x.zeroGrad();
        assertThat(x.grad()).isNull();
        x.mul(w).sum().backward();
        assertThat(x.grad().data()).containsExactly(3f, 4f);
    }

    @Test
    void backwardTwiceOnTheSameGraphAccumulatesToo() {
        Tensor x = leaf(2f);
        Tensor loss = x.mul(x).sum();
        loss.backward();
        loss.backward();
        assertThat(x.grad().data()).containsExactly(8f);
    }

    @Test
    void theAccumulatedGradientIsACopyNotAnAliasOfTheSeed() {
        Tensor x = leaf(1f, 2f);
        Tensor seed = Tensor.of(new float[]{5f, 6f}, 2);
        x.backward(seed);
        seed.data()[0] = 100f;
        assertThat(x.grad().data()).containsExactly(5f, 6f);
        x.backward(seed);
        assertThat(x.grad().data()).containsExactly(105f, 12f);
        assertThat(seed.data()).containsExactly(100f, 6f);
    }

    @Test
    void onlyLeavesThatRequireAGradientReceiveOne() {
        Tensor x = leaf(1f, 2f);
        Tensor c = Tensor.of(new float[]{3f, 4f}, 2);
        Tensor hidden = x.mul(c);
        hidden.sum().backward();
        assertThat(c.grad()).isNull();
        assertThat(hidden.grad()).as("intermediate results keep no gradient").isNull();
        assertThat(x.grad().data()).containsExactly(3f, 4f);
    }

    @Test
    void computedTensorsKnowTheirOpAndLeavesDoNot() {
        Tensor x = leaf(1f);
        Tensor y = x.exp();
        assertThat(x.isLeaf()).isTrue();
        assertThat(x.op()).isEqualTo("leaf");
        assertThat(y.isLeaf()).isFalse();
        assertThat(y.op()).isEqualTo("exp");
        assertThat(y.requiresGrad()).isTrue();
        assertThat(Tensor.of(new float[]{1f}, 1).exp().requiresGrad()).as("no input requires a gradient").isFalse();
    }

    @Test
    void noGradScopeRecordsNoGraphAndNests() {
        Tensor x = leaf(1f, 2f);
        assertThat(NoGrad.isGradEnabled()).isTrue();
        try (var _ = NoGrad.enter()) {
            Tensor y = x.mul(x).sum();
            assertThat(y.requiresGrad()).isFalse();
            assertThat(y.isLeaf()).isTrue();
            try (var _ = NoGrad.enter()) {
                assertThat(NoGrad.isGradEnabled()).isFalse();
            }
            assertThat(NoGrad.isGradEnabled()).as("still inside the outer scope").isFalse();
            assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class);
        }
        assertThat(NoGrad.isGradEnabled()).isTrue();
        assertThat(x.mul(x).requiresGrad()).isTrue();
    }

    @Test
    void closingANoGradScopeTwiceLeavesOnlyOnce() {
        NoGrad outer = NoGrad.enter();
        NoGrad inner = NoGrad.enter();
        inner.close();
        inner.close();
        assertThat(NoGrad.isGradEnabled()).isFalse();
        outer.close();
        assertThat(NoGrad.isGradEnabled()).isTrue();
    }

    @Test
    void noGradIsPerThread() throws Exception {
        try (var _ = NoGrad.enter()) {
            boolean[] otherThread = new boolean[1];
            Thread t = new Thread(() -> otherThread[0] = NoGrad.isGradEnabled());
            t.start();
            t.join();
            assertThat(otherThread[0]).isTrue();
        }
    }

    @Test
    void detachStopsGradients() {
        Tensor x = leaf(2f, 3f);
        Tensor d = x.detach();
        assertThat(d.requiresGrad()).isFalse();
        assertThat(d.data()).isSameAs(x.data());
        x.mul(d).sum().backward();
        assertThat(x.grad().data()).as("only the non-detached factor contributes").containsExactly(2f, 3f);
        assertThat(d.grad()).isNull();
    }

    @Test
    void copyHasItsOwnStorageAndNoGraph() {
        Tensor x = leaf(2f, 3f);
        Tensor c = x.exp().copy();
        assertThat(c.requiresGrad()).isFalse();
        assertThat(c.isLeaf()).isTrue();
        Tensor y = x.copy();
        y.data()[0] = 9f;
        assertThat(x.data()[0]).isEqualTo(2f);
    }

    @Test
    void backwardOnANonScalarThrowsNamingTheShape() {
        Tensor x = Tensor.ones(2, 3).requiresGrad(true);
        assertThatThrownBy(() -> x.mul(x).backward())
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("backward")
                .hasMessageContaining("[2, 3]")
                .hasMessageContaining("scalar");
    }

    @Test
    void aOneElementTensorOfAnyRankCanStartBackward() {
        Tensor x = Tensor.of(new float[]{3f}, 1, 1).requiresGrad(true);
        x.mul(x).backward();
        assertThat(x.grad().data()).containsExactly(6f);
    }

    @Test
    void backwardWithoutAnyInputRequiringAGradientThrows() {
        Tensor x = Tensor.of(new float[]{1f, 2f}, 2);
        assertThatThrownBy(() -> x.mul(x).sum().backward())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not require a gradient");
    }

    @Test
    void backwardWithASeedOfTheWrongShapeThrows() {
        Tensor x = Tensor.ones(2, 3).requiresGrad(true);
        assertThatThrownBy(() -> x.exp().backward(Tensor.ones(3, 2)))
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("[3, 2]")
                .hasMessageContaining("[2, 3]");
    }

    @Test
    void aComputedTensorCannotBeUnmarked() {
        Tensor y = leaf(1f).exp();
        assertThatThrownBy(() -> y.requiresGrad(false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exp")
                .hasMessageContaining("detach");
    }

    @Test
    void theBackwardPassItselfRecordsNothing() {
        Tensor x = leaf(1f, 2f);
        x.exp().sum().backward();
        assertThat(x.grad().requiresGrad()).isFalse();
        assertThat(x.grad().isLeaf()).isTrue();
    }

    @Test
    void aVeryDeepGraphDoesNotOverflowTheStack() {
        Tensor x = leaf(1f);
        Tensor y = x;
        for (int i = 0; i < 50_000; i++) y = y.add(0f);
        y.sum().backward();
        assertThat(x.grad().data()).containsExactly(1f);
    }

    @Test
    void gradientFlowsThroughAReshapeViewOfAParameter() {
        Tensor w = Tensor.of(new float[]{1, 2, 3, 4}, 4).requiresGrad(true);
        w.reshape(2, 2).matmul(Tensor.ones(2, 1)).sum().backward();
        assertThat(w.grad().shape()).isEqualTo(Shape.of(4));
        assertThat(w.grad().data()).containsExactly(1f, 1f, 1f, 1f);
    }

    @Test
    void inPlaceAddIsNotRecordedAndChecksShapes() {
        Tensor a = Tensor.of(new float[]{1f, 2f}, 2);
        a.addInPlace(Tensor.of(new float[]{3f, 4f}, 2));
        assertThat(a.data()).containsExactly(4f, 6f);
        assertThatThrownBy(() -> a.addInPlace(Tensor.ones(3)))
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("[2]")
                .hasMessageContaining("[3]");
    }
}
