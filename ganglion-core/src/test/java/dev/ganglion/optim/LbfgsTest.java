package dev.ganglion.optim;

import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Penalty;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** L-BFGS solves small convex problems to high precision in few iterations. */
class LbfgsTest {

    /** Solves A·x = b by Gaussian elimination with partial pivoting, in double. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = new double[n + 1];
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) m[r][k] -= f * m[c][k];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) s -= m[r][k] * x[k];
            x[r] = s / m[r][r];
        }
        return x;
    }

    @Test
    void solvesAConvexQuadraticInFewIterations() {
        // f(x) = ½·xᵀAx − bᵀx with A = BᵀB + I (positive definite); the minimum is A⁻¹b
        int n = 6;
        SplittableRandom rng = new SplittableRandom(3);
        double[][] bm = new double[n][n], a = new double[n][n];
        for (double[] row : bm) for (int j = 0; j < n; j++) row[j] = rng.nextDouble(-1, 1);
        float[] aData = new float[n * n], bData = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < n; k++) s += bm[k][i] * bm[k][j];
                aData[i * n + j] = (float) s;
            }
            bData[i] = (float) rng.nextDouble(-2, 2);
        }
        double[] rhs = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) a[i][j] = aData[i * n + j];
            rhs[i] = bData[i];
        }
        double[] expected = solve(a, rhs);

        Tensor x = Tensor.zeros(n).requiresGrad(true);
        Tensor am = Tensor.of(aData, n, n), bt = Tensor.of(bData, n);
        Lbfgs lbfgs = new Lbfgs(List.of(x));
        Supplier<Float> closure = () -> {
            lbfgs.zeroGrad();
            Tensor ax = am.matmul(x.reshape(n, 1)).reshape(n);
            Tensor f = x.mul(ax).sum().mul(0.5f).sub(x.mul(bt).sum());
            f.backward();
            return f.item();
        };
        float first = lbfgs.step(closure);
        assertThat(first).as("the loss at the start, x = 0").isEqualTo(0f);
        for (int i = 0; i < n; i++) assertThat((double) x.data()[i]).as("x[%d]", i).isCloseTo(expected[i], within(1e-5));
        assertThat(lbfgs.iterations()).as("iterations for a %d-dimensional quadratic", n).isLessThanOrEqualTo(12);
        assertThat(lbfgs.evaluations()).as("loss evaluations").isLessThanOrEqualTo(20);
        // converged: a further step changes next to nothing
        float[] before = x.data().clone();
        lbfgs.step(closure);
        for (int i = 0; i < n; i++) assertThat(x.data()[i]).isCloseTo(before[i], within(1e-6f));
    }

    @Test
    void fitsL2RegularisedLogisticRegressionLikeNewtonsMethod() {
        int n = 80;
        double lambda = 0.01;
        SplittableRandom rng = new SplittableRandom(5);
        float[] xs = new float[n * 2], ys = new float[n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = (float) rng.nextGaussian();
            xs[2 * i + 1] = (float) rng.nextGaussian();
            double p = 1 / (1 + Math.exp(-(2 * xs[2 * i] - xs[2 * i + 1] + 0.5)));
            ys[i] = rng.nextDouble() < p ? 1f : 0f;
        }
        double[] expected = newton(xs, ys, lambda);

        Tensor x = Tensor.of(xs, n, 2), y = Tensor.of(ys, n, 1);
        Tensor w = Tensor.zeros(1, 2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true);
        Lbfgs lbfgs = new Lbfgs(List.of(w, b));
        Penalty l2 = new Penalty.L2((float) lambda, List.of(w));
        Supplier<Float> closure = () -> {
            lbfgs.zeroGrad();
            Tensor l = new Loss.BinaryCrossEntropyWithLogits().compute(Tensor.linear(x, w, b), y).add(l2.compute());
            l.backward();
            return l.item();
        };
        for (int s = 0; s < 3; s++) lbfgs.step(closure);
        assertThat((double) w.data()[0]).isCloseTo(expected[0], within(1e-4));
        assertThat((double) w.data()[1]).isCloseTo(expected[1], within(1e-4));
        assertThat((double) b.data()[0]).isCloseTo(expected[2], within(1e-4));
        assertThat(lbfgs.iterations()).isLessThanOrEqualTo(15);
        closure.get();
        assertThat(Math.abs(w.grad().data()[0]) + Math.abs(w.grad().data()[1]) + Math.abs(b.grad().data()[0])).isLessThan(1e-4f);
    }

    /** Newton's method in double for mean log-loss + λ/2·|w|² (the bias is not penalised). */
    private static double[] newton(float[] xs, float[] ys, double lambda) {
        int n = ys.length;
        double[] theta = new double[3];
        for (int it = 0; it < 30; it++) {
            double[] g = new double[3];
            double[][] h = new double[3][3];
            for (int i = 0; i < n; i++) {
                double[] f = {xs[2 * i], xs[2 * i + 1], 1};
                double z = theta[0] * f[0] + theta[1] * f[1] + theta[2];
                double p = 1 / (1 + Math.exp(-z));
                for (int j = 0; j < 3; j++) {
                    g[j] += (p - ys[i]) * f[j] / n;
                    for (int k = 0; k < 3; k++) h[j][k] += p * (1 - p) * f[j] * f[k] / n;
                }
            }
            for (int j = 0; j < 2; j++) {
                g[j] += lambda * theta[j];
                h[j][j] += lambda;
            }
            double[] step = solve(h, g);
            for (int j = 0; j < 3; j++) theta[j] -= step[j];
        }
        return theta;
    }

    @Test
    void aConvergedProblemReturnsAtOnce() {
        Tensor x = Tensor.of(new float[]{0f}, 1).requiresGrad(true);
        Lbfgs lbfgs = new Lbfgs(List.of(x));
        lbfgs.step(() -> {
            lbfgs.zeroGrad();
            Tensor f = x.mul(x).sum();
            f.backward();
            return f.item();
        });
        assertThat(lbfgs.evaluations()).isEqualTo(1);
        assertThat(lbfgs.iterations()).isZero();
    }

    @Test
    void aStepWithoutAClosureSaysWhatToDo() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        Lbfgs lbfgs = new Lbfgs(List.of(x));
        x.mul(x).sum().backward();
        assertThatThrownBy(lbfgs::step).isInstanceOf(IllegalStateException.class).hasMessageContaining("step(closure)");
        assertThat(x.data()).containsExactly(1f, 1f);
        assertThatThrownBy(() -> new Lbfgs(List.of(x), 1f, 0, 10, 1e-7, 1e-9)).hasMessageContaining("maxIterations").hasMessageContaining("0");
        assertThatThrownBy(() -> new Lbfgs(List.of(x), 1f, 20, 0, 1e-7, 1e-9)).hasMessageContaining("historySize");
        assertThat(lbfgs.describe()).isEqualTo("lbfgs(lr=1.0, max_iter=20, history=10)");
    }

    @Test
    void firstOrderOptimisersTakeAClosureToo() {
        Tensor w = Tensor.of(new float[]{2f}, 1).requiresGrad(true);
        Sgd sgd = new Sgd(List.of(w), 0.25f);
        float loss = sgd.step(() -> {
            sgd.zeroGrad();
            Tensor f = w.mul(w).sum();
            f.backward();
            return f.item();
        });
        assertThat(loss).isEqualTo(4f);
        assertThat(w.data()[0]).isEqualTo(2f - 0.25f * 4f);
    }
}
