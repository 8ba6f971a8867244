package dev.ganglion.train;

/**
 * What one epoch achieved. Accuracies are NaN where they do not apply (regression), validation
 * figures NaN when there is no validation set.
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy,
                         double validationLoss, double validationAccuracy,
                         double learningRate, double seconds) {
}
