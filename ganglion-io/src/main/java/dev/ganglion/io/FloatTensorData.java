package dev.ganglion.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor's shape and its values in row-major order, as plain arrays: what the file formats in
 * this package read and write, independent of the core tensor type.
 *
 * <p>The shape is copied; the data array is shared, not copied, because it can be large.
 * {@code equals} compares shapes and values element by element ({@link Arrays#equals(float[],
 * float[])}: NaN equals NaN, 0.0 differs from -0.0), so a round trip can be checked bit for bit.
 *
 * @param shape the size of each dimension, all &gt;= 0; empty for a scalar (0-d tensor)
 * @param data  the values, row-major; its length is the product of the shape (1 for a scalar)
 */
public record FloatTensorData(int[] shape, float[] data) {

    /**
     * @throws IllegalArgumentException if a dimension is negative or the data length is not the
     *     product of the shape
     */
    public FloatTensorData {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Text.shape(shape) + " has a negative dimension");
            }
            count *= d; // both factors are below 2^31, so the long product cannot overflow
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Text.shape(shape)
                        + " has more elements than a Java array can hold");
            }
        }
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Text.shape(shape) + " has " + count
                    + " elements, but data has " + data.length + " values");
        }
    }

    /** A 0-d tensor holding one value. */
    public static FloatTensorData scalar(float value) {
        return new FloatTensorData(new int[0], new float[] {value});
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensorData t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensorData" + Text.shape(shape)
                + (data.length <= 8 ? Arrays.toString(data) : "(" + data.length + " values)");
    }
}
