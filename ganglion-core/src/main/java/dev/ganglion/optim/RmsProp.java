package dev.ganglion.optim;

import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.tensor.kernel.Parallel;

import java.util.List;

/**
 * RMSprop (Hinton, Coursera lecture 6e), as PyTorch's {@code RMSprop}: divides the gradient by a
 * running root-mean-square of its recent values.
 * <pre>
 *   g ← g + λ·w                        (L2 weight decay λ, default 0)
 *   v ← α·v + (1 − α)·g²               (v starts at 0)
 *   μ = 0:  w ← w − η·g / (√v + ε)
 *   μ &gt; 0:  b ← μ·b + g / (√v + ε);  w ← w − η·b     (b starts at 0)
 * </pre>
 * Defaults (PyTorch's): α = 0.99, ε = 1e-8, μ = 0. (Keras uses ρ = 0.9 and ε = 1e-7.)
 */
public final class RmsProp extends Optimizer {
    private final float alpha;
    private final float epsilon;
    private final float momentum;
    private final float[][] square;
    private final float[][] buffer;

    public RmsProp(List<Tensor> parameters, float learningRate) {
        this(ParameterGroup.single(parameters), learningRate, 0.99f, 1e-8f, 0f, 0f);
    }

    /**
     * @param groups       the parameters, in groups with their own learning rate or weight decay
     * @param learningRate η, for groups that do not set their own
     * @param alpha        α in [0, 1): the decay of the running mean of g²
     * @param epsilon      ε &gt; 0
     * @param momentum     μ in [0, 1)
     * @param weightDecay  λ ≥ 0 (added to the gradient), for groups that do not set their own
     */
    public RmsProp(List<ParameterGroup> groups, float learningRate, float alpha, float epsilon, float momentum, float weightDecay) {
        super(groups, learningRate, weightDecay);
        if (!(alpha >= 0f && alpha < 1f)) throw new IllegalArgumentException("rmsprop: alpha must be in [0, 1), got " + alpha);
        if (!(epsilon > 0f)) throw new IllegalArgumentException("rmsprop: epsilon must be > 0, got " + epsilon);
        if (!(momentum >= 0f && momentum < 1f)) throw new IllegalArgumentException("rmsprop: momentum must be in [0, 1), got " + momentum);
        this.alpha = alpha;
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.square = new float[parameters.size()][];
        this.buffer = new float[parameters.size()][];
    }

    @Override
    protected void update(int index, float[] w, float[] grad, float lr, float weightDecay) {
        float[] g = withWeightDecay(grad, w, weightDecay);
        if (square[index] == null) {
            square[index] = new float[w.length];
            if (momentum > 0f) buffer[index] = new float[w.length];
        }
        float[] v = square[index], b = buffer[index];
        float a = alpha, eps = epsilon, mu = momentum;
        Parallel.forRange(w.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                v[i] = a * v[i] + (1f - a) * g[i] * g[i];
                float scaled = g[i] / ((float) Math.sqrt(v[i]) + eps);
                if (mu > 0f) {
                    b[i] = mu * b[i] + scaled;
                    w[i] -= lr * b[i];
                } else {
                    w[i] -= lr * scaled;
                }
            }
        });
    }

    @Override
    protected void saveState(StateDict.Builder b) {
        savePerParameter(b, "square", square);
        savePerParameter(b, "buffer", buffer);
    }

    @Override
    protected void loadState(StateDict state) {
        float[][] v = loadPerParameter(state, "square"), m = loadPerParameter(state, "buffer");
        for (int i = 0; i < v.length; i++) {
            if (v[i] != null && momentum > 0f && m[i] == null) {
                throw new IllegalArgumentException("rmsprop state: \"square." + i + "\" has no \"buffer." + i + "\" (momentum state)");
            }
        }
        System.arraycopy(v, 0, square, 0, v.length);
        System.arraycopy(m, 0, buffer, 0, m.length);
    }

    @Override
    public String describe() {
        return "rmsprop(lr=" + learningRate() + ", alpha=" + alpha + ", eps=" + epsilon
                + (momentum > 0f ? ", momentum=" + momentum : "") + weightDecayText() + ")";
    }
}
