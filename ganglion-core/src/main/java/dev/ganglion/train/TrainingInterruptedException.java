package dev.ganglion.train;

/**
 * Training stopped early because {@link Trainer#requestInterrupt()} was called (for example by a
 * SIGTERM handler). The checkpoint sink, if any, has already been given {@link #state()}.
 */
public final class TrainingInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient TrainingState state;

    public TrainingInterruptedException(TrainingState state) {
        super("training interrupted after " + state.epoch() + " epoch(s)"
                + (state.batch() > 0 ? " and " + state.batch() + " batch(es) of the next" : ""));
        this.state = state;
    }

    /** Where training stopped. */
    public TrainingState state() {
        return state;
    }
}
