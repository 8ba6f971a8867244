package dev.ganglion.train;

/** Hooks into the training loop: logging, progress, custom stopping. All methods are optional. */
public interface TrainingListener {
    /** After each mini-batch update, with that batch's loss. */
    default void onBatchEnd(int epoch, int batch, int batches, double loss) {
    }

    /** After each epoch; call {@link Trainer#requestStop()} to end training early. */
    default void onEpochEnd(EpochStats stats, Trainer trainer) {
    }
}
