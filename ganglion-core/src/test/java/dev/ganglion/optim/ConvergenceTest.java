package dev.ganglion.optim;

import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every optimiser lowers the loss of a small linear regression, y = 3·x0 − 2·x1 + 1 + noise. */
class ConvergenceTest {

    record Case(String name, Function<List<Tensor>, Optimizer> create, int steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> optimisers() {
        return Stream.of(
                new Case("sgd", p -> new Sgd(p, 0.1f), 100),
                new Case("momentum", p -> new Sgd(p, 0.05f, 0.9f, false), 100),
                new Case("nesterov", p -> new Sgd(p, 0.05f, 0.9f, true), 100),
                new Case("sgd + weight decay", p -> new Sgd(ParameterGroup.single(p), 0.1f, 0f, false, 1e-3f), 100),
                new Case("adam", p -> new Adam(p, 0.1f), 100),
                new Case("adamw", p -> new AdamW(p, 0.1f, 1e-3f), 100),
                new Case("rmsprop", p -> new RmsProp(p, 0.02f), 200),
                new Case("rmsprop + momentum", p -> new RmsProp(ParameterGroup.single(p), 0.01f, 0.99f, 1e-8f, 0.5f, 0f), 200),
                new Case("adagrad", p -> new Adagrad(p, 0.5f), 200),
                new Case("lbfgs", Lbfgs::new, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimisers")
    void lowersTheLossOfASmallRegression(Case c) {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor x = Gen.uniform(rng, -1, 1, 64, 2);
        float[] ys = new float[64];
        for (int i = 0; i < 64; i++) ys[i] = 3 * x.get(i, 0) - 2 * x.get(i, 1) + 1 + 0.05f * (float) rng.nextGaussian();
        Tensor y = Tensor.of(ys, 64, 1);
        Tensor w = Tensor.zeros(1, 2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true);
        Optimizer opt = c.create().apply(List.of(w, b));
        Loss mse = new Loss.MeanSquaredError();
        float initial = mse.compute(Tensor.linear(x, w, b), y).item();
        for (int s = 0; s < c.steps(); s++) {
            opt.step(() -> {
                opt.zeroGrad();
                Tensor l = mse.compute(Tensor.linear(x, w, b), y);
                l.backward();
                return l.item();
            });
        }
        float last;
        try (var _ = NoGrad.enter()) {
            last = mse.compute(Tensor.linear(x, w, b), y).item();
        }
        assertThat(last).as("loss after %d steps, from %.3f", c.steps(), initial).isLessThan(initial / 100);
    }
}
