package dev.ganglion.tensor;

/**
 * A tensor operation was given shapes it cannot combine. The message names the operation and
 * every shape involved, e.g. {@code matmul: [32, 3] x [4, 1]: inner dimensions 3 and 4 differ}.
 */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
