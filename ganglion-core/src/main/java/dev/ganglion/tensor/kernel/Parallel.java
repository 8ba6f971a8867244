package dev.ganglion.tensor.kernel;

/**
 * Element-wise work split over Ganglion's compute threads (the pool that runs {@link Gemm}), for
 * loops over large arrays whose elements are independent, such as an optimiser's update: every
 * element gets the same arithmetic whichever part it falls in, so results do not depend on the
 * thread count.
 */
public final class Parallel {
    /** A part {@code [from, to)} of an index range. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Parts are at least this long: below it, handing a part to another thread costs more than it saves. */
    public static final int MIN_PART = 1 << 15;
    /** Parts start at multiples of this (64 floats, a few cache lines), so no two parts share a line. */
    private static final int ALIGN = 64;

    private Parallel() {
    }

    /** Runs {@code body} over {@code [0, n)}, in parts on the compute threads where {@code n} is large. */
    public static void forRange(int n, Range body) {
        int parts = Math.min(GemmPool.threads(), n / MIN_PART);
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        GemmPool.run(parts, part -> body.run(boundary(n, part, parts), boundary(n, part + 1, parts)));
    }

    private static int boundary(int n, int part, int parts) {
        if (part == parts) return n;
        return (int) ((long) n * part / parts) / ALIGN * ALIGN;
    }
}
