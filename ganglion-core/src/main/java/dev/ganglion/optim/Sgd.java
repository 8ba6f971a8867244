package dev.ganglion.optim;

import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.tensor.kernel.Parallel;

import java.util.List;

/**
 * Stochastic gradient descent, optionally with momentum and L2 weight decay (PyTorch's
 * formulation):
 * <pre>
 *   g ← g + λ·w            (weight decay λ, default 0)
 *   v ← μ·v + g            (v = g at the first step; μ = 0: plain gradient descent)
 *   w ← w − η·v            (Nesterov: w ← w − η·(g + μ·v))
 * </pre>
 * With μ = λ = 0 this is exactly w ← w − η·∂L/∂w. Defaults: μ = 0, no Nesterov, λ = 0.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float[][] velocity;

    public Sgd(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0f, false);
    }

    public Sgd(List<Tensor> parameters, float learningRate, float momentum, boolean nesterov) {
        this(ParameterGroup.single(parameters), learningRate, momentum, nesterov, 0f);
    }

    /**
     * @param groups       the parameters, in groups with their own learning rate or weight decay
     * @param learningRate η, for groups that do not set their own
     * @param momentum     μ in [0, 1)
     * @param nesterov     Nesterov momentum (needs μ &gt; 0)
     * @param weightDecay  λ ≥ 0, for groups that do not set their own
     */
    public Sgd(List<ParameterGroup> groups, float learningRate, float momentum, boolean nesterov, float weightDecay) {
        super(groups, learningRate, weightDecay);
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("sgd: momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0f) throw new IllegalArgumentException("sgd: nesterov needs momentum > 0");
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.velocity = new float[parameters.size()][];
    }

    @Override
    protected void update(int index, float[] w, float[] grad, float lr, float weightDecay) {
        float[] g = withWeightDecay(grad, w, weightDecay);
        if (momentum == 0f) {
            Parallel.forRange(w.length, (from, to) -> {
                for (int i = from; i < to; i++) w[i] -= lr * g[i];
            });
            return;
        }
        boolean first = velocity[index] == null;
        float[] v = first ? (velocity[index] = g.clone()) : velocity[index];
        float mu = momentum;
        boolean nag = nesterov;
        Parallel.forRange(w.length, (from, to) -> {
            if (!first) {
                for (int i = from; i < to; i++) v[i] = mu * v[i] + g[i];
            }
            if (nag) {
                for (int i = from; i < to; i++) w[i] -= lr * (g[i] + mu * v[i]);
            } else {
                for (int i = from; i < to; i++) w[i] -= lr * v[i];
            }
        });
    }

    @Override
    protected void saveState(StateDict.Builder b) {
        savePerParameter(b, "velocity", velocity);
    }

    @Override
    protected void loadState(StateDict state) {
        float[][] v = loadPerParameter(state, "velocity");
        System.arraycopy(v, 0, velocity, 0, v.length);
    }

    @Override
    public String describe() {
        return momentum == 0f ? "sgd(lr=" + learningRate() + weightDecayText() + ")"
                : "sgd(lr=" + learningRate() + ", momentum=" + momentum + (nesterov ? ", nesterov" : "") + weightDecayText() + ")";
    }
}
