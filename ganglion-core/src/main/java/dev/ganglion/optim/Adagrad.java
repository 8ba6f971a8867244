package dev.ganglion.optim;

import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.tensor.kernel.Parallel;

import java.util.List;

/**
 * Adagrad (Duchi, Hazan &amp; Singer, 2011), as PyTorch's {@code Adagrad}: each weight's step
 * shrinks with the sum of its squared gradients, so rarely updated weights keep larger steps.
 * <pre>
 *   g ← g + λ·w                 (L2 weight decay λ, default 0)
 *   s ← s + g²                  (s starts at 0)
 *   w ← w − η·g / (√s + ε)
 * </pre>
 * Defaults (PyTorch's): ε = 1e-10, no learning-rate decay (use a schedule instead).
 */
public final class Adagrad extends Optimizer {
    private final float epsilon;
    private final float[][] sum;

    public Adagrad(List<Tensor> parameters, float learningRate) {
        this(ParameterGroup.single(parameters), learningRate, 1e-10f, 0f);
    }

    /**
     * @param groups       the parameters, in groups with their own learning rate or weight decay
     * @param learningRate η, for groups that do not set their own
     * @param epsilon      ε &gt; 0
     * @param weightDecay  λ ≥ 0 (added to the gradient), for groups that do not set their own
     */
    public Adagrad(List<ParameterGroup> groups, float learningRate, float epsilon, float weightDecay) {
        super(groups, learningRate, weightDecay);
        if (!(epsilon > 0f)) throw new IllegalArgumentException("adagrad: epsilon must be > 0, got " + epsilon);
        this.epsilon = epsilon;
        this.sum = new float[parameters.size()][];
    }

    @Override
    protected void update(int index, float[] w, float[] grad, float lr, float weightDecay) {
        float[] g = withWeightDecay(grad, w, weightDecay);
        if (sum[index] == null) sum[index] = new float[w.length];
        float[] s = sum[index];
        float eps = epsilon;
        Parallel.forRange(w.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                s[i] += g[i] * g[i];
                w[i] -= lr * g[i] / ((float) Math.sqrt(s[i]) + eps);
            }
        });
    }

    @Override
    protected void saveState(StateDict.Builder b) {
        savePerParameter(b, "sum", sum);
    }

    @Override
    protected void loadState(StateDict state) {
        float[][] s = loadPerParameter(state, "sum");
        System.arraycopy(s, 0, sum, 0, s.length);
    }

    @Override
    public String describe() {
        return "adagrad(lr=" + learningRate() + ", eps=" + epsilon + weightDecayText() + ")";
    }
}
