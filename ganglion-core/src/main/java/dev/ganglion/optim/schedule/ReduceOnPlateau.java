package dev.ganglion.optim.schedule;

import dev.ganglion.optim.Optimizer;
import dev.ganglion.tensor.StateDict;

/**
 * Reduces the learning rate when a monitored value stops improving (PyTorch's
 * {@code ReduceLROnPlateau}, relative threshold). After each epoch:
 * <pre>
 *   improved = value &lt; best·(1 − threshold)   (mode MIN; MAX: value &gt; best·(1 + threshold))
 *   if improved: best = value, bad = 0  else bad = bad + 1
 *   in cool-down (cooldown epochs after a reduction): bad = 0
 *   if bad &gt; patience: η ← max(η·factor, η_min) for every group, bad = 0, start the cool-down
 * </pre>
 * A change smaller than 1e-8 is not made. Defaults (PyTorch's): mode MIN, factor 0.1, patience 10,
 * threshold 1e-4, cooldown 0, η_min 0. NaN never counts as an improvement.
 */
public final class ReduceOnPlateau extends LearningRateSchedule {
    /** Whether smaller (validation loss) or larger (accuracy) values are better. */
    public enum Mode { MIN, MAX }

    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final int cooldown;
    private final float minLearningRate;
    private double best;
    private int badEpochs;
    private int cooldownLeft;
    private int reductions;

    /** With PyTorch's defaults: mode MIN, factor 0.1, patience 10, threshold 1e-4, no cool-down, η_min 0. */
    public ReduceOnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, 0, 0f);
    }

    /**
     * @param mode            MIN or MAX
     * @param factor          the multiplier, in (0, 1)
     * @param patience        epochs without improvement that are tolerated (≥ 0)
     * @param threshold       the relative improvement that counts (≥ 0)
     * @param cooldown        epochs after a reduction before bad epochs count again (≥ 0)
     * @param minLearningRate η_min ≥ 0
     */
    public ReduceOnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold, int cooldown,
                           float minLearningRate) {
        super(optimizer);
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("reduce on plateau: factor must be in (0, 1), got " + factor);
        if (patience < 0) throw new IllegalArgumentException("reduce on plateau: patience must be >= 0, got " + patience);
        if (!(threshold >= 0)) throw new IllegalArgumentException("reduce on plateau: threshold must be >= 0, got " + threshold);
        if (cooldown < 0) throw new IllegalArgumentException("reduce on plateau: cooldown must be >= 0, got " + cooldown);
        if (!(minLearningRate >= 0)) {
            throw new IllegalArgumentException("reduce on plateau: minimum learning rate must be >= 0, got " + minLearningRate);
        }
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLearningRate = minLearningRate;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(int epoch, double value) {
        if (improves(value)) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            for (int g = 0; g < optimizer.groupCount(); g++) {
                float old = optimizer.learningRate(g);
                float reduced = (float) Math.max(old * factor, minLearningRate);
                if (old - reduced > 1e-8) optimizer.setLearningRate(g, reduced);
            }
            reductions++;
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
    }

    private boolean improves(double value) {
        return mode == Mode.MIN ? value < best * (1 - threshold) : value > best * (1 + threshold);
    }

    @Override
    protected void saveState(StateDict.Builder b) {
        b.number("best", best).number("bad_epochs", badEpochs).number("cooldown_left", cooldownLeft).number("reductions", reductions);
    }

    @Override
    protected void loadState(StateDict state) {
        double b = state.number("best");
        long bad = state.count("bad_epochs"), cool = state.count("cooldown_left"), red = state.count("reductions");
        if (bad < 0 || cool < 0 || red < 0 || bad > Integer.MAX_VALUE || cool > Integer.MAX_VALUE || red > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("reduce on plateau state: counters must be non-negative ints");
        }
        best = b;
        badEpochs = (int) bad;
        cooldownLeft = (int) cool;
        reductions = (int) red;
    }

    /** The best value seen so far. */
    public double best() {
        return best;
    }

    /** Epochs without improvement since the last improvement or reduction. */
    public int badEpochs() {
        return badEpochs;
    }

    /** How many times the rate was reduced. */
    public int reductions() {
        return reductions;
    }
}
