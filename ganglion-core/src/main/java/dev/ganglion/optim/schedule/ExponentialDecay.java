package dev.ganglion.optim.schedule;

import dev.ganglion.optim.Optimizer;

/**
 * Multiplies the learning rate by γ every epoch (PyTorch's {@code ExponentialLR}):
 * <pre>
 *   η_e = η₀ · γ^(e − 1)        for epoch e = 1, 2, …
 * </pre>
 */
public final class ExponentialDecay extends LearningRateSchedule {
    private final double gamma;

    public ExponentialDecay(Optimizer optimizer, double gamma) {
        super(optimizer);
        if (!(gamma > 0 && gamma <= 1)) throw new IllegalArgumentException("exponential decay: gamma must be in (0, 1], got " + gamma);
        this.gamma = gamma;
    }

    @Override
    public void onEpochStart(int epoch) {
        checkEpoch(epoch);
        double factor = Math.pow(gamma, epoch - 1);
        setFromBase(base -> base * factor);
    }
}
