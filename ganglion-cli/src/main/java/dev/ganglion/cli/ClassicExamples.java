package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Initializer;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Adam;
import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;
import dev.ganglion.train.TrainOptions;
import dev.ganglion.train.Trainer;
import dev.ganglion.train.TrainingListener;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** The small classic examples that {@code ganglion demo NAME} runs, each printing its numbers. */
final class ClassicExamples {
    private ClassicExamples() {
    }

    private static final float[][] TABLE = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    private static final float[] XOR = {0, 1, 1, 0};

    /**
     * A perceptron network with hand-set weights and step activations computing XOR:
     * hidden neuron 1 is OR (fires when x1 + x2 ≥ 0.5), hidden neuron 2 is AND (x1 + x2 ≥ 1.5), and
     * the output fires for OR and not AND. Forward pass only; every neuron's value is shown.
     * Returns the number of rows classified correctly.
     */
    static int perceptron(PrintWriter o) {
        SplittableRandom rng = new SplittableRandom(0);
        Dense hidden = new Dense(2, 2, new Activation.Step(), new Initializer.Constant(0f), new Initializer.Constant(0f), rng);
        Dense output = new Dense(2, 1, new Activation.Step(), new Initializer.Constant(0f), new Initializer.Constant(0f), rng);
        set(hidden.weight(), 1, 1, 1, 1);       // row j = weights into hidden neuron j
        set(hidden.bias(), -0.5f, -1.5f);
        set(output.weight(), 1, -1);
        set(output.bias(), -0.5f);
        o.println("A hand-weighted perceptron network computing XOR (step activations, no training):");
        o.println("  h1 = step(1·x1 + 1·x2 - 0.5)   (OR)");
        o.println("  h2 = step(1·x1 + 1·x2 - 1.5)   (AND)");
        o.println("  y  = step(1·h1 - 1·h2 - 0.5)   (OR and not AND = XOR)");
        o.println();
        o.println("  x1  x2 |  z_h1  a_h1 |  z_h2  a_h2 |   z_y  a_y | expected");
        int correct = 0;
        try (var scope = NoGrad.enter()) {
            for (int i = 0; i < TABLE.length; i++) {
                Tensor x = Tensor.of(TABLE[i].clone(), 1, 2);
                Dense.Trace h = hidden.trace(x);
                Dense.Trace y = output.trace(h.a());
                boolean ok = y.a().item() == XOR[i];
                if (ok) correct++;
                o.printf(Locale.ROOT, "  %2.0f  %2.0f | %5.1f  %4.0f | %5.1f  %4.0f | %5.1f %4.0f | %4.0f %s%n",
                        TABLE[i][0], TABLE[i][1], h.z().get(0, 0), h.a().get(0, 0), h.z().get(0, 1), h.a().get(0, 1),
                        y.z().item(), y.a().item(), XOR[i], ok ? "ok" : "WRONG");
            }
        }
        o.printf(Locale.ROOT, "%n%d of 4 rows correct. A step's gradient is zero, so such weights are set by hand,%n", correct);
        o.println("not learned: 'ganglion demo xor' learns the same table with smooth activations.");
        return correct;
    }

    /** XOR learned by a 2-4-1 network (tanh hidden, sigmoid output). Returns the final accuracy. */
    static double xor(PrintWriter o, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential net = new Sequential(new Dense(2, 4, new Activation.Tanh(), rng), new Dense(4, 1, new Activation.Sigmoid(), rng));
        float[] xs = new float[8];
        for (int i = 0; i < 4; i++) System.arraycopy(TABLE[i], 0, xs, 2 * i, 2);
        Dataset data = new Dataset(Tensor.of(xs, 4, 2), Tensor.of(XOR.clone(), 4, 1));
        o.println("XOR learned by a 2-4-1 network: tanh hidden layer, sigmoid output, binary cross-entropy,");
        o.println("Adam lr 0.1, full batch (all 4 rows per update), 300 epochs.");
        o.println();
        Trainer trainer = new Trainer(net, new Loss.BinaryCrossEntropy(), new Adam(net.parameters(), 0.1f),
                new TrainOptions(300, 0, false, seed));
        trainer.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats e, Trainer t) {
                if (e.epoch() == 1 || e.epoch() % 50 == 0) {
                    o.printf(Locale.ROOT, "  epoch %3d  loss %.4f  accuracy %.2f%n", e.epoch(), e.trainLoss(), e.trainAccuracy());
                }
            }
        });
        History h = trainer.fit(data, null);
        o.println();
        o.println("  x1  x2 | output | expected");
        Tensor y;
        try (var scope = NoGrad.enter()) {
            y = net.forward(data.features());
        }
        for (int i = 0; i < 4; i++) {
            o.printf(Locale.ROOT, "  %2.0f  %2.0f | %6.4f | %4.0f%n", TABLE[i][0], TABLE[i][1], y.get(i, 0), XOR[i]);
        }
        return h.last().trainAccuracy();
    }

    /**
     * Back-propagation by hand next to automatic differentiation: a 2-3-1 network with sigmoid
     * hidden and output layers, mean squared error, on a batch of 3 samples. Returns the largest
     * difference between the two.
     */
    static double backprop(PrintWriter o) {
        SplittableRandom rng = new SplittableRandom(7);
        Dense l1 = new Dense(2, 3, new Activation.Sigmoid(), new Initializer.Uniform(-1, 1), new Initializer.Uniform(-1, 1), rng);
        Dense l2 = new Dense(3, 1, new Activation.Sigmoid(), new Initializer.Uniform(-1, 1), new Initializer.Uniform(-1, 1), rng);
        Sequential net = new Sequential(l1, l2);
        Tensor x = Tensor.of(new float[]{0.5f, -1.0f, 1.5f, 0.25f, -0.75f, 2.0f}, 3, 2);
        Tensor t = Tensor.of(new float[]{1f, 0f, 1f}, 3, 1);

        Tensor loss = new Loss.MeanSquaredError().compute(net.forward(x), t);
        loss.backward();

        // the chain rule written out, in double precision
        int n = 3;
        double[][] w1 = toDouble(l1.weight()), w2 = toDouble(l2.weight());
        double[] b1 = toDouble(l1.bias().data()), b2 = toDouble(l2.bias().data());
        double[][] xs = toDouble(x);
        double[][] a1 = new double[n][3];
        double[] a2 = new double[n];
        double lossByHand = 0;
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < 3; j++) {
                double z = b1[j];
                for (int i = 0; i < 2; i++) z += w1[j][i] * xs[s][i];
                a1[s][j] = 1 / (1 + Math.exp(-z));
            }
            double z2 = b2[0];
            for (int j = 0; j < 3; j++) z2 += w2[0][j] * a1[s][j];
            a2[s] = 1 / (1 + Math.exp(-z2));
            lossByHand += (a2[s] - t.get(s, 0)) * (a2[s] - t.get(s, 0)) / n;
        }
        double[][] gw1 = new double[3][2], gw2 = new double[1][3];
        double[] gb1 = new double[3], gb2 = new double[1];
        for (int s = 0; s < n; s++) {
            double dA2 = 2 * (a2[s] - t.get(s, 0)) / n;          // ∂L/∂a2 for L = mean (a2 − t)²
            double delta2 = dA2 * a2[s] * (1 - a2[s]);           // ∂L/∂z2 = ∂L/∂a2 · σ'(z2)
            gb2[0] += delta2;
            for (int j = 0; j < 3; j++) {
                gw2[0][j] += delta2 * a1[s][j];                  // ∂L/∂W2 = δ2 · a1
                double delta1 = delta2 * w2[0][j] * a1[s][j] * (1 - a1[s][j]);   // ∂L/∂z1 = δ2 · W2 · σ'(z1)
                gb1[j] += delta1;
                for (int i = 0; i < 2; i++) gw1[j][i] += delta1 * xs[s][i];      // ∂L/∂W1 = δ1 · x
            }
        }
        o.println("Back-propagation by hand vs automatic differentiation: a 2-3-1 network, sigmoid hidden and");
        o.println("output, mean squared error, 3 samples. By hand: δ2 = 2(a2 − t)/n · a2(1 − a2),");
        o.println("∂L/∂W2 = δ2ᵀ·a1, δ1 = δ2·W2 ⊙ a1(1 − a1), ∂L/∂W1 = δ1ᵀ·x, ∂L/∂b = Σ δ.");
        o.println();
        o.printf(Locale.ROOT, "  loss: autograd %.8f   by hand %.8f%n%n", loss.item(), lossByHand);
        double worst = Math.abs(loss.item() - lossByHand);
        o.println("  parameter           autograd      by hand");
        worst = Math.max(worst, compare(o, "layers.0.weight", l1.weight().grad().data(), flatten(gw1)));
        worst = Math.max(worst, compare(o, "layers.0.bias", l1.bias().grad().data(), gb1));
        worst = Math.max(worst, compare(o, "layers.1.weight", l2.weight().grad().data(), flatten(gw2)));
        worst = Math.max(worst, compare(o, "layers.1.bias", l2.bias().grad().data(), gb2));
        o.printf(Locale.ROOT, "%nlargest difference: %.2e (float32 arithmetic against double)%n", worst);
        return worst;
    }

    private static double compare(PrintWriter o, String name, float[] auto, double[] hand) {
        double worst = 0;
        for (int i = 0; i < auto.length; i++) {
            o.printf(Locale.ROOT, "  %-16s %12.8f %12.8f%n", i == 0 ? name : "", auto[i], hand[i]);
            worst = Math.max(worst, Math.abs(auto[i] - hand[i]));
        }
        return worst;
    }

    private static void set(Tensor t, float... values) {
        System.arraycopy(values, 0, t.data(), 0, values.length);
    }

    private static double[][] toDouble(Tensor t) {
        float[][] f = t.toArray2d();
        double[][] d = new double[f.length][];
        for (int i = 0; i < f.length; i++) d[i] = toDouble(f[i]);
        return d;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static double[] flatten(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    static List<String> names() {
        return List.of("font", "perceptron", "xor", "backprop");
    }
}
