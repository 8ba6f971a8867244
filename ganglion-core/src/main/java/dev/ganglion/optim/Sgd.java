package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;

import java.util.List;

/**
 * Stochastic gradient descent, optionally with momentum (PyTorch's formulation):
 * <pre>
 *   v ← μ·v + g            (μ = 0: plain gradient descent)
 *   w ← w − η·v            (Nesterov: w ← w − η·(g + μ·v))
 * </pre>
 * With μ = 0 this is exactly w ← w − η·∂L/∂w.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float[][] velocity;

    public Sgd(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0f, false);
    }

    public Sgd(List<Tensor> parameters, float learningRate, float momentum, boolean nesterov) {
        super(parameters, learningRate);
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("sgd: momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0f) throw new IllegalArgumentException("sgd: nesterov needs momentum > 0");
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.velocity = new float[parameters.size()][];
    }

    @Override
    protected void update(int index, float[] w, float[] g) {
        float lr = learningRate();
        if (momentum == 0f) {
            for (int i = 0; i < w.length; i++) w[i] -= lr * g[i];
            return;
        }
        float[] v = velocity[index];
        if (v == null) {
            v = velocity[index] = g.clone();
        } else {
            for (int i = 0; i < v.length; i++) v[i] = momentum * v[i] + g[i];
        }
        if (nesterov) {
            for (int i = 0; i < w.length; i++) w[i] -= lr * (g[i] + momentum * v[i]);
        } else {
            for (int i = 0; i < w.length; i++) w[i] -= lr * v[i];
        }
    }

    @Override
    public String describe() {
        return momentum == 0f ? "sgd(lr=" + learningRate() + ")"
                : "sgd(lr=" + learningRate() + ", momentum=" + momentum + (nesterov ? ", nesterov" : "") + ")";
    }
}
