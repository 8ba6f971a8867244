package dev.ganglion.tensor;

import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Forward values against references computed in double by the test itself. A gradient check only
 * proves forward and backward agree with each other; these tests pin the forward pass down.
 */
class OpValueTest {
    static final float[] XS = {-30f, -3f, -1.5f, -0.2f, 0f, 0.3f, 1f, 2.5f, 30f};

    record UnaryCase(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, float[] xs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * Φ(x) by Simpson's rule on the normal density, independent of the library's erf. The tail
     * beyond |x| is integrated directly, so Φ of a large negative x keeps its relative precision.
     */
    static double normalCdf(double x) {
        double tail = upperTail(Math.abs(x));
        return x < 0 ? tail : 1 - tail;
    }

    /** ∫_a^∞ φ(t) dt, truncated at a + 20 where the density is below 1e-80. */
    private static double upperTail(double a) {
        int n = 40_000;
        double h = 20.0 / n, s = 0;
        for (int i = 0; i <= n; i++) {
            double t = a + i * h;
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * Math.exp(-0.5 * t * t);
        }
        return s * h / 3 / Math.sqrt(2 * Math.PI);
    }

    static final float[] POSITIVE = {1e-3f, 0.2f, 1f, 2.5f, 100f};

    static List<UnaryCase> unaryOps() {
        return List.of(
                new UnaryCase("neg", Tensor::neg, x -> -x, XS),
                new UnaryCase("exp", Tensor::exp, Math::exp, new float[]{-3f, -0.2f, 0f, 1f, 2.5f, 10f}),
                new UnaryCase("log", Tensor::log, Math::log, POSITIVE),
                new UnaryCase("sqrt", Tensor::sqrt, Math::sqrt, POSITIVE),
                new UnaryCase("abs", Tensor::abs, Math::abs, XS),
                new UnaryCase("clamp(-1,2)", x -> x.clamp(-1f, 2f), x -> Math.min(2, Math.max(-1, x)), XS),
                new UnaryCase("relu", Tensor::relu, x -> Math.max(0, x), XS),
                new UnaryCase("leakyRelu(0.1)", x -> x.leakyRelu(0.1f), x -> x > 0 ? x : 0.1 * x, XS),
                new UnaryCase("elu(0.5)", x -> x.elu(0.5f), x -> x > 0 ? x : 0.5 * (Math.exp(x) - 1), XS),
                new UnaryCase("sigmoid", Tensor::sigmoid, OpValueTest::sigmoid, XS),
                new UnaryCase("tanh", Tensor::tanh, Math::tanh, XS),
                new UnaryCase("silu", Tensor::silu, x -> x * sigmoid(x), XS),
                new UnaryCase("softplus", Tensor::softplus, x -> Math.log1p(Math.exp(x)), XS),
                new UnaryCase("gelu", Tensor::gelu, x -> x * normalCdf(x), new float[]{-6f, -3f, -1.5f, -0.2f, 0f, 0.3f, 1f, 2.5f, 6f}),
                new UnaryCase("step", Tensor::step, x -> x >= 0 ? 1 : 0, XS),
                new UnaryCase("pow(2)", x -> x.pow(2f), x -> x * x, XS),
                new UnaryCase("rsub(1)", x -> x.rsub(1f), x -> 1 - x, XS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryOpMatchesItsDoubleReference(UnaryCase c) {
        Tensor x = Tensor.of(c.xs().clone(), c.xs().length);
        double[] expected = new double[c.xs().length];
        for (int i = 0; i < expected.length; i++) expected[i] = c.ref().applyAsDouble(c.xs()[i]);
        Tensor y = c.op().apply(x);
        assertThat(y.shape()).isEqualTo(x.shape());
        assertAllClose(c.name(), y.data(), expected, 2e-6, 1e-30);
        assertThat(x.data()).as("input unchanged").containsExactly(c.xs());
    }

    @Test
    void sigmoidAndSoftplusDoNotOverflowForLargeInputs() {
        Tensor x = Tensor.of(new float[]{-1000f, 1000f}, 2);
        assertThat(x.sigmoid().data()).containsExactly(0f, 1f);
        assertThat(x.softplus().data()).containsExactly(0f, 1000f);
        assertThat(x.silu().data()).containsExactly(-0f, 1000f);
        assertThat(x.tanh().data()).containsExactly(-1f, 1f);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.1, 0.5, 1, 1.7, 2.4999, 2.5, 2.6, 3, 4, 5.5, 5.99, 6.01})
    void erfMatchesNumericalIntegrationOnBothBranches(double x) {
        double reference = 2 * normalCdf(x * Math.sqrt(2)) - 1;
        assertThat(MathUtil.erf(x)).isCloseTo(reference, within(1e-13));
        assertThat(MathUtil.erf(-x)).isCloseTo(-reference, within(1e-13));
    }

    // ------------------------------------------------------------------ broadcasting binary ops

    record BinaryCase(String name, java.util.function.BinaryOperator<Tensor> op, DoubleBinaryOperator ref) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<BinaryCase> binaryOps() {
        return List.of(
                new BinaryCase("add", Tensor::add, Double::sum),
                new BinaryCase("sub", Tensor::sub, (a, b) -> a - b),
                new BinaryCase("mul", Tensor::mul, (a, b) -> a * b),
                new BinaryCase("div", Tensor::div, (a, b) -> a / b),
                new BinaryCase("pow", (a, b) -> a.abs().pow(b), (a, b) -> Math.pow(Math.abs(a), b)),
                new BinaryCase("maximum", Tensor::maximum, Math::max),
                new BinaryCase("minimum", Tensor::minimum, Math::min),
                new BinaryCase("gt", Tensor::gt, (a, b) -> a > b ? 1 : 0),
                new BinaryCase("ge", Tensor::ge, (a, b) -> a >= b ? 1 : 0),
                new BinaryCase("lt", Tensor::lt, (a, b) -> a < b ? 1 : 0),
                new BinaryCase("le", Tensor::le, (a, b) -> a <= b ? 1 : 0),
                new BinaryCase("eq", Tensor::eq, (a, b) -> a == b ? 1 : 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryOps")
    void binaryOpBroadcastsLikeNumPy(BinaryCase c) {
        SplittableRandom rng = new SplittableRandom(7);
        for (int[][] pair : OpGradientTest.BROADCAST_PAIRS) {
            // a grid of halves makes ties (for the comparisons) likely
            Tensor a = Gen.grid(rng, 0, pair[0]);
            Tensor b = Gen.grid(rng, 0, pair[1]);
            Reference.assertBroadcastMatches(c.name(), c.op().apply(a, b), a, b, c.ref());
        }
    }

    // ------------------------------------------------------------------ reductions, softmax, matmul

    @Test
    void sumsAndMeansAlongEachAxis() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(x.sum().item()).isEqualTo(21f);
        assertThat(x.sum().shape()).isEqualTo(Shape.scalar());
        assertThat(x.mean().item()).isEqualTo(3.5f);
        assertThat(x.sum(0, false).data()).containsExactly(5, 7, 9);
        assertThat(x.sum(0, false).shape()).isEqualTo(Shape.of(3));
        assertThat(x.sum(0, true).shape()).isEqualTo(Shape.of(1, 3));
        assertThat(x.sum(1, false).data()).containsExactly(6, 15);
        assertThat(x.sum(-1, true).shape()).isEqualTo(Shape.of(2, 1));
        assertThat(x.mean(1, false).data()).containsExactly(2, 5);
        assertThat(x.mean(0, true).data()).containsExactly(2.5f, 3.5f, 4.5f);
        assertThat(x.max(0, false).data()).containsExactly(4, 5, 6);
        assertThat(x.max(1, true).data()).containsExactly(3, 6);
        assertThat(x.max(1, true).shape()).isEqualTo(Shape.of(2, 1));
    }

    @Test
    void reductionsAlongTheMiddleAxisOfA3dTensor() {
        Tensor x = Gen.uniform(new SplittableRandom(3), -2, 2, 2, 3, 4);
        float[] d = x.data();
        double[] sum = new double[8], max = new double[8];
        for (int o = 0; o < 2; o++)
            for (int i = 0; i < 4; i++) {
                double s = 0, m = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < 3; a++) {
                    s += d[(o * 3 + a) * 4 + i];
                    m = Math.max(m, d[(o * 3 + a) * 4 + i]);
                }
                sum[o * 4 + i] = s;
                max[o * 4 + i] = m;
            }
        assertThat(x.sum(1, false).shape()).isEqualTo(Shape.of(2, 4));
        assertAllClose("sum(1)", x.sum(1, false).data(), sum, 1e-6, 1e-6);
        assertAllClose("max(1)", x.max(1, false).data(), max, 0, 0);
        double[] mean = sum.clone();
        for (int i = 0; i < mean.length; i++) mean[i] /= 3;
        assertAllClose("mean(1)", x.mean(1, true).data(), mean, 1e-6, 1e-6);
    }

    @Test
    void softmaxAndLogSoftmaxMatchTheDefinitionRowByRow() {
        Tensor x = Gen.uniform(new SplittableRandom(5), -4, 4, 3, 5);
        double[] soft = new double[15], logSoft = new double[15];
        for (int r = 0; r < 3; r++) {
            double z = 0;
            for (int j = 0; j < 5; j++) z += Math.exp(x.get(r, j));
            for (int j = 0; j < 5; j++) {
                soft[r * 5 + j] = Math.exp(x.get(r, j)) / z;
                logSoft[r * 5 + j] = x.get(r, j) - Math.log(z);
            }
        }
        assertAllClose("softmax", x.softmax().data(), soft, 1e-6, 1e-7);
        assertAllClose("logSoftmax", x.logSoftmax().data(), logSoft, 1e-6, 1e-6);
    }

    @Test
    void softmaxCrossEntropyIsTheMeanNegativeLogLikelihood() {
        Tensor z = Gen.uniform(new SplittableRandom(6), -3, 3, 4, 3);
        int[] labels = {2, 0, 0, 1};
        double loss = 0;
        for (int r = 0; r < 4; r++) {
            double s = 0;
            for (int j = 0; j < 3; j++) s += Math.exp(z.get(r, j));
            loss -= z.get(r, labels[r]) - Math.log(s);
        }
        assertThat((double) z.softmaxCrossEntropy(labels).item()).isCloseTo(loss / 4, within(1e-6));
    }

    @Test
    void matmulMatchesTheTextbookProductForEveryForm() {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor a = Gen.uniform(rng, -1, 1, 3, 4), b = Gen.uniform(rng, -1, 1, 4, 5);
        assertAllClose("2-D", a.matmul(b), Reference.matmul(a, b), 1e-6, 1e-6);
        Tensor a3 = Gen.uniform(rng, -1, 1, 2, 3, 4), b3 = Gen.uniform(rng, -1, 1, 2, 4, 5);
        assertAllClose("batched", a3.matmul(b3), Reference.matmul(a3, b3), 1e-6, 1e-6);
        assertAllClose("shared right side", a3.matmul(b), Reference.matmul(a3, b), 1e-6, 1e-6);
        assertThat(a3.matmul(b).shape()).isEqualTo(Shape.of(2, 3, 5));
    }

    @Test
    void matmulWithAnEmptyInnerDimensionGivesZeros() {
        Tensor c = Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3));
        assertThat(c.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(c.data()).containsOnly(0f);
    }

    @Test
    void linearIsXTimesWTransposedPlusBias() {
        Tensor x = Tensor.of(new float[][]{{1, 2}, {3, 4}, {5, 6}});
        Tensor w = Tensor.of(new float[][]{{1, 0}, {0, 1}, {1, 1}});
        Tensor b = Tensor.of(new float[]{10, 20, 30}, 3);
        assertThat(Tensor.linear(x, w, b).toArray2d()).isDeepEqualTo(new float[][]{{11, 22, 33}, {13, 24, 37}, {15, 26, 41}});
        assertThat(Tensor.linear(x, w, null).toArray2d()).isDeepEqualTo(new float[][]{{1, 2, 3}, {3, 4, 7}, {5, 6, 11}});
    }

    // ------------------------------------------------------------------ shape manipulation

    @Test
    void transposeSwapsTheLastTwoDimensions() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
        Tensor t = x.transpose();
        assertThat(t.shape()).isEqualTo(Shape.of(2, 3, 2));
        assertThat(t.data()).containsExactly(1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12);
    }

    @Test
    void reshapeSharesDataAndInfersMinusOne() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = x.reshape(-1, 2);
        assertThat(r.shape()).isEqualTo(Shape.of(3, 2));
        assertThat(r.data()).isSameAs(x.data());
    }

    @Test
    void sliceRowsAndConcat() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        assertThat(x.slice(1, 3).data()).containsExactly(3, 4, 5, 6);
        assertThat(x.rows(new int[]{3, 0, 3}).data()).containsExactly(7, 8, 1, 2, 7, 8);
        assertThat(x.rows(new int[0]).shape()).isEqualTo(Shape.of(0, 2));
        Tensor a = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2), b = Tensor.of(new float[]{9, 8}, 2, 1);
        Tensor c1 = Tensor.concat(List.of(a, b), 1);
        assertThat(c1.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(c1.data()).containsExactly(1, 2, 9, 3, 4, 8);
        Tensor c0 = Tensor.concat(List.of(a, b.reshape(1, 2)), 0);
        assertThat(c0.data()).containsExactly(1, 2, 3, 4, 9, 8);
    }

    @Test
    void accessorsAndFactories() {
        Tensor x = Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}});
        assertThat(x.get(1, 2)).isEqualTo(6f);
        x.set(-1f, 0, 1);
        assertThat(x.toArray2d()).isDeepEqualTo(new float[][]{{1, -1, 3}, {4, 5, 6}});
        assertThat(x.argmaxRows()).containsExactly(2, 2);
        assertThat(Tensor.scalar(3f).item()).isEqualTo(3f);
        assertThat(Tensor.full(2f, 2, 2).data()).containsOnly(2f);
        assertThat(Tensor.ones(3).data()).containsOnly(1f);
        assertThat(x.isFinite()).isTrue();
        assertThat(Tensor.of(new float[]{1, Float.NaN}, 2).isFinite()).isFalse();
        assertThat(x.toString()).startsWith("Tensor[2, 3]");
        Tensor u = Tensor.uniform(new SplittableRandom(1), -2f, 3f, 1000);
        for (float v : u.data()) assertThat(v).isGreaterThanOrEqualTo(-2f).isLessThan(3f);
    }
}
