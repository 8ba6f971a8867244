package dev.ganglion.optim.schedule;

import dev.ganglion.optim.Optimizer;
import dev.ganglion.tensor.StateDict;

import java.util.function.DoubleUnaryOperator;

/**
 * Sets an optimiser's learning rate as training goes on. The training loop calls the hooks in
 * this order (the {@code Trainer} does it for you):
 * <pre>
 *   for each epoch e = 1, 2, …:   onEpochStart(e)
 *       for each batch b = 1..B:  onBatchStart(e, b, B); zeroGrad, forward, backward, step
 *       measure;                  onEpochEnd(e, monitored value)
 * </pre>
 * Each parameter group is scheduled from its own base rate, the learning rate it had when the
 * schedule was created (PyTorch's {@code base_lrs}). Schedules keep state (epoch counts, the best
 * value seen): make a new one for a new training run.
 */
public abstract class LearningRateSchedule {
    protected final Optimizer optimizer;
    private final float[] baseRates;

    protected LearningRateSchedule(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.baseRates = new float[optimizer.groupCount()];
        for (int g = 0; g < baseRates.length; g++) baseRates[g] = optimizer.learningRate(g);
    }

    /** Before the first batch of epoch {@code epoch} (counted from 1). */
    public void onEpochStart(int epoch) {
    }

    /** Before batch {@code batch} (1..{@code batches}) of epoch {@code epoch}. */
    public void onBatchStart(int epoch, int batch, int batches) {
    }

    /** After epoch {@code epoch}, with the monitored value (e.g. the validation loss). */
    public void onEpochEnd(int epoch, double monitored) {
    }

    /** The learning rate of group {@code group} when this schedule was created. */
    public final float baseLearningRate(int group) {
        return baseRates[group];
    }

    /** Sets each group's learning rate to {@code rate(base rate of that group)}. */
    protected final void setFromBase(DoubleUnaryOperator rate) {
        for (int g = 0; g < baseRates.length; g++) optimizer.setLearningRate(g, (float) rate.applyAsDouble(baseRates[g]));
    }

    /**
     * The schedule's state for a checkpoint: the base rates and whatever it counts (the plateau
     * schedule's best value and bad epochs). The learning rates themselves are in the optimiser's state.
     */
    public final StateDict stateDict() {
        StateDict.Builder b = StateDict.builder(getClass().getSimpleName());
        double[] base = new double[baseRates.length];
        for (int g = 0; g < base.length; g++) base[g] = baseRates[g];
        b.numbers("base_rates", base);
        saveState(b);
        return b.build();
    }

    /** Restores a state from {@link #stateDict()} written by a schedule of the same kind. */
    public final void loadStateDict(StateDict state) {
        state.requireKind(getClass().getSimpleName());
        double[] base = state.numbersOrNull("base_rates");
        if (base == null || base.length != baseRates.length) {
            throw new IllegalArgumentException(state.kind() + " state: \"base_rates\" must hold one rate per group (" + baseRates.length + ")");
        }
        loadState(state);
        for (int g = 0; g < base.length; g++) baseRates[g] = (float) base[g];
    }

    /** Adds this schedule's own counters to {@code b}; none by default. */
    protected void saveState(StateDict.Builder b) {
    }

    /** Restores what {@link #saveState} wrote. */
    protected void loadState(StateDict state) {
    }

    static void checkEpoch(int epoch) {
        if (epoch < 1) throw new IllegalArgumentException("epochs are counted from 1, got " + epoch);
    }
}
