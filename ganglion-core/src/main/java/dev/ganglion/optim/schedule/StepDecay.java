package dev.ganglion.optim.schedule;

import dev.ganglion.optim.Optimizer;

/**
 * Multiplies the learning rate by γ every {@code stepSize} epochs (PyTorch's {@code StepLR}):
 * <pre>
 *   η_e = η₀ · γ^⌊(e − 1) / stepSize⌋        for epoch e = 1, 2, …
 * </pre>
 * E.g. η₀ = 0.1, stepSize 2, γ = 0.5: 0.1, 0.1, 0.05, 0.05, 0.025, …
 */
public final class StepDecay extends LearningRateSchedule {
    private final int stepSize;
    private final double gamma;

    public StepDecay(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) throw new IllegalArgumentException("step decay: stepSize must be >= 1, got " + stepSize);
        if (!(gamma > 0 && gamma <= 1)) throw new IllegalArgumentException("step decay: gamma must be in (0, 1], got " + gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public void onEpochStart(int epoch) {
        checkEpoch(epoch);
        double factor = Math.pow(gamma, (epoch - 1) / stepSize);
        setFromBase(base -> base * factor);
    }
}
