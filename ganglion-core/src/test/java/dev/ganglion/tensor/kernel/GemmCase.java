package dev.ganglion.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One random multiply problem for the tests: operands with random values in [-1, 1) placed at
 * nonzero offsets inside larger arrays, a C that starts with random values (so accumulate is
 * tested) surrounded by sentinels, and a checker against a double-precision reference.
 *
 * <p>Tolerance: for a length-k dot product computed in float in <em>any</em> order, with or
 * without fused multiply-adds, the classic bound is
 * {@code |ĉ − c| ≤ γ_k · Σ|a·b|} with {@code γ_k = k·u/(1 − k·u)}, {@code u = 2⁻²⁴}
 * (Higham, Accuracy and Stability of Numerical Algorithms, §3.1). Accumulating into C adds one
 * more addition. The checker therefore allows {@code (k + 2)·u·(Σ|a·b| + |c₀|)} per element: a
 * rigorous bound whatever order a kernel uses, yet far below the error of a wrong or missing term
 * (of order {@code Σ|a·b|/k}), so it cannot hide an indexing bug.
 */
final class GemmCase {
    static final float SENTINEL = 12345.5f;
    private static final double U = 0x1p-24;

    final boolean transA, transB;
    final int m, n, k, aOff, bOff, cOff;
    final float[] a, b, c;
    private double[] exact, absSum;

    private GemmCase(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.a = a;
        this.aOff = aOff;
        this.b = b;
        this.bOff = bOff;
        this.c = c;
        this.cOff = cOff;
    }

    static GemmCase random(boolean transA, boolean transB, int m, int n, int k, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(1, 5);
        float[] a = filled(rnd, aOff + m * k + rnd.nextInt(3));
        float[] b = filled(rnd, bOff + k * n + rnd.nextInt(3));
        float[] c = new float[cOff + m * n + 3];
        Arrays.fill(c, SENTINEL);
        for (int i = 0; i < m * n; i++) c[cOff + i] = (float) rnd.nextDouble(-1, 1);
        return new GemmCase(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    }

    private static float[] filled(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    /** A fresh copy of C (with its sentinels) to run a kernel on. */
    float[] cCopy() {
        return c.clone();
    }

    float av(int i, int p) {
        return transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
    }

    float bv(int p, int j) {
        return transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
    }

    /** Runs {@link Gemm#gemm} on a copy of C and returns it. */
    float[] runGemm(boolean accumulate) {
        float[] out = cCopy();
        Gemm.gemm(transA, transB, m, n, k, a, aOff, b, bOff, out, cOff, accumulate);
        return out;
    }

    /** Runs {@link Gemm#reference} on a copy of C and returns it. */
    float[] runReference(boolean accumulate) {
        float[] out = cCopy();
        Gemm.reference(transA, transB, m, n, k, a, aOff, b, bOff, out, cOff, accumulate);
        return out;
    }

    /**
     * Checks {@code out} against the double-precision product within the bound above, and that
     * nothing outside C's region changed. Returns the normwise relative error
     * {@code max|out − exact| / max|exact|} for reporting.
     */
    double check(float[] out, boolean accumulate, String label) {
        if (exact == null) computeExact();
        double maxErr = 0;
        double maxRef = 0;
        for (int i = 0; i < m * n; i++) {
            double c0 = accumulate ? c[cOff + i] : 0;
            double want = c0 + exact[i];
            double got = out[cOff + i];
            double bound = (k + 2) * U * (absSum[i] + Math.abs(c0)) + Float.MIN_NORMAL;
            double err = Math.abs(got - want);
            if (!(err <= bound)) {
                fail("%s %s m=%d n=%d k=%d acc=%s: C[%d,%d] = %s, expected %s (error %.3g > bound %.3g)",
                        label, form(), m, n, k, accumulate, i / n, i % n, got, want, err, bound);
            }
            maxErr = Math.max(maxErr, err);
            maxRef = Math.max(maxRef, Math.abs(want));
        }
        for (int i = 0; i < cOff; i++) assertThat(out[i]).as("C before cOff").isEqualTo(SENTINEL);
        for (int i = cOff + m * n; i < out.length; i++) assertThat(out[i]).as("C after the end").isEqualTo(SENTINEL);
        return maxRef == 0 ? maxErr : maxErr / maxRef;
    }

    /** op(A)·op(B) and Σ|a·b| per element, in double. */
    private void computeExact() {
        double[] sum = new double[m * n];
        double[] abs = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = av(i, p);
                for (int j = 0; j < n; j++) {
                    double prod = x * bv(p, j);
                    sum[i * n + j] += prod;
                    abs[i * n + j] += Math.abs(prod);
                }
            }
        }
        absSum = abs;
        exact = sum;
    }

    String form() {
        return (transA ? "T" : "N") + (transB ? "T" : "N");
    }
}
