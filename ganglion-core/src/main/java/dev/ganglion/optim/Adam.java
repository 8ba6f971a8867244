package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;

import java.util.List;

/**
 * Adam (Kingma &amp; Ba, 2015): per-parameter step sizes from running moments of the gradient.
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   w ← w − η · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 * Defaults β1 = 0.9, β2 = 0.999, ε = 1e-8, as in the paper, PyTorch and Keras. The step {@code t}
 * is counted per parameter (as PyTorch does): a parameter that had no gradient in some steps has
 * had fewer moment updates, and its bias correction must match that number.
 */
public final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float[][] m;
    private final float[][] v;
    private final long[] t;

    public Adam(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0.9f, 0.999f, 1e-8f);
    }

    public Adam(List<Tensor> parameters, float learningRate, float beta1, float beta2, float epsilon) {
        super(parameters, learningRate);
        if (!(beta1 >= 0f && beta1 < 1f)) throw new IllegalArgumentException("adam: beta1 must be in [0, 1), got " + beta1);
        if (!(beta2 >= 0f && beta2 < 1f)) throw new IllegalArgumentException("adam: beta2 must be in [0, 1), got " + beta2);
        if (!(epsilon > 0f)) throw new IllegalArgumentException("adam: epsilon must be > 0, got " + epsilon);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new float[parameters.size()][];
        this.v = new float[parameters.size()][];
        this.t = new long[parameters.size()];
    }

    @Override
    protected void update(int index, float[] w, float[] g) {
        if (m[index] == null) {
            m[index] = new float[w.length];
            v[index] = new float[w.length];
        }
        float[] mi = m[index], vi = v[index];
        long step = ++t[index];
        float c1 = (float) (1.0 - Math.pow(beta1, step));
        float c2 = (float) (1.0 - Math.pow(beta2, step));
        float lr = learningRate();
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            mi[i] = beta1 * mi[i] + (1f - beta1) * gi;
            vi[i] = beta2 * vi[i] + (1f - beta2) * gi * gi;
            float mHat = mi[i] / c1;
            float vHat = vi[i] / c2;
            w[i] -= lr * mHat / ((float) Math.sqrt(vHat) + epsilon);
        }
    }

    @Override
    public String describe() {
        return "adam(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ")";
    }
}
