package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;

import java.util.Arrays;

/**
 * Activations applied in place on a float array, and their derivatives from the output alone:
 * for code that runs a layer without an autograd graph (inference in {@link Dense#forward}, the
 * fused training step). Each computes exactly what the corresponding {@link Tensor} operation
 * computes, element for element.
 */
public final class ActivationKernels {
    private ActivationKernels() {
    }

    /**
     * Whether {@code f} has an in-place form here: linear, step, ReLU, leaky ReLU, sigmoid, tanh —
     * element-wise activations whose derivative follows from their output.
     */
    public static boolean supports(Activation f) {
        return f instanceof Activation.Linear || f instanceof Activation.Relu || f instanceof Activation.LeakyRelu
                || f instanceof Activation.Sigmoid || f instanceof Activation.Tanh || f instanceof Activation.Step;
    }

    /** {@code a[i] ← f(a[i])} for {@code i < size}. */
    public static void apply(Activation f, float[] a, int size) {
        switch (f) {
            // max() rather than a branch: half the units of a layer are negative, at random, and a
            // mispredicted branch per element cost 6-7 ns against 0.3 ns (and C2 vectorises max)
            case Activation.Relu r -> {
                for (int i = 0; i < size; i++) a[i] = Math.max(a[i], 0f);
            }
            case Activation.LeakyRelu lr -> {
                float s = lr.slope();   // in [0, 1), so max(x, s·x) is x for x > 0 and s·x below
                for (int i = 0; i < size; i++) a[i] = Math.max(a[i], s * a[i]);
            }
            case Activation.Sigmoid s -> {
                for (int i = 0; i < size; i++) a[i] = Tensor.sigmoid(a[i]);
            }
            case Activation.Tanh t -> {
                for (int i = 0; i < size; i++) a[i] = (float) Math.tanh(a[i]);
            }
            case Activation.Step s -> {
                for (int i = 0; i < size; i++) a[i] = a[i] >= 0f ? 1f : 0f;
            }
            case Activation.Linear lin -> {
            }
            default -> throw new IllegalArgumentException("no in-place form for activation " + f.name());
        }
    }

    /** {@code d[i] ← d[i]·f'(z_i)} for {@code i < size}, with f' written in terms of {@code a = f(z)}. */
    public static void multiplyByDerivative(Activation f, float[] a, float[] d, int size) {
        switch (f) {
            case Activation.Relu r -> {
                for (int i = 0; i < size; i++) d[i] *= Tensor.reluSlope(a[i]);
            }
            case Activation.LeakyRelu lr -> {
                float s = lr.slope();
                // a > 0 exactly where z > 0, for slopes in [0, 1)
                for (int i = 0; i < size; i++) d[i] = a[i] > 0f ? d[i] : s * d[i];
            }
            case Activation.Sigmoid s -> {
                for (int i = 0; i < size; i++) d[i] *= a[i] * (1f - a[i]);
            }
            case Activation.Tanh t -> {
                for (int i = 0; i < size; i++) d[i] *= 1f - a[i] * a[i];
            }
            case Activation.Step s -> Arrays.fill(d, 0, size, 0f);
            case Activation.Linear lin -> {
            }
            default -> throw new IllegalArgumentException("no in-place form for activation " + f.name());
        }
    }
}
