package dev.ganglion.train;

import dev.ganglion.nn.Module;
import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when a monitored figure has not improved for {@code patience} epochs, and at the
 * end puts back the parameters and buffers of the best epoch (Keras' {@code EarlyStopping} with
 * {@code restore_best_weights=True}). After each epoch:
 * <pre>
 *   improved = value &lt; best − minDelta        (mode MIN; MAX: value &gt; best + minDelta)
 *   if improved: best = value, remember the model's state, wait = 0
 *   else:        wait = wait + 1; if wait ≥ patience: trainer.requestStop()
 * </pre>
 * When training ends, early or not, the remembered state is loaded back. Defaults: minDelta 0, the
 * mode that suits the monitor (MIN for losses, MAX for accuracies), restore the best weights.
 * <pre>{@code
 * EarlyStopping stop = new EarlyStopping(Monitor.VALIDATION_LOSS, 10);
 * trainer.addListener(stop).fit(train, validation);   // stop.bestEpoch() tells which weights it kept
 * }</pre>
 * It keeps state per {@code fit} call and resets it at the start of each.
 */
public final class EarlyStopping implements TrainingListener, TrainingListener.Stateful {
    /** Whether smaller or larger values of the monitored figure are better. */
    public enum Mode { MIN, MAX }

    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private final Mode mode;
    private final boolean restoreBest;
    private double best;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private Map<String, Tensor> bestState;

    /** Watches {@code monitor} with minDelta 0, its natural mode, and restores the best weights. */
    public EarlyStopping(Monitor monitor, int patience) {
        this(monitor, patience, 0, monitor.higherIsBetter() ? Mode.MAX : Mode.MIN, true);
    }

    /**
     * @param monitor     the figure to watch
     * @param patience    epochs without improvement before stopping (≥ 1)
     * @param minDelta    the smallest change that counts as an improvement (≥ 0)
     * @param mode        MIN or MAX
     * @param restoreBest whether to load the best epoch's parameters and buffers at the end
     */
    public EarlyStopping(Monitor monitor, int patience, double minDelta, Mode mode, boolean restoreBest) {
        if (patience < 1) throw new IllegalArgumentException("early stopping: patience must be >= 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early stopping: minDelta must be >= 0, got " + minDelta);
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.mode = mode;
        this.restoreBest = restoreBest;
        reset();
    }

    private void reset() {
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        bestEpoch = 0;
        wait = 0;
        stoppedEpoch = 0;
        bestState = null;
    }

    @Override
    public void onTrainStart(Trainer trainer) {
        reset();
    }

    @Override
    public void onEpochEnd(EpochStats stats, Trainer trainer) {
        double value = monitor.value(stats);
        if (Double.isNaN(value)) {
            throw new IllegalStateException("early stopping monitors " + monitor.key() + ", which is NaN at epoch "
                    + stats.epoch() + (monitor.needsValidation() ? ": fit(...) was given no validation set"
                    : ": accuracy does not apply to this loss"));
        }
        boolean improved = mode == Mode.MIN ? value < best - minDelta : value > best + minDelta;
        if (improved) {
            best = value;
            bestEpoch = stats.epoch();
            wait = 0;
            if (restoreBest) bestState = copyOf(trainer.model());
        } else if (++wait >= patience) {
            stoppedEpoch = stats.epoch();
            trainer.requestStop();
        }
    }

    @Override
    public void onTrainEnd(History history, Trainer trainer) {
        if (restoreBest && bestState != null) trainer.model().loadStateDict(bestState);
    }

    private static Map<String, Tensor> copyOf(Module model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    @Override
    public StateDict stateDict() {
        StateDict.Builder b = StateDict.builder("early_stopping")
                .number("best", best).number("best_epoch", bestEpoch).number("wait", wait).number("stopped_epoch", stoppedEpoch);
        if (bestState != null) bestState.forEach((k, v) -> b.tensor("best_state." + k, v));
        return b.build();
    }

    @Override
    public void loadStateDict(StateDict state) {
        state.requireKind("early_stopping");
        double b = state.number("best");
        long be = state.count("best_epoch"), w = state.count("wait"), se = state.count("stopped_epoch");
        if (be < 0 || w < 0 || se < 0 || be > Integer.MAX_VALUE || w > Integer.MAX_VALUE || se > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("early stopping state: counters must be non-negative ints");
        }
        Map<String, Tensor> saved = new LinkedHashMap<>();
        state.tensors().forEach((k, v) -> {
            if (!k.startsWith("best_state.")) throw new IllegalArgumentException("early stopping state: unexpected tensor \"" + k + "\"");
            saved.put(k.substring("best_state.".length()), Tensor.of(v.data().clone(), v.shape().dims()));
        });
        best = b;
        bestEpoch = (int) be;
        wait = (int) w;
        stoppedEpoch = (int) se;
        bestState = saved.isEmpty() ? null : saved;
    }

    /** The epoch with the best value (0 before the first epoch). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best value seen. */
    public double best() {
        return best;
    }

    /** The epoch at which it asked training to stop, or 0 if it did not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
