package dev.ganglion.testing;

import dev.ganglion.tensor.Tensor;

import java.util.Arrays;

/** Shape-aware closeness assertions for tensors (AssertJ has no notion of shapes). */
public final class TensorAssert {
    private TensorAssert() {
    }

    /**
     * Asserts equal shapes and {@code |a − e| ≤ atol + rtol·|e|} element-wise; the message names the
     * first differing element and the number of differences.
     */
    public static void assertAllClose(String what, Tensor actual, Tensor expected, double rtol, double atol) {
        if (!actual.shape().equals(expected.shape())) {
            throw new AssertionError(what + ": shape " + actual.shape() + ", expected " + expected.shape());
        }
        assertAllClose(what, actual.data(), expected.data(), rtol, atol);
    }

    /** Element-wise closeness of float arrays against float expectations. */
    public static void assertAllClose(String what, float[] actual, float[] expected, double rtol, double atol) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = expected[i];
        assertAllClose(what, actual, e, rtol, atol);
    }

    /** Element-wise closeness of float arrays against double expectations. */
    public static void assertAllClose(String what, float[] actual, double[] expected, double rtol, double atol) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        int bad = 0, first = -1;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            boolean ok = diff <= atol + rtol * Math.abs(expected[i])
                    || (Double.isNaN(expected[i]) && Float.isNaN(actual[i]))
                    || (Double.isInfinite(expected[i]) && actual[i] == expected[i]);
            if (!ok) {
                bad++;
                if (first < 0) first = i;
            }
        }
        if (bad > 0) {
            throw new AssertionError(String.format("%s: %d of %d values differ (rtol %.2g, atol %.2g); first at %d: %s vs expected %s%n  actual   %s%n  expected %s",
                    what, bad, actual.length, rtol, atol, first, actual[first], expected[first],
                    abbreviate(Arrays.toString(actual)), abbreviate(Arrays.toString(expected))));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
