package dev.ganglion.learning;

import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ganglion.testing.TensorAssert.assertAllClose;

/**
 * A 2-3-1 network with sigmoid hidden and output layers and MSE loss, on a 3-sample batch: the
 * gradients autograd computes must equal the chain rule written out by hand in double.
 */
class ChainRuleByHandTest {
    static final double[][] X = {{0.5, -1.0}, {1.5, 0.2}, {-0.3, 0.8}};
    static final double[] Y = {1.0, 0.0, 1.0};

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void autogradMatchesTheHandWrittenChainRule() {
        SplittableRandom rng = new SplittableRandom(42);
        Dense hidden = new Dense(2, 3, new Activation.Sigmoid(), rng);
        Dense output = new Dense(3, 1, new Activation.Sigmoid(), rng);
        // non-zero biases so that their gradients are not trivially tested
        hidden.bias().data()[0] = 0.1f;
        hidden.bias().data()[1] = -0.2f;
        hidden.bias().data()[2] = 0.3f;
        output.bias().data()[0] = -0.1f;
        Sequential net = new Sequential(hidden, output);

        double[][] w1 = new double[3][2], w2 = new double[1][3];
        double[] b1 = new double[3], b2 = {output.bias().data()[0]};
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 2; i++) w1[j][i] = hidden.weight().get(j, i);
            b1[j] = hidden.bias().data()[j];
            w2[0][j] = output.weight().get(0, j);
        }

        // ---- forward, by hand: z1 = x·W1ᵀ + b1, a1 = σ(z1), z2 = a1·W2ᵀ + b2, a2 = σ(z2)
        int n = 3;
        double[][] a1 = new double[n][3];
        double[] a2 = new double[n];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < 3; j++) a1[s][j] = sigmoid(X[s][0] * w1[j][0] + X[s][1] * w1[j][1] + b1[j]);
            a2[s] = sigmoid(a1[s][0] * w2[0][0] + a1[s][1] * w2[0][1] + a1[s][2] * w2[0][2] + b2[0]);
        }
        double loss = 0;
        for (int s = 0; s < n; s++) loss += (a2[s] - Y[s]) * (a2[s] - Y[s]) / n;

        // ---- backward, by hand
        // L = (1/n) Σ (a2 − y)²  →  dL/da2 = 2(a2 − y)/n
        // delta2 = dL/da2 · a2(1 − a2)                       [n × 1]
        // dW2 = delta2ᵀ · a1                                   [1 × 3]
        // db2 = Σ_s delta2
        // delta1 = (delta2 · W2) ⊙ a1(1 − a1)                  [n × 3]
        // dW1 = delta1ᵀ · x                                    [3 × 2]
        // db1 = Σ_s delta1
        double[] delta2 = new double[n];
        for (int s = 0; s < n; s++) delta2[s] = 2 * (a2[s] - Y[s]) / n * a2[s] * (1 - a2[s]);
        double[] dW2 = new double[3], db2 = new double[1];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < 3; j++) dW2[j] += delta2[s] * a1[s][j];
            db2[0] += delta2[s];
        }
        double[][] delta1 = new double[n][3];
        for (int s = 0; s < n; s++)
            for (int j = 0; j < 3; j++) delta1[s][j] = delta2[s] * w2[0][j] * a1[s][j] * (1 - a1[s][j]);
        double[] dW1 = new double[6], db1 = new double[3];
        for (int s = 0; s < n; s++)
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 2; i++) dW1[j * 2 + i] += delta1[s][j] * X[s][i];
                db1[j] += delta1[s][j];
            }

        // ---- the library
        float[] xf = new float[6];
        for (int s = 0; s < n; s++) for (int i = 0; i < 2; i++) xf[s * 2 + i] = (float) X[s][i];
        Tensor x = Tensor.of(xf, 3, 2);
        Tensor y = Tensor.of(new float[]{1, 0, 1}, 3, 1);
        Tensor l = new Loss.MeanSquaredError().compute(net.forward(x), y);
        assertAllClose("loss", new float[]{l.item()}, new double[]{loss}, 1e-6, 1e-7);
        assertAllClose("a2", net.forward(x).data(), a2, 1e-6, 1e-7);
        l.backward();
        assertAllClose("dL/dW2", output.weight().grad().data(), dW2, 1e-5, 1e-7);
        assertAllClose("dL/db2", output.bias().grad().data(), db2, 1e-5, 1e-7);
        assertAllClose("dL/dW1", hidden.weight().grad().data(), dW1, 1e-5, 1e-7);
        assertAllClose("dL/db1", hidden.bias().grad().data(), db1, 1e-5, 1e-7);

        // ---- and one gradient-descent step is w − lr·g
        double lr = 0.5;
        new Sgd(net.parameters(), (float) lr).step();
        double[] w1After = new double[6];
        for (int j = 0; j < 3; j++) for (int i = 0; i < 2; i++) w1After[j * 2 + i] = w1[j][i] - lr * dW1[j * 2 + i];
        assertAllClose("W1 after one step", hidden.weight().data(), w1After, 1e-6, 1e-7);
    }
}
