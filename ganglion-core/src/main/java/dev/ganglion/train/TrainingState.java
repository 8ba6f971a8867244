package dev.ganglion.train;

import dev.ganglion.tensor.StateDict;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training run stands, for a checkpoint: the position, the history so far and the state of
 * every stateful part except the network's weights (those belong to the model and are saved with
 * it, {@code Module.stateDict()}). A {@link Trainer} built the same way (same model seed, data,
 * options and settings), given the saved weights and this state with {@link Trainer#resumeFrom},
 * continues bit for bit as the original run would have.
 *
 * <p>The random numbers need no generator state: the shuffle order of epoch e is recreated by
 * replaying the shuffles of epochs 1..e from the seed, and each dropout layer is advanced to the
 * number of draws it had made ({@code parts["trainer"]} holds those counts).
 *
 * @param epoch   epochs completed
 * @param batch   batches of epoch {@code epoch + 1} completed (0 at an epoch boundary)
 * @param history the completed epochs' figures
 * @param parts   named states: "trainer", "optimizer", "schedule" (if any), "listener.i" for the
 *                i-th listener that is {@link TrainingListener.Stateful}
 */
public record TrainingState(int epoch, int batch, List<EpochStats> history, Map<String, StateDict> parts) {
    public TrainingState {
        if (epoch < 0 || batch < 0) throw new IllegalArgumentException("training state: epoch " + epoch + ", batch " + batch + " must be >= 0");
        if (history.size() != epoch) {
            throw new IllegalArgumentException("training state: " + epoch + " epochs done but " + history.size() + " in the history");
        }
        history = List.copyOf(history);
        parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    /** Whether this state lies at the end of an epoch rather than inside one. */
    public boolean atEpochBoundary() {
        return batch == 0;
    }
}
