package dev.ganglion.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first, e.g. {@code [32, 3]} for 32 samples of 3 features.
 * Immutable; a rank-0 shape {@code []} describes a scalar.
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new ShapeException("shape: dimensions must be >= 0, got " + Arrays.toString(dims));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new ShapeException("shape: " + Arrays.toString(dims) + " has more than 2^31-1 elements");
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /** A shape with the given dimensions (copied). */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** The scalar shape {@code []}. */
    public static Shape scalar() {
        return new Shape(new int[0]);
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end ({@code -1} is the last). */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** Total number of elements (1 for a scalar). */
    public int size() {
        return size;
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Maps a possibly negative axis to {@code 0..rank-1}, or throws naming the shape. */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new ShapeException("axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    /** Product of the dimensions before {@code axis}. */
    int outer(int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) n *= dims[i];
        return n;
    }

    /** Product of the dimensions after {@code axis}. */
    int inner(int axis) {
        int n = 1;
        for (int i = axis + 1; i < dims.length; i++) n *= dims[i];
        return n;
    }

    /** This shape with dimension {@code axis} replaced by {@code value}. */
    Shape with(int axis, int value) {
        int[] d = dims.clone();
        d[axis] = value;
        return new Shape(d);
    }

    /** This shape with dimension {@code axis} removed. */
    Shape without(int axis) {
        int[] d = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) if (i != axis) d[j++] = dims[i];
        return new Shape(d);
    }

    int[] raw() {
        return dims;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
