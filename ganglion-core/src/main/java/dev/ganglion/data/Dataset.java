package dev.ganglion.data;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

/**
 * Samples for supervised learning: {@code features [n, d]} and {@code targets [n, k]} (k = 1 for a
 * binary label, a regression value or a class index; k outputs for one-hot or several values).
 */
public record Dataset(Tensor features, Tensor targets) {
    public Dataset {
        if (features.rank() != 2) throw new ShapeException("dataset: features must be [samples, features], got " + features.shape());
        if (targets.rank() != 2) throw new ShapeException("dataset: targets must be [samples, outputs], got " + targets.shape());
        if (features.shape().dim(0) != targets.shape().dim(0)) {
            throw new ShapeException("dataset: features " + features.shape() + " and targets " + targets.shape()
                    + " have different numbers of samples");
        }
    }

    /** Number of samples. */
    public int size() {
        return features.shape().dim(0);
    }

    /** Number of features per sample. */
    public int featureCount() {
        return features.shape().dim(1);
    }

    /** The samples at {@code indices}, in that order. */
    public Dataset rows(int[] indices) {
        return new Dataset(features.rows(indices), targets.rows(indices));
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        return new Dataset(features.slice(from, to), targets.slice(from, to));
    }

    /** The same targets with features replaced (e.g. after scaling). */
    public Dataset withFeatures(Tensor newFeatures) {
        return new Dataset(newFeatures, targets);
    }
}
