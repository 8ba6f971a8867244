package dev.ganglion.train;

/**
 * How to run the training loop.
 *
 * @param epochs    passes over the training data (≥ 1)
 * @param batchSize samples per update: 1 = per-sample (online) updates, the training-set size or
 *                  0 = full-batch gradient descent, anything between = mini-batches
 * @param shuffle   whether to reshuffle the samples before each epoch
 * @param seed      the seed of the shuffling order
 */
public record TrainOptions(int epochs, int batchSize, boolean shuffle, long seed) {
    public TrainOptions {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batchSize < 0) throw new IllegalArgumentException("batch size must be >= 0 (0 = full batch), got " + batchSize);
    }

    /** 100 epochs of shuffled mini-batches of 32. */
    public static TrainOptions defaults() {
        return new TrainOptions(100, 32, true, 42L);
    }

    public TrainOptions withEpochs(int e) {
        return new TrainOptions(e, batchSize, shuffle, seed);
    }

    public TrainOptions withBatchSize(int b) {
        return new TrainOptions(epochs, b, shuffle, seed);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(epochs, batchSize, shuffle, s);
    }
}
