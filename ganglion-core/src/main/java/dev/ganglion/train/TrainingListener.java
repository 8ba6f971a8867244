package dev.ganglion.train;

/**
 * Hooks into the training loop: logging, progress, custom stopping, {@link EarlyStopping}. All
 * methods are optional. Order: {@code onTrainStart}, then per epoch the {@code onBatchEnd} calls and
 * one {@code onEpochEnd}, then {@code onTrainEnd} (not called when training fails with an exception).
 */
public interface TrainingListener {
    /** Before the first epoch of each {@link Trainer#fit} call. */
    default void onTrainStart(Trainer trainer) {
    }

    /** After each mini-batch update, with that batch's loss (including any penalties). */
    default void onBatchEnd(int epoch, int batch, int batches, double loss) {
    }

    /** After each epoch; call {@link Trainer#requestStop()} to end training early. */
    default void onEpochEnd(EpochStats stats, Trainer trainer) {
    }

    /** After the last epoch (also after an early stop), with the run's history. */
    default void onTrainEnd(History history, Trainer trainer) {
    }

    /**
     * A listener whose state must survive a checkpoint (such as {@link EarlyStopping}): the trainer
     * saves it in the {@link TrainingState} and loads it back, after {@code onTrainStart}, on resume.
     */
    interface Stateful {
        dev.ganglion.tensor.StateDict stateDict();

        void loadStateDict(dev.ganglion.tensor.StateDict state);
    }
}
