package dev.ganglion.testing;

import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks an operation's analytic gradient (from {@link Tensor#backward}) against central finite
 * differences.
 *
 * <p>The function under test maps input tensors to an output tensor of any shape. It is reduced to
 * the scalar {@code L = Σ f(x) ⊙ R} with a fixed random weighting {@code R}, so every output
 * element's gradient is exercised with a different weight (a plain sum would let errors that cancel
 * across outputs, or a wrong gradient of an output whose weight happens to be 1, go unnoticed).
 * The analytic side is {@code f(x).backward(R)}, which is exactly ∂L/∂x and needs neither
 * {@code mul} nor {@code sum} of the library under test. The numeric side is
 * {@code (L(x + h) − L(x − h)) / (x⁺ − x⁻)} for each input element in turn.
 *
 * <h2>Tolerances (the core is float32 only)</h2>
 * <ul>
 *   <li>Outputs are float; their rounding error is about 6e-8 relative. Summing {@code L} in
 *       <em>double</em> from the float outputs adds nothing, so with ≤ a few hundred outputs of size
 *       O(1) the error in {@code L} is ~1e-6, and dividing by {@code 2h = 2e-2} gives ~5e-5
 *       in the difference quotient.</li>
 *   <li>The truncation error of central differences is {@code h²/6 · f'''}, about 2e-5·f''' for
 *       {@code h = 1e-2}: small for well-conditioned inputs (no log near 0, no kinks within h).</li>
 *   <li>The perturbed value is rounded to float, so the step actually taken is
 *       {@code x⁺ − x⁻} computed from the stored floats, not {@code 2h}; using it removes an error
 *       of up to 1e-5 relative.</li>
 *   <li>Hence the default {@code |numeric − analytic| ≤ atol + rtol·max(|numeric|, |analytic|)}
 *       with {@code rtol = atol = 1e-2}: two orders of magnitude above the expected noise, and
 *       still far below the size of any real mistake (a missing factor, a wrong sign, a gradient
 *       sent to the wrong element, a broadcast dimension not summed).</li>
 * </ul>
 * Inputs must keep kinks (relu at 0, max ties, clamp bounds) further than {@code h} away; see
 * {@link Gen}.
 *
 * <p>The check also verifies that the forward pass does not modify its inputs and that every
 * gradient has its input's shape. On failure the message names the op, the input, the element
 * (flat and as an index), and the numeric and analytic values.
 */
public final class GradCheck {
    /** Step, relative and absolute tolerance. */
    public record Tolerance(double eps, double rtol, double atol) {
        public Tolerance withEps(double e) {
            return new Tolerance(e, rtol, atol);
        }
    }

    public static final Tolerance DEFAULT = new Tolerance(1e-2, 1e-2, 1e-2);

    /** At most this many mismatches are listed in a failure message. */
    private static final int MAX_LISTED = 10;

    private GradCheck() {
    }

    /** {@link #check(String, Tolerance, Function, Tensor...)} with {@link #DEFAULT} tolerances. */
    public static void check(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(op, DEFAULT, f, inputs);
    }

    /**
     * Marks every input as requiring a gradient and compares analytic with numeric gradients of
     * {@code Σ f(inputs) ⊙ R}; throws {@link AssertionError} listing the mismatches.
     */
    public static void check(String op, Tolerance tol, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor x : inputs) {
            x.zeroGrad();
            x.requiresGrad(true);
        }
        float[][] before = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) before[i] = inputs[i].data().clone();

        Tensor out = f.apply(inputs);
        for (int i = 0; i < inputs.length; i++) {
            if (!Arrays.equals(before[i], inputs[i].data())) {
                throw new AssertionError("gradcheck " + op + ": the forward pass modified input " + i
                        + " " + inputs[i].shape());
            }
        }
        if (!out.requiresGrad()) {
            throw new AssertionError("gradcheck " + op + ": the output " + out.shape()
                    + " does not require a gradient although its inputs do");
        }
        Tensor weights = weighting(op, out);
        out.backward(weights);

        List<String> mismatches = new ArrayList<>();
        int mismatchCount = 0;
        double worst = 0;
        for (int in = 0; in < inputs.length; in++) {
            Tensor x = inputs[in];
            Tensor grad = x.grad();
            if (grad != null && !grad.shape().equals(x.shape())) {
                throw new AssertionError("gradcheck " + op + ": gradient of input " + in + " has shape "
                        + grad.shape() + ", the input has " + x.shape());
            }
            float[] analytic = grad == null ? new float[x.size()] : grad.data().clone();
            float[] data = x.data();
            for (int e = 0; e < data.length; e++) {
                float original = data[e];
                float plus = (float) (original + tol.eps());
                float minus = (float) (original - tol.eps());
                data[e] = plus;
                double lossPlus = weightedLoss(f, inputs, weights);
                data[e] = minus;
                double lossMinus = weightedLoss(f, inputs, weights);
                data[e] = original;
                double numeric = (lossPlus - lossMinus) / ((double) plus - (double) minus);
                double a = analytic[e];
                double diff = Math.abs(numeric - a);
                double allowed = tol.atol() + tol.rtol() * Math.max(Math.abs(numeric), Math.abs(a));
                worst = Math.max(worst, diff / allowed);
                if (!(diff <= allowed)) {
                    mismatchCount++;
                    if (mismatches.size() < MAX_LISTED) {
                        mismatches.add(String.format("  input %d %s, element %d %s: numeric %.6g, analytic %.6g (|diff| %.3g > %.3g)",
                                in, x.shape(), e, Arrays.toString(unravel(e, x.shape().dims())), numeric, a, diff, allowed));
                    }
                }
            }
        }
        if (mismatchCount > 0) {
            throw new AssertionError("gradcheck failed for " + op + ": " + mismatchCount
                    + " gradient element(s) differ (eps " + tol.eps() + ", rtol " + tol.rtol() + ", atol " + tol.atol() + ")\n"
                    + String.join("\n", mismatches)
                    + (mismatchCount > MAX_LISTED ? "\n  ..." : ""));
        }
    }

    /** Σ f(inputs) ⊙ R in double, without recording a graph. */
    private static double weightedLoss(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor weights) {
        Tensor y;
        try (var _ = NoGrad.enter()) {
            y = f.apply(inputs);
        }
        float[] v = y.data(), r = weights.data();
        double s = 0;
        for (int i = 0; i < v.length; i++) s += (double) v[i] * r[i];
        return s;
    }

    /** Weights of magnitude 0.5..1.5 with random signs, fixed per op name. */
    private static Tensor weighting(String op, Tensor out) {
        SplittableRandom rng = new SplittableRandom(op.hashCode());
        float[] w = new float[out.size()];
        for (int i = 0; i < w.length; i++) {
            float m = 0.5f + rng.nextFloat();
            w[i] = rng.nextBoolean() ? m : -m;
        }
        return Tensor.of(w, out.shape().dims());
    }

    private static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }
}
