package dev.ganglion.train;

/** The loss became NaN or infinite: the learning rate is usually too large. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
