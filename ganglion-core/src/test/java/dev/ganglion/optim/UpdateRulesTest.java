package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * AdamW, RMSprop, Adagrad and the weight decay of every optimiser against hand computations of
 * PyTorch's documented update rules (torch.optim), step by step in double precision.
 */
class UpdateRulesTest {
    static final float[] W0 = {1.0f, -2.0f, 0.5f};
    static final float[] G1 = {0.3f, -0.1f, 2.0f};
    static final float[] G2 = {-0.2f, 0.4f, 1.0f};
    static final float[][] GRADS = {G1, G2};

    /** Sets w.grad to exactly g: the gradient of Σ w ⊙ g. */
    static void setGrad(Tensor w, float[] g) {
        w.zeroGrad();
        w.mul(Tensor.of(g.clone(), g.length)).sum().backward();
    }

    static Tensor param() {
        return Tensor.of(W0.clone(), W0.length).requiresGrad(true);
    }

    static double[] start() {
        double[] w = new double[3];
        for (int i = 0; i < 3; i++) w[i] = W0[i];
        return w;
    }

    static void assertClose(Tensor w, double[] expected, int step) {
        for (int i = 0; i < 3; i++) {
            assertThat((double) w.data()[i]).as("step %d, element %d", step, i).isCloseTo(expected[i], within(1e-6));
        }
    }

    @Test
    void adamwShrinksTheWeightsBeforeTheAdamStep() {
        double lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        Tensor w = param();
        AdamW opt = new AdamW(List.of(w), (float) lr, (float) wd);
        double[] m = new double[3], v = new double[3], e = start();
        for (int t = 1; t <= 2; t++) {
            setGrad(w, GRADS[t - 1]);
            opt.step();
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i];
                e[i] *= 1 - lr * wd;                                   // decoupled: not through the moments
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                e[i] -= lr * (m[i] / (1 - Math.pow(b1, t))) / (Math.sqrt(v[i] / (1 - Math.pow(b2, t))) + eps);
            }
            assertClose(w, e, t);
        }
        assertThat(opt.describe()).isEqualTo("adamw(lr=0.01, beta1=0.9, beta2=0.999, eps=1.0E-8, weight_decay=0.1)");
        assertThat(new AdamW(List.of(param()), 0.001f).weightDecay()).as("PyTorch's default").isEqualTo(0.01f);
    }

    @Test
    void adamwFirstStepIsShrinkThenLearningRateAgainstTheSign() {
        Tensor w = param();
        new AdamW(List.of(w), 0.05f, 0.2f).step(() -> {
            setGrad(w, G1);
            return 0f;
        });
        for (int i = 0; i < 3; i++) {
            assertThat(w.data()[i]).isCloseTo(W0[i] * (1 - 0.05f * 0.2f) - 0.05f * Math.signum(G1[i]), within(1e-6f));
        }
    }

    @Test
    void adamsWeightDecayGoesThroughTheMomentsAndAdamwsDoesNot() {
        // with a zero gradient, Adam + L2 still moves by lr (the decay term is the gradient), AdamW by lr·wd·w
        Tensor a = param(), b = param();
        Adam adam = new Adam(ParameterGroup.single(List.of(a)), 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f);
        AdamW adamw = new AdamW(List.of(b), 0.1f, 0.5f);
        setGrad(a, new float[3]);
        setGrad(b, new float[3]);
        adam.step();
        adamw.step();
        for (int i = 0; i < 3; i++) {
            assertThat(a.data()[i]).isCloseTo(W0[i] - 0.1f * Math.signum(W0[i]), within(1e-6f));
            assertThat(b.data()[i]).isCloseTo(W0[i] * (1 - 0.1f * 0.5f), within(1e-6f));
        }
        assertThat(adam.describe()).endsWith(", weight_decay=0.5)");
    }

    @Test
    void rmspropFirstTwoSteps() {
        double lr = 0.01, alpha = 0.99, eps = 1e-8;
        Tensor w = param();
        RmsProp opt = new RmsProp(List.of(w), (float) lr);
        double[] v = new double[3], e = start();
        for (int t = 1; t <= 2; t++) {
            setGrad(w, GRADS[t - 1]);
            opt.step();
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                e[i] -= lr * g / (Math.sqrt(v[i]) + eps);
            }
            assertClose(w, e, t);
        }
        assertThat(opt.describe()).isEqualTo("rmsprop(lr=0.01, alpha=0.99, eps=1.0E-8)");
    }

    @Test
    void rmspropFirstStepMovesByTenTimesTheLearningRate() {
        // v = 0.01·g², so g / √v = 10·sign(g) = sign(g) / √(1 − α)
        Tensor w = param();
        RmsProp opt = new RmsProp(List.of(w), 0.001f);
        setGrad(w, G1);
        opt.step();
        for (int i = 0; i < 3; i++) assertThat(w.data()[i]).isCloseTo(W0[i] - 0.01f * Math.signum(G1[i]), within(1e-6f));
    }

    @Test
    void rmspropWithMomentumAndWeightDecay() {
        double lr = 0.01, alpha = 0.9, eps = 1e-6, mu = 0.8, wd = 0.1;
        Tensor w = param();
        RmsProp opt = new RmsProp(ParameterGroup.single(List.of(w)), (float) lr, (float) alpha, (float) eps, (float) mu, (float) wd);
        double[] v = new double[3], buf = new double[3], e = start();
        for (int t = 1; t <= 2; t++) {
            setGrad(w, GRADS[t - 1]);
            opt.step();
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i] + wd * e[i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                buf[i] = mu * buf[i] + g / (Math.sqrt(v[i]) + eps);
                e[i] -= lr * buf[i];
            }
            assertClose(w, e, t);
        }
        assertThat(opt.describe()).isEqualTo("rmsprop(lr=0.01, alpha=0.9, eps=1.0E-6, momentum=0.8, weight_decay=0.1)");
    }

    @Test
    void adagradFirstTwoSteps() {
        double lr = 0.1, eps = 1e-10;
        Tensor w = param();
        Adagrad opt = new Adagrad(List.of(w), (float) lr);
        double[] sum = new double[3], e = start();
        for (int t = 1; t <= 2; t++) {
            setGrad(w, GRADS[t - 1]);
            opt.step();
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i];
                sum[i] += g * g;
                e[i] -= lr * g / (Math.sqrt(sum[i]) + eps);
            }
            assertClose(w, e, t);
            if (t == 1) {
                // the first step moves every weight by exactly lr against the gradient's sign
                for (int i = 0; i < 3; i++) assertThat(w.data()[i]).isCloseTo(W0[i] - 0.1f * Math.signum(G1[i]), within(1e-6f));
            }
        }
        assertThat(opt.describe()).isEqualTo("adagrad(lr=0.1, eps=1.0E-10)");
    }

    @Test
    void adagradWithWeightDecay() {
        double lr = 0.1, wd = 0.05;
        Tensor w = param();
        Adagrad opt = new Adagrad(ParameterGroup.single(List.of(w)), (float) lr, 1e-10f, (float) wd);
        setGrad(w, G1);
        opt.step();
        double[] e = start();
        for (int i = 0; i < 3; i++) {
            double g = G1[i] + wd * W0[i];
            e[i] -= lr * g / (Math.abs(g) + 1e-10);
        }
        assertClose(w, e, 1);
    }

    @Test
    void sgdWeightDecayIsAddedToTheGradientBeforeTheMomentum() {
        double lr = 0.1, mu = 0.9, wd = 0.01;
        Tensor w = param();
        Sgd opt = new Sgd(ParameterGroup.single(List.of(w)), (float) lr, (float) mu, false, (float) wd);
        double[] vel = new double[3], e = start();
        for (int t = 1; t <= 2; t++) {
            setGrad(w, GRADS[t - 1]);
            opt.step();
            for (int i = 0; i < 3; i++) {
                double g = GRADS[t - 1][i] + wd * e[i];
                vel[i] = t == 1 ? g : mu * vel[i] + g;
                e[i] -= lr * vel[i];
            }
            assertClose(w, e, t);
        }
        assertThat(opt.describe()).isEqualTo("sgd(lr=0.1, momentum=0.9, weight_decay=0.01)");
    }

    @Test
    void weightDecayLeavesTheGradientItself() {
        Tensor w = param();
        Sgd opt = new Sgd(ParameterGroup.single(List.of(w)), 0.1f, 0f, false, 0.5f);
        setGrad(w, G1);
        opt.step();
        assertThat(w.grad().data()).containsExactly(G1);
        for (int i = 0; i < 3; i++) assertThat(w.data()[i]).isCloseTo(W0[i] - 0.1f * (G1[i] + 0.5f * W0[i]), within(1e-6f));
    }

    @Test
    void parametersWithoutAGradientAreLeftAloneByEveryOptimiser() {
        Tensor w = param(), frozen = Tensor.of(new float[]{7f}, 1).requiresGrad(true);
        List<Tensor> both = List.of(w, frozen);
        for (Optimizer opt : new Optimizer[]{new AdamW(both, 0.1f), new RmsProp(both, 0.1f), new Adagrad(both, 0.1f),
                new Sgd(ParameterGroup.single(both), 0.1f, 0f, false, 0.5f)}) {
            setGrad(w, G1);
            opt.step();
            assertThat(frozen.data()).as(opt.describe()).containsExactly(7f);
        }
    }

    @Test
    void hyperparametersAreValidatedWithTheBadValueInTheMessage() {
        List<ParameterGroup> ps = ParameterGroup.single(List.of(param()));
        assertThatThrownBy(() -> new AdamW(ps, 0.1f, 1f, 0.999f, 1e-8f, 0.01f)).hasMessageContaining("adamw: beta1").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new AdamW(ps, 0.1f, 0.9f, 0.999f, 1e-8f, -1f)).hasMessageContaining("weight decay").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new RmsProp(ps, 0.1f, 1f, 1e-8f, 0f, 0f)).hasMessageContaining("alpha").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new RmsProp(ps, 0.1f, 0.99f, 0f, 0f, 0f)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new RmsProp(ps, 0.1f, 0.99f, 1e-8f, 1.5f, 0f)).hasMessageContaining("momentum").hasMessageContaining("1.5");
        assertThatThrownBy(() -> new Adagrad(ps, 0.1f, -1e-10f, 0f)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new Adagrad(ps, 0.1f, 1e-10f, Float.NaN)).hasMessageContaining("weight decay");
        assertThatThrownBy(() -> new Sgd(ps, 0.1f, 0f, false, -0.1f)).hasMessageContaining("weight decay").hasMessageContaining("-0.1");
    }
}
