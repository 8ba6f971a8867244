package dev.ganglion.optim;

import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019), as PyTorch's {@code AdamW}: the weights shrink by η·λ·w directly
 * instead of λ·w being added to the gradient, where Adam's per-parameter scaling would weaken it.
 * <pre>
 *   w ← w − η·λ·w
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   w ← w − η · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 * Defaults (PyTorch's): λ = 0.01, β1 = 0.9, β2 = 0.999, ε = 1e-8.
 */
public final class AdamW extends Optimizer {
    private final Adam.Moments moments;

    public AdamW(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0.01f);
    }

    public AdamW(List<Tensor> parameters, float learningRate, float weightDecay) {
        this(ParameterGroup.single(parameters), learningRate, 0.9f, 0.999f, 1e-8f, weightDecay);
    }

    /**
     * @param groups       the parameters, in groups with their own learning rate or weight decay
     * @param learningRate η, for groups that do not set their own
     * @param beta1        β1 in [0, 1)
     * @param beta2        β2 in [0, 1)
     * @param epsilon      ε &gt; 0
     * @param weightDecay  λ ≥ 0 (decoupled), for groups that do not set their own
     */
    public AdamW(List<ParameterGroup> groups, float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        super(groups, learningRate, weightDecay);
        this.moments = new Adam.Moments("adamw", parameters.size(), beta1, beta2, epsilon);
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr, float weightDecay) {
        if (weightDecay != 0f) {
            float shrink = 1f - lr * weightDecay;
            for (int i = 0; i < w.length; i++) w[i] *= shrink;
        }
        moments.update(index, w, g, lr);
    }

    @Override
    protected void saveState(StateDict.Builder b) {
        moments.save(b);
    }

    @Override
    protected void loadState(StateDict state) {
        moments.load(state, parameters);
    }

    @Override
    public String describe() {
        return "adamw(lr=" + learningRate() + ", " + moments.describe() + ", weight_decay=" + weightDecay() + ")";
    }
}
