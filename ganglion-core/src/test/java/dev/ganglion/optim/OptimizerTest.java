package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Update rules against hand computations of the documented formulas, step by step. */
class OptimizerTest {
    static final float[] W0 = {1.0f, -2.0f, 0.5f};
    static final float[] G1 = {0.3f, -0.1f, 2.0f};
    static final float[] G2 = {-0.2f, 0.4f, 1.0f};

    /** Sets w.grad to exactly g: the gradient of Σ w ⊙ g. */
    private static void setGrad(Tensor w, float[] g) {
        w.zeroGrad();
        w.mul(Tensor.of(g.clone(), g.length)).sum().backward();
    }

    private static Tensor param() {
        return Tensor.of(W0.clone(), W0.length).requiresGrad(true);
    }

    @Test
    void plainSgdIsWMinusLearningRateTimesGradient() {
        Tensor w = param();
        Sgd sgd = new Sgd(List.of(w), 0.1f);
        setGrad(w, G1);
        sgd.step();
        for (int i = 0; i < 3; i++) assertThat(w.data()[i]).isEqualTo(W0[i] - 0.1f * G1[i]);
        assertThat(sgd.describe()).isEqualTo("sgd(lr=0.1)");
    }

    @Test
    void momentumFirstTwoSteps() {
        float lr = 0.1f, mu = 0.9f;
        Tensor w = param();
        Sgd sgd = new Sgd(List.of(w), lr, mu, false);
        setGrad(w, G1);
        sgd.step();
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) expected[i] = W0[i] - lr * G1[i];      // v1 = g1
        for (int i = 0; i < 3; i++) assertThat((double) w.data()[i]).isCloseTo(expected[i], within(1e-6));
        setGrad(w, G2);
        sgd.step();
        for (int i = 0; i < 3; i++) {
            double v2 = mu * G1[i] + G2[i];
            expected[i] -= lr * v2;
            assertThat((double) w.data()[i]).isCloseTo(expected[i], within(1e-6));
        }
        assertThat(sgd.describe()).isEqualTo("sgd(lr=0.1, momentum=0.9)");
    }

    @Test
    void nesterovFirstTwoSteps() {
        float lr = 0.1f, mu = 0.9f;
        Tensor w = param();
        Sgd sgd = new Sgd(List.of(w), lr, mu, true);
        setGrad(w, G1);
        sgd.step();
        setGrad(w, G2);
        sgd.step();
        for (int i = 0; i < 3; i++) {
            double v1 = G1[i], v2 = mu * v1 + G2[i];
            double w1 = W0[i] - lr * (G1[i] + mu * v1);
            double w2 = w1 - lr * (G2[i] + mu * v2);
            assertThat((double) w.data()[i]).isCloseTo(w2, within(1e-6));
        }
        assertThat(sgd.describe()).contains("nesterov");
    }

    @Test
    void adamFirstTwoSteps() {
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        Tensor w = param();
        Adam adam = new Adam(List.of(w), (float) lr);
        double[] m = new double[3], v = new double[3], expected = new double[3];
        for (int i = 0; i < 3; i++) expected[i] = W0[i];
        float[][] grads = {G1, G2};
        for (int t = 1; t <= 2; t++) {
            setGrad(w, grads[t - 1]);
            adam.step();
            for (int i = 0; i < 3; i++) {
                double g = grads[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t)), vHat = v[i] / (1 - Math.pow(b2, t));
                expected[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                assertThat((double) w.data()[i]).as("step %d, element %d", t, i).isCloseTo(expected[i], within(1e-6));
            }
        }
        // the first step moves every weight by lr against the gradient's sign
        assertThat(adam.describe()).isEqualTo("adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1.0E-8)");
    }

    /**
     * Parameters long enough for the update to be split over the compute threads
     * ({@code Parallel.MIN_PART} elements a part): every element, including those at the seams
     * between parts and in the tail, follows the same formulas as in the small cases above.
     */
    @Test
    void largeParametersSplitOverThreadsFollowTheSameFormulas() {
        int n = 3 * dev.ganglion.tensor.kernel.Parallel.MIN_PART + 5;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        float[] w0 = new float[n], g1 = new float[n], g2 = new float[n];
        for (int i = 0; i < n; i++) {
            w0[i] = (float) rng.nextDouble(-1, 1);
            g1[i] = (float) rng.nextDouble(-1, 1);
            g2[i] = (float) rng.nextDouble(-1, 1);
        }
        double lr = 0.01, mu = 0.9, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        Tensor sgdW = Tensor.of(w0.clone(), n).requiresGrad(true), adamW = Tensor.of(w0.clone(), n).requiresGrad(true);
        Tensor rmsW = Tensor.of(w0.clone(), n).requiresGrad(true), adagradW = Tensor.of(w0.clone(), n).requiresGrad(true);
        Sgd sgd = new Sgd(List.of(sgdW), (float) lr, (float) mu, true);
        Adam adam = new Adam(List.of(adamW), (float) lr);
        RmsProp rms = new RmsProp(ParameterGroup.single(List.of(rmsW)), (float) lr, 0.99f, 1e-8f, (float) mu, 0f);
        Adagrad adagrad = new Adagrad(List.of(adagradW), (float) lr);
        float[][] grads = {g1, g2};
        for (float[] g : grads) {
            for (Tensor w : List.of(sgdW, adamW, rmsW, adagradW)) setGrad(w, g);
            sgd.step();
            adam.step();
            rms.step();
            adagrad.step();
        }
        for (int i = 0; i < n; i++) {
            double v1 = g1[i], v2 = mu * v1 + g2[i];
            double sgdExpected = w0[i] - lr * (g1[i] + mu * v1) - lr * (g2[i] + mu * v2);
            assertThat((double) sgdW.data()[i]).as("sgd element %d", i).isCloseTo(sgdExpected, within(1e-5));
            double m = 0, v = 0, adamExpected = w0[i];
            for (int t = 1; t <= 2; t++) {
                double g = grads[t - 1][i];
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                adamExpected -= lr * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + eps);
            }
            assertThat((double) adamW.data()[i]).as("adam element %d", i).isCloseTo(adamExpected, within(1e-5));
            double sq = 0, buf = 0, sum = 0, rmsExpected = w0[i], adagradExpected = w0[i];
            for (float[] gs : grads) {
                double g = gs[i];
                sq = 0.99 * sq + 0.01 * g * g;
                buf = mu * buf + g / (Math.sqrt(sq) + 1e-8);
                rmsExpected -= lr * buf;
                sum += g * g;
                adagradExpected -= lr * g / (Math.sqrt(sum) + 1e-10);
            }
            assertThat((double) rmsW.data()[i]).as("rmsprop element %d", i).isCloseTo(rmsExpected, within(1e-5));
            assertThat((double) adagradW.data()[i]).as("adagrad element %d", i).isCloseTo(adagradExpected, within(1e-5));
        }
    }

    @Test
    void adamFirstStepMovesEachWeightByTheLearningRate() {
        Tensor w = param();
        Adam adam = new Adam(List.of(w), 0.05f);
        setGrad(w, G1);
        adam.step();
        for (int i = 0; i < 3; i++) assertThat(w.data()[i]).isCloseTo(W0[i] - 0.05f * Math.signum(G1[i]), within(1e-6f));
    }

    @Test
    void adamCorrectsTheBiasOfAParameterByItsOwnNumberOfUpdates() {
        // q receives its first gradient in the optimiser's second step: its moments have seen one
        // update, so its bias correction must be that of a first step (a move of exactly lr)
        Tensor p = param(), q = Tensor.of(new float[]{1f}, 1).requiresGrad(true);
        Adam adam = new Adam(List.of(p, q), 0.1f);
        setGrad(p, G1);
        adam.step();
        setGrad(p, G2);
        setGrad(q, new float[]{0.5f});
        adam.step();
        assertThat(q.data()[0]).isCloseTo(1f - 0.1f, within(1e-6f));
    }

    @Test
    void parametersWithoutAGradientAreLeftAlone() {
        Tensor w = param(), frozen = Tensor.of(new float[]{7f}, 1).requiresGrad(true);
        for (Optimizer opt : new Optimizer[]{new Sgd(List.of(w, frozen), 0.1f), new Sgd(List.of(w, frozen), 0.1f, 0.5f, false),
                new Adam(List.of(w, frozen), 0.1f)}) {
            setGrad(w, G1);
            opt.step();
            assertThat(frozen.data()).containsExactly(7f);
        }
    }

    @Test
    void stepWithoutAnyGradientSaysWhatToDo() {
        Tensor w = param();
        Sgd sgd = new Sgd(List.of(w), 0.1f);
        assertThatThrownBy(sgd::step).isInstanceOf(IllegalStateException.class).hasMessageContaining("call loss.backward()");
        assertThat(w.data()).containsExactly(W0);
    }

    @Test
    void aFailedStepDoesNotCountForAdam() {
        Tensor w = param();
        Adam adam = new Adam(List.of(w), 0.05f);
        assertThatThrownBy(adam::step).isInstanceOf(IllegalStateException.class);
        setGrad(w, G1);
        adam.step();
        for (int i = 0; i < 3; i++) assertThat(w.data()[i]).isCloseTo(W0[i] - 0.05f * Math.signum(G1[i]), within(1e-6f));
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Tensor a = param(), b = param();
        Sgd sgd = new Sgd(List.of(a, b), 0.1f);
        setGrad(a, G1);
        setGrad(b, G2);
        sgd.zeroGrad();
        assertThat(a.grad()).isNull();
        assertThat(b.grad()).isNull();
    }

    @Test
    void learningRateCanChangeBetweenSteps() {
        Tensor w = param();
        Sgd sgd = new Sgd(List.of(w), 0.1f);
        sgd.setLearningRate(0.5f);
        assertThat(sgd.learningRate()).isEqualTo(0.5f);
        setGrad(w, G1);
        sgd.step();
        assertThat(w.data()[0]).isEqualTo(W0[0] - 0.5f * G1[0]);
        assertThatThrownBy(() -> sgd.setLearningRate(-0.5f)).hasMessageContaining("learning rate").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> sgd.setLearningRate(Float.NaN)).hasMessageContaining("learning rate");
        // a schedule may anneal to exactly 0 (the constructor still needs a positive rate)
        sgd.setLearningRate(0f);
        setGrad(w, G1);
        float[] before = w.data().clone();
        sgd.step();
        assertThat(w.data()).containsExactly(before);
        assertThatThrownBy(() -> new Sgd(List.of(w), 0f)).hasMessageContaining("positive");
    }

    @Test
    void hyperparametersAreValidatedWithTheBadValueInTheMessage() {
        List<Tensor> ps = List.of(param());
        assertThatThrownBy(() -> new Sgd(List.of(), 0.1f)).hasMessageContaining("empty parameter list");
        assertThatThrownBy(() -> new Sgd(ps, -1f)).hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new Sgd(ps, Float.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new Sgd(ps, Float.POSITIVE_INFINITY)).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new Sgd(ps, 0.1f, 1f, false)).hasMessageContaining("momentum").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Sgd(ps, 0.1f, 0f, true)).hasMessageContaining("nesterov");
        assertThatThrownBy(() -> new Adam(ps, 0.1f, 1f, 0.999f, 1e-8f)).hasMessageContaining("beta1").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Adam(ps, 0.1f, 0.9f, -0.1f, 1e-8f)).hasMessageContaining("beta2").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new Adam(ps, 0.1f, 0.9f, 0.999f, 0f)).hasMessageContaining("epsilon");
    }
}
