package dev.ganglion.tensor;

import dev.ganglion.nn.Loss;
import dev.ganglion.testing.GradCheck;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One row per differentiable operation of {@link Tensor}: its analytic gradient must match central
 * finite differences (see {@link GradCheck} for the tolerances). Adding an op means adding a row.
 * Inputs are drawn from a generator seeded by the row's name, so every run checks the same values.
 */
class OpGradientTest {

    /** A gradient-check case: the op under test and how to draw its inputs. */
    record OpCase(String name, Function<Tensor[], Tensor> op, Function<RandomGenerator, Tensor[]> inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** How to draw one input of a given shape. */
    interface Dist {
        Tensor draw(RandomGenerator rng, int[] shape);
    }

    static final Dist ANY = (r, s) -> Gen.uniform(r, -2, 2, s);
    static final Dist POSITIVE = (r, s) -> Gen.uniform(r, 0.5, 3, s);
    static final Dist NONZERO = (r, s) -> Gen.nonZero(r, 0.5, 2, s);
    static final Dist AWAY_FROM_0 = (r, s) -> Gen.awayFrom(r, -2, 2, 0.1, new double[]{0}, s);

    private static int[] s(int... dims) {
        return dims;
    }

    /** Broadcasting shape pairs every binary op is checked on. */
    static final int[][][] BROADCAST_PAIRS = {
            {s(3, 4), s(3, 4)},
            {s(3, 4), s(4)},
            {s(3, 1), s(1, 4)},
            {s(2, 3, 4), s(3, 1)},
            {s(3, 4), s()},
            {s(), s(3, 4)},
            {s(4), s(3, 4)},
            {s(2, 1, 4), s(3, 1)},
            {s(), s()},
    };

    static List<OpCase> ops() {
        List<OpCase> rows = new ArrayList<>();

        // ---- broadcasting binary ops
        binary(rows, "add", Tensor::add, ANY, ANY);
        binary(rows, "sub", Tensor::sub, ANY, ANY);
        binary(rows, "mul", Tensor::mul, ANY, ANY);
        binary(rows, "div", Tensor::div, ANY, NONZERO);
        binary(rows, "pow", Tensor::pow, POSITIVE, (r, sh) -> Gen.uniform(r, -1.5, 2.5, sh));
        // grids offset by 0.25: no ties, so the gradient is well defined everywhere
        binary(rows, "maximum", Tensor::maximum, (r, sh) -> Gen.grid(r, 0, sh), (r, sh) -> Gen.grid(r, 0.25, sh));
        binary(rows, "minimum", Tensor::minimum, (r, sh) -> Gen.grid(r, 0, sh), (r, sh) -> Gen.grid(r, 0.25, sh));

        // ---- ops with a float argument (the scalar is a constant, not differentiated)
        unary(rows, "add(1.5)", x -> x.add(1.5f), ANY);
        unary(rows, "sub(0.5)", x -> x.sub(0.5f), ANY);
        unary(rows, "mul(-2)", x -> x.mul(-2f), ANY);
        unary(rows, "div(4)", x -> x.div(4f), ANY);
        unary(rows, "pow(3)", x -> x.pow(3f), ANY);
        unary(rows, "pow(0.5)", x -> x.pow(0.5f), POSITIVE);
        unary(rows, "rsub(1)", x -> x.rsub(1f), ANY);

        // ---- unary element-wise ops, on random shapes (rank 0..3)
        unary(rows, "neg", Tensor::neg, ANY);
        unary(rows, "exp", Tensor::exp, ANY);
        unary(rows, "log", Tensor::log, POSITIVE);
        unary(rows, "sqrt", Tensor::sqrt, POSITIVE);
        unary(rows, "abs", Tensor::abs, AWAY_FROM_0);
        unary(rows, "clamp(-0.5,0.7)", x -> x.clamp(-0.5f, 0.7f),
                (r, sh) -> Gen.awayFrom(r, -1.5, 1.5, 0.1, new double[]{-0.5, 0.7}, sh));
        unary(rows, "relu", Tensor::relu, AWAY_FROM_0);
        unary(rows, "leakyRelu(0.1)", x -> x.leakyRelu(0.1f), AWAY_FROM_0);
        unary(rows, "elu(1)", x -> x.elu(1f), AWAY_FROM_0);
        unary(rows, "elu(0.5)", x -> x.elu(0.5f), AWAY_FROM_0);
        unary(rows, "sigmoid", Tensor::sigmoid, (r, sh) -> Gen.uniform(r, -4, 4, sh));
        unary(rows, "tanh", Tensor::tanh, (r, sh) -> Gen.uniform(r, -3, 3, sh));
        unary(rows, "silu", Tensor::silu, (r, sh) -> Gen.uniform(r, -4, 4, sh));
        unary(rows, "softplus", Tensor::softplus, (r, sh) -> Gen.uniform(r, -4, 4, sh));
        unary(rows, "gelu", Tensor::gelu, (r, sh) -> Gen.uniform(r, -3, 3, sh));
        unary(rows, "step", Tensor::step, AWAY_FROM_0);

        // ---- softmax family (along the last axis; rank >= 1)
        for (int[] shape : List.of(s(5), s(3, 4), s(2, 3, 4), s(4, 1))) {
            fixed(rows, "softmax " + Arrays.toString(shape), x -> x[0].softmax(), r -> new Tensor[]{Gen.uniform(r, -3, 3, shape)});
            fixed(rows, "logSoftmax " + Arrays.toString(shape), x -> x[0].logSoftmax(), r -> new Tensor[]{Gen.uniform(r, -3, 3, shape)});
        }
        fixed(rows, "softmaxCrossEntropy [5, 4]", x -> x[0].softmaxCrossEntropy(new int[]{0, 3, 1, 1, 2}),
                r -> new Tensor[]{Gen.uniform(r, -3, 3, 5, 4)});
        fixed(rows, "softmaxCrossEntropy [1, 3]", x -> x[0].softmaxCrossEntropy(new int[]{2}),
                r -> new Tensor[]{Gen.uniform(r, -3, 3, 1, 3)});

        // ---- shape manipulation
        fixed(rows, "reshape [2,3,4] -> [4,-1]", x -> x[0].reshape(4, -1), r -> in(ANY, r, s(2, 3, 4)));
        fixed(rows, "reshape [2,3,4] -> [24]", x -> x[0].reshape(24), r -> in(ANY, r, s(2, 3, 4)));
        fixed(rows, "reshape [6] -> [1,3,1,2]", x -> x[0].reshape(1, 3, 1, 2), r -> in(ANY, r, s(6)));
        fixed(rows, "transpose [3,4]", x -> x[0].transpose(), r -> in(ANY, r, s(3, 4)));
        fixed(rows, "transpose [2,3,4]", x -> x[0].transpose(), r -> in(ANY, r, s(2, 3, 4)));
        fixed(rows, "transpose [2,1,3,2]", x -> x[0].transpose(), r -> in(ANY, r, s(2, 1, 3, 2)));
        fixed(rows, "slice(1,3) [4,3]", x -> x[0].slice(1, 3), r -> in(ANY, r, s(4, 3)));
        fixed(rows, "slice(0,2) [3,2,2]", x -> x[0].slice(0, 2), r -> in(ANY, r, s(3, 2, 2)));
        fixed(rows, "slice(2,2) [3,2] (empty)", x -> x[0].slice(2, 2), r -> in(ANY, r, s(3, 2)));
        fixed(rows, "rows {0,2,0,3,0} [4,3] (repeats accumulate)", x -> x[0].rows(new int[]{0, 2, 0, 3, 0}), r -> in(ANY, r, s(4, 3)));
        fixed(rows, "rows {1,1} [2,2,2]", x -> x[0].rows(new int[]{1, 1}), r -> in(ANY, r, s(2, 2, 2)));
        fixed(rows, "concat axis 0 [2,3]+[1,3]+[3,3]", x -> Tensor.concat(List.of(x), 0), r -> in(ANY, r, s(2, 3), s(1, 3), s(3, 3)));
        fixed(rows, "concat axis 1 [2,3]+[2,1]+[2,2]", x -> Tensor.concat(List.of(x), 1), r -> in(ANY, r, s(2, 3), s(2, 1), s(2, 2)));
        fixed(rows, "concat axis -1 [2,2,3]+[2,2,1]", x -> Tensor.concat(List.of(x), -1), r -> in(ANY, r, s(2, 2, 3), s(2, 2, 1)));
        fixed(rows, "concat axis 1 [2,1,3]+[2,2,3]", x -> Tensor.concat(List.of(x), 1), r -> in(ANY, r, s(2, 1, 3), s(2, 2, 3)));

        // ---- reductions
        fixed(rows, "sum() [2,3,4]", x -> x[0].sum(), r -> in(ANY, r, s(2, 3, 4)));
        fixed(rows, "sum() []", x -> x[0].sum(), r -> in(ANY, r, s()));
        fixed(rows, "mean() [2,3,4]", x -> x[0].mean(), r -> in(ANY, r, s(2, 3, 4)));
        for (int axis : new int[]{0, 1, 2, -1}) {
            for (boolean keep : new boolean[]{false, true}) {
                String a = "(" + axis + ", keepDims=" + keep + ") [2,3,4]";
                fixed(rows, "sum" + a, x -> x[0].sum(axis, keep), r -> in(ANY, r, s(2, 3, 4)));
                fixed(rows, "mean" + a, x -> x[0].mean(axis, keep), r -> in(ANY, r, s(2, 3, 4)));
                fixed(rows, "max" + a, x -> x[0].max(axis, keep), r -> new Tensor[]{Gen.distinct(r, 2, 3, 4)});
            }
        }
        fixed(rows, "sum(0) [5]", x -> x[0].sum(0, false), r -> in(ANY, r, s(5)));
        fixed(rows, "max(1) [3,1]", x -> x[0].max(1, false), r -> in(ANY, r, s(3, 1)));

        // ---- matrix products
        fixed(rows, "matmul [3,4]x[4,5]", x -> x[0].matmul(x[1]), r -> in(ANY, r, s(3, 4), s(4, 5)));
        fixed(rows, "matmul [1,4]x[4,1]", x -> x[0].matmul(x[1]), r -> in(ANY, r, s(1, 4), s(4, 1)));
        fixed(rows, "matmul batched [2,3,4]x[2,4,5]", x -> x[0].matmul(x[1]), r -> in(ANY, r, s(2, 3, 4), s(2, 4, 5)));
        fixed(rows, "matmul batched [2,2,3,4]x[2,2,4,3]", x -> x[0].matmul(x[1]), r -> in(ANY, r, s(2, 2, 3, 4), s(2, 2, 4, 3)));
        fixed(rows, "matmul shared [2,3,4]x[4,5]", x -> x[0].matmul(x[1]), r -> in(ANY, r, s(2, 3, 4), s(4, 5)));
        fixed(rows, "matmul shared [2,2,3,4]x[4,2]", x -> x[0].matmul(x[1]), r -> in(ANY, r, s(2, 2, 3, 4), s(4, 2)));
        fixed(rows, "linear x[5,4] w[3,4] b[3]", x -> Tensor.linear(x[0], x[1], x[2]), r -> in(ANY, r, s(5, 4), s(3, 4), s(3)));
        fixed(rows, "linear x[5,4] w[3,4] no bias", x -> Tensor.linear(x[0], x[1], null), r -> in(ANY, r, s(5, 4), s(3, 4)));
        fixed(rows, "linear x[1,1] w[1,1] b[1]", x -> Tensor.linear(x[0], x[1], x[2]), r -> in(ANY, r, s(1, 1), s(1, 1), s(1)));

        // ---- zero-size inputs: empty results and empty (or zero) gradients, no exceptions
        fixed(rows, "empty: add [0,3]+[3]", x -> x[0].add(x[1]), r -> in(ANY, r, s(0, 3), s(3)));
        fixed(rows, "empty: mul [2,0]*[2,1]", x -> x[0].mul(x[1]), r -> in(ANY, r, s(2, 0), s(2, 1)));
        fixed(rows, "empty: relu [0]", x -> x[0].relu(), r -> in(ANY, r, s(0)));
        fixed(rows, "empty: softmax [0,3]", x -> x[0].softmax(), r -> in(ANY, r, s(0, 3)));
        fixed(rows, "empty: sum() [0,3]", x -> x[0].sum(), r -> in(ANY, r, s(0, 3)));
        fixed(rows, "empty: sum(0) [0,3]", x -> x[0].sum(0, false), r -> in(ANY, r, s(0, 3)));
        fixed(rows, "empty: transpose [0,3]", x -> x[0].transpose(), r -> in(ANY, r, s(0, 3)));
        fixed(rows, "empty: rows {} [3,2]", x -> x[0].rows(new int[0]), r -> in(ANY, r, s(3, 2)));
        fixed(rows, "empty: concat [0,2]+[1,2]", x -> Tensor.concat(List.of(x), 0), r -> in(ANY, r, s(0, 2), s(1, 2)));
        fixed(rows, "empty: matmul [0,4]x[4,2]", x -> x[0].matmul(x[1]), r -> in(ANY, r, s(0, 4), s(4, 2)));
        fixed(rows, "empty: matmul [2,0]x[0,3] (zero inner dimension)", x -> x[0].matmul(x[1]), r -> in(ANY, r, s(2, 0), s(0, 3)));
        fixed(rows, "empty: linear x[0,4] w[3,4] b[3]", x -> Tensor.linear(x[0], x[1], x[2]), r -> in(ANY, r, s(0, 4), s(3, 4), s(3)));

        // ---- losses (composites of the above, checked end to end; targets are constants)
        Tensor target = Tensor.of(new float[]{0, 1, 1, 0, 1, 0}, 3, 2);
        fixed(rows, "loss mse", x -> new Loss.MeanSquaredError().compute(x[0], target), r -> in(ANY, r, s(3, 2)));
        fixed(rows, "loss mae", x -> new Loss.MeanAbsoluteError().compute(x[0], target),
                r -> new Tensor[]{Gen.awayFrom(r, -2, 2, 0.1, new double[]{0, 1}, 3, 2)});
        fixed(rows, "loss bce", x -> new Loss.BinaryCrossEntropy().compute(x[0], target), r -> in((rr, sh) -> Gen.uniform(rr, 0.1, 0.9, sh), r, s(3, 2)));
        fixed(rows, "loss bce_logits", x -> new Loss.BinaryCrossEntropyWithLogits().compute(x[0], target), r -> in(ANY, r, s(3, 2)));
        Tensor oneHot = Tensor.of(new float[]{0, 1, 0, 1, 0, 0, 0, 0, 1}, 3, 3);
        fixed(rows, "loss ce one-hot", x -> new Loss.CrossEntropy().compute(x[0], oneHot), r -> in(ANY, r, s(3, 3)));
        Tensor indices = Tensor.of(new float[]{1, 0, 2}, 3, 1);
        fixed(rows, "loss ce indices", x -> new Loss.CrossEntropy().compute(x[0], indices), r -> in(ANY, r, s(3, 3)));
        // Huber: kinks at d = 0 and |d| = δ, kept more than a step away (targets are 0 and 1)
        fixed(rows, "loss huber", x -> new Loss.Huber().compute(x[0], target),
                r -> new Tensor[]{Gen.awayFrom(r, -2.5, 2.5, 0.1, new double[]{-1, 0, 1, 2}, 3, 2)});
        fixed(rows, "loss huber(0.5)", x -> new Loss.Huber(0.5f).compute(x[0], target),
                r -> new Tensor[]{Gen.awayFrom(r, -2, 2, 0.1, new double[]{-0.5, 0, 0.5, 1, 1.5}, 3, 2)});
        // class weights: a weighted mean, the weights are constants
        List<Float> three = List.of(0.5f, 2f, 1.5f), two = List.of(0.3f, 2.5f);
        fixed(rows, "loss ce weighted indices", x -> new Loss.CrossEntropy(three).compute(x[0], indices), r -> in(ANY, r, s(3, 3)));
        fixed(rows, "loss ce weighted one-hot", x -> new Loss.CrossEntropy(three).compute(x[0], oneHot), r -> in(ANY, r, s(3, 3)));
        Tensor soft = Tensor.of(new float[]{0.2f, 0.5f, 0.3f, 0.6f, 0.4f, 0f, 0.1f, 0.1f, 0.8f}, 3, 3);
        fixed(rows, "loss ce weighted soft", x -> new Loss.CrossEntropy(three).compute(x[0], soft), r -> in(ANY, r, s(3, 3)));
        fixed(rows, "loss bce weighted", x -> new Loss.BinaryCrossEntropy(two).compute(x[0], target),
                r -> in((rr, sh) -> Gen.uniform(rr, 0.1, 0.9, sh), r, s(3, 2)));
        fixed(rows, "loss bce_logits weighted", x -> new Loss.BinaryCrossEntropyWithLogits(two).compute(x[0], target), r -> in(ANY, r, s(3, 2)));
        return rows;
    }

    private static Tensor[] in(Dist d, RandomGenerator r, int[]... shapes) {
        Tensor[] t = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) t[i] = d.draw(r, shapes[i]);
        return t;
    }

    private static void fixed(List<OpCase> rows, String name, Function<Tensor[], Tensor> op, Function<RandomGenerator, Tensor[]> inputs) {
        rows.add(new OpCase(name, op, inputs));
    }

    private static void binary(List<OpCase> rows, String name, BinaryOperator<Tensor> op, Dist da, Dist db) {
        for (int[][] pair : BROADCAST_PAIRS) {
            rows.add(new OpCase(name + " " + Arrays.toString(pair[0]) + " " + Arrays.toString(pair[1]),
                    x -> op.apply(x[0], x[1]),
                    r -> new Tensor[]{da.draw(r, pair[0]), db.draw(r, pair[1])}));
        }
    }

    /** Two rows per unary op, each on a random shape of rank 0..3 fixed by the row's name. */
    private static void unary(List<OpCase> rows, String name, UnaryOperator<Tensor> op, Dist d) {
        for (int variant = 1; variant <= 2; variant++) {
            int[] shape = Gen.shape(new SplittableRandom((name + variant).hashCode()), 0, 3, 4);
            rows.add(new OpCase(name + " " + Arrays.toString(shape), x -> op.apply(x[0]), r -> new Tensor[]{d.draw(r, shape)}));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void analyticGradientMatchesCentralDifferences(OpCase c) {
        Tensor[] inputs = c.inputs().apply(new SplittableRandom(c.name().hashCode()));
        GradCheck.check(c.name() + " on " + Arrays.stream(inputs).map(t -> t.shape().toString()).collect(Collectors.joining(", ")),
                c.op(), inputs);
    }

    @Test
    void everyRowNameIsUniqueSoFailuresCanBeTracedToOneRow() {
        List<String> names = ops().stream().map(OpCase::name).toList();
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void stepHasAZeroGradientNotAMissingOne() {
        Tensor x = Tensor.of(new float[]{-2f, -0.5f, 0f, 0.5f, 3f}, 5).requiresGrad(true);
        x.step().mul(Tensor.of(new float[]{1, 2, 3, 4, 5}, 5)).sum().backward();
        assertThat(x.grad()).isNotNull();
        assertThat(x.grad().data()).containsOnly(0f);
    }

    @Test
    void absAtZeroHasGradientZero() {
        Tensor x = Tensor.of(new float[]{0f}, 1).requiresGrad(true);
        x.abs().sum().backward();
        assertThat(x.grad().data()).containsExactly(0f);
    }

    @Test
    void maximumAndMinimumSendTheGradientOfATieToTheLeftOperandOnly() {
        Tensor a = Tensor.of(new float[]{1f, 2f}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[]{1f, 2f}, 2).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertThat(a.grad().data()).containsExactly(1f, 1f);
        assertThat(b.grad().data()).containsExactly(0f, 0f);
        a.zeroGrad();
        b.zeroGrad();
        a.minimum(b).sum().backward();
        assertThat(a.grad().data()).containsExactly(1f, 1f);
        assertThat(b.grad().data()).containsExactly(0f, 0f);
    }

    @Test
    void maxAlongAnAxisSendsTheGradientToTheFirstMaximum() {
        Tensor x = Tensor.of(new float[]{3f, 1f, 3f, 2f}, 1, 4).requiresGrad(true);
        x.max(1, false).sum().backward();
        assertThat(x.grad().data()).containsExactly(1f, 0f, 0f, 0f);
    }

    @Test
    void clampPassesTheGradientAtItsBoundsAndBlocksItOutside() {
        Tensor x = Tensor.of(new float[]{-1f, 0f, 0.5f, 1f, 2f}, 5).requiresGrad(true);
        x.clamp(0f, 1f).sum().backward();
        assertThat(x.grad().data()).containsExactly(0f, 1f, 1f, 1f, 0f);
    }
}
