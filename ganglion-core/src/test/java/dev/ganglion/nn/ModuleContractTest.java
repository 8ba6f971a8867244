package dev.ganglion.nn;

import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Shape;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance test every module passes (STYLE §11): output shape, parameter names and count,
 * gradients reaching every parameter, a save→load round trip, and one optimiser step that lowers
 * the loss on a fixed batch. A layer's test extends this and says what to build.
 */
abstract class ModuleContractTest<M extends Module> {

    /** A fresh module, initialised from {@code seed}. */
    protected abstract M create(long seed);

    /** A batch the module accepts. */
    protected abstract Tensor input();

    protected abstract Shape expectedOutputShape();

    protected abstract List<String> expectedParameterNames();

    protected abstract long expectedParameterCount();

    @Test
    void outputHasTheExpectedShape() {
        assertThat(create(1).forward(input()).shape()).isEqualTo(expectedOutputShape());
    }

    @Test
    void parametersAreNamedAndCountedInRegistrationOrder() {
        M m = create(1);
        assertThat(m.namedParameters().keySet()).containsExactlyElementsOf(expectedParameterNames());
        assertThat(m.parameterCount()).isEqualTo(expectedParameterCount());
        assertThat(m.parameters()).containsExactlyElementsOf(m.namedParameters().values());
        for (Tensor p : m.parameters()) assertThat(p.requiresGrad()).isTrue();
    }

    @Test
    void gradientsReachEveryParameter() {
        M m = create(1);
        Tensor out = m.forward(input());
        Tensor weights = Gen.uniform(new SplittableRandom(2), 0.5, 1.5, out.shape().dims());
        out.mul(weights).sum().backward();
        m.namedParameters().forEach((name, p) -> {
            assertThat(p.grad()).as("gradient of " + name).isNotNull();
            assertThat(p.grad().shape()).as("gradient shape of " + name).isEqualTo(p.shape());
            assertThat(p.grad().data()).as("gradient of " + name + " is not all zero").isNotEqualTo(new float[p.size()]);
        });
        m.zeroGrad();
        for (Tensor p : m.parameters()) assertThat(p.grad()).isNull();
    }

    @Test
    void savedParametersLoadIntoAFreshModuleAndGiveIdenticalOutputs() {
        M trained = create(1), fresh = create(2);
        Tensor x = input();
        try (var _ = NoGrad.enter()) {
            assertThat(fresh.forward(x).data()).as("different seeds differ").isNotEqualTo(trained.forward(x).data());
            Map<String, Tensor> saved = new LinkedHashMap<>();
            trained.namedParameters().forEach((k, v) -> saved.put(k, v.copy()));
            fresh.loadParameters(saved);
            assertThat(fresh.forward(x).data()).containsExactly(trained.forward(x).data());
            // the values were copied, not shared
            saved.values().iterator().next().data()[0] += 1f;
            assertThat(fresh.forward(x).data()).containsExactly(trained.forward(x).data());
        }
    }

    @Test
    void oneOptimiserStepLowersTheLossOnAFixedBatch() {
        M m = create(3);
        Tensor x = input();
        Tensor target = Gen.uniform(new SplittableRandom(4), -1, 1, expectedOutputShape().dims());
        Sgd sgd = new Sgd(m.parameters(), 0.01f);
        Tensor before = new Loss.MeanSquaredError().compute(m.forward(x), target);
        before.backward();
        sgd.step();
        float after;
        try (var _ = NoGrad.enter()) {
            after = new Loss.MeanSquaredError().compute(m.forward(x), target).item();
        }
        assertThat(after).isLessThan(before.item());
    }

    @Test
    void trainingModeReachesEveryDescendant() {
        M m = create(1);
        m.train(false);
        assertThat(m.isTraining()).isFalse();
        m.children().values().forEach(c -> assertThat(c.isTraining()).isFalse());
        m.train(true);
        assertThat(m.isTraining()).isTrue();
    }
}
