package dev.ganglion.tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of the state of a training component (an optimiser, a schedule, early stopping) for
 * checkpoints, as PyTorch's {@code state_dict}: named tensors (moments, velocities: float32, saved
 * bit for bit) plus named numbers ({@code double[]}, step counts, best values, L-BFGS histories).
 * {@code kind} names the component that wrote it, so a state is never loaded into the wrong one.
 * It holds data only; files are written and read by ganglion-io.
 *
 * @param kind    the component, e.g. "adam"
 * @param tensors named float tensors, in insertion order
 * @param numbers named number arrays (a scalar is an array of one), in insertion order
 */
public record StateDict(String kind, Map<String, Tensor> tensors, Map<String, double[]> numbers) {
    public StateDict {
        if (kind == null || kind.isEmpty()) throw new IllegalArgumentException("state: kind must be a non-empty name");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        numbers = Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
    }

    /** A builder for a state of {@code kind}. */
    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** The tensor {@code key}, or null when it is absent. */
    public Tensor tensorOrNull(String key) {
        return tensors.get(key);
    }

    /** The single number {@code key}. */
    public double number(String key) {
        double[] v = numbers.get(key);
        if (v == null || v.length != 1) {
            throw new IllegalArgumentException(kind + " state: \"" + key + "\" is " + (v == null ? "missing" : "not one number"));
        }
        return v[0];
    }

    /** The single number {@code key} as a whole number (exact up to 2^53). */
    public long count(String key) {
        double v = number(key);
        if (v != Math.rint(v) || Math.abs(v) > (1L << 53)) {
            throw new IllegalArgumentException(kind + " state: \"" + key + "\" must be a whole number, got " + v);
        }
        return (long) v;
    }

    /** The number array {@code key}, or null when it is absent. */
    public double[] numbersOrNull(String key) {
        return numbers.get(key);
    }

    /** Fails unless this state was written by {@code expected}. */
    public StateDict requireKind(String expected) {
        if (!kind.equals(expected)) {
            throw new IllegalArgumentException("state of \"" + kind + "\" cannot be loaded into \"" + expected + "\"");
        }
        return this;
    }

    /**
     * The float data of tensor {@code key}, checked to hold {@code length} values, as a fresh copy;
     * null when the key is absent.
     */
    public float[] floatsOrNull(String key, int length) {
        Tensor t = tensors.get(key);
        if (t == null) return null;
        if (t.size() != length) {
            throw new IllegalArgumentException(kind + " state: \"" + key + "\" has " + t.size() + " values, expected " + length);
        }
        return t.data().clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StateDict s) || !kind.equals(s.kind) || !tensors.keySet().equals(s.tensors.keySet())
                || !numbers.keySet().equals(s.numbers.keySet())) return false;
        for (var e : tensors.entrySet()) {
            Tensor t = s.tensors.get(e.getKey());
            if (!e.getValue().shape().equals(t.shape()) || !Arrays.equals(e.getValue().data(), t.data())) return false;
        }
        for (var e : numbers.entrySet()) {
            if (!Arrays.equals(e.getValue(), s.numbers.get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + tensors.keySet().hashCode() * 17 + numbers.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "StateDict[" + kind + ", tensors " + tensors.keySet() + ", numbers " + numbers.keySet() + "]";
    }

    /** Collects tensors and numbers; copies what it is given. */
    public static final class Builder {
        private final String kind;
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();
        private final Map<String, double[]> numbers = new LinkedHashMap<>();

        private Builder(String kind) {
            this.kind = kind;
        }

        /** Adds a copy of {@code values} as a 1-D tensor; a null array is left out. */
        public Builder floats(String key, float[] values) {
            if (values != null) tensors.put(key, Tensor.of(values.clone(), values.length));
            return this;
        }

        /** Adds a copy of {@code t}; null is left out. */
        public Builder tensor(String key, Tensor t) {
            if (t != null) tensors.put(key, Tensor.of(t.data().clone(), t.shape().dims()));
            return this;
        }

        public Builder number(String key, double value) {
            numbers.put(key, new double[]{value});
            return this;
        }

        /** Adds a copy of {@code values}; null is left out. */
        public Builder numbers(String key, double[] values) {
            if (values != null) numbers.put(key, values.clone());
            return this;
        }

        public StateDict build() {
            return new StateDict(kind, tensors, numbers);
        }
    }
}
