package dev.ganglion.train;

import java.util.Locale;

/**
 * A figure of {@link EpochStats} to watch for early stopping or a plateau schedule, named as in
 * Keras: {@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy}.
 */
public enum Monitor {
    TRAIN_LOSS("loss", false),
    TRAIN_ACCURACY("accuracy", false),
    VALIDATION_LOSS("val_loss", true),
    VALIDATION_ACCURACY("val_accuracy", true);

    private final String key;
    private final boolean needsValidation;

    Monitor(String key, boolean needsValidation) {
        this.key = key;
        this.needsValidation = needsValidation;
    }

    /** The figure in {@code stats}. */
    public double value(EpochStats stats) {
        return switch (this) {
            case TRAIN_LOSS -> stats.trainLoss();
            case TRAIN_ACCURACY -> stats.trainAccuracy();
            case VALIDATION_LOSS -> stats.validationLoss();
            case VALIDATION_ACCURACY -> stats.validationAccuracy();
        };
    }

    /** Whether larger values are better (accuracies) rather than smaller (losses). */
    public boolean higherIsBetter() {
        return this == TRAIN_ACCURACY || this == VALIDATION_ACCURACY;
    }

    /** Whether the figure exists only when {@code fit} is given a validation set. */
    public boolean needsValidation() {
        return needsValidation;
    }

    /** The Keras-style name, e.g. {@code val_loss}. */
    public String key() {
        return key;
    }

    /** Parses {@code loss}, {@code accuracy} ({@code acc}), {@code val_loss}, {@code val_accuracy} ({@code val_acc}). */
    public static Monitor parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "loss", "train_loss" -> TRAIN_LOSS;
            case "accuracy", "acc", "train_accuracy" -> TRAIN_ACCURACY;
            case "val_loss", "validation_loss" -> VALIDATION_LOSS;
            case "val_accuracy", "val_acc", "validation_accuracy" -> VALIDATION_ACCURACY;
            default -> throw new IllegalArgumentException("unknown monitor \"" + text + "\"; known: loss, accuracy, val_loss, val_accuracy");
        };
    }
}
