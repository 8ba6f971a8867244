package dev.ganglion.train;

import java.util.List;

/** The per-epoch record of a training run, in order. */
public record History(List<EpochStats> epochs) {
    public History {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch's figures. */
    public EpochStats last() {
        if (epochs.isEmpty()) throw new IllegalStateException("history is empty: no epoch has run");
        return epochs.getLast();
    }
}
