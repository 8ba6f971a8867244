package dev.ganglion.tensor;

/**
 * A scope in which operations record no graph: for inference and for optimiser updates.
 * Scopes nest and are per thread.
 * {@snippet :
 * try (var scope = NoGrad.enter()) {
 *     Tensor prediction = model.forward(x);   // no graph is built
 * }
 * }
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    /** Enters a no-grad scope; close it (try-with-resources) to leave. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** Whether operations on this thread currently record a graph. */
    public static boolean isGradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
