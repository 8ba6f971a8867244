package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;

import java.util.List;

/**
 * Updates parameters from their gradients. It sees a flat, ordered list of tensors, never the
 * model. The cycle each batch is: {@link #zeroGrad()}, forward, {@code loss.backward()},
 * {@link #step()}. Per-parameter state (momentum, moments) is created on first use.
 */
public abstract class Optimizer {
    protected final List<Tensor> parameters;
    private float learningRate;
    private long steps;

    protected Optimizer(List<Tensor> parameters, float learningRate) {
        if (parameters.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": got an empty parameter list");
        checkLearningRate(learningRate);
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
    }

    private static void checkLearningRate(float lr) {
        if (!(lr > 0f) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
        }
    }

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        boolean any = false;
        for (Tensor p : parameters) any |= p.grad() != null;
        if (!any) {
            // checked before anything changes: a failed step must not count as a step
            throw new IllegalStateException("no gradients found; call loss.backward() before optimizer.step()");
        }
        steps++;
        for (int i = 0; i < parameters.size(); i++) {
            Tensor p = parameters.get(i);
            Tensor g = p.grad();
            if (g == null) continue;
            update(i, p.data(), g.data());
        }
    }

    /** Updates parameter {@code index} in place: {@code w} its values, {@code g} ∂L/∂w. */
    protected abstract void update(int index, float[] w, float[] g);

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : parameters) p.zeroGrad();
    }

    public final float learningRate() {
        return learningRate;
    }

    public final void setLearningRate(float lr) {
        checkLearningRate(lr);
        this.learningRate = lr;
    }

    /** How many times {@link #step()} has run (1 during the first update). */
    protected final long stepCount() {
        return steps;
    }

    /** A short description with the hyperparameters, for logs and saved configs. */
    public abstract String describe();
}
