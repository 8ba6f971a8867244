package dev.ganglion.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A single row times a matrix ({@code m = 1}), as one-sample inference and per-sample training
 * need: one pass over B with no packing. Sums run in a fixed order (no lane reductions whose order
 * could change once the code is compiled), so results are the same on every call.
 */
final class MatVec {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    private MatVec() {
    }

    /**
     * {@code c[j] (+)= Σ_p a[p]·b[j·ldb + p]} for j &lt; n (B stored n×k, rows contiguous): four
     * rows of B at a time share each load of {@code a}.
     */
    static void rowTimesTransposed(int n, int k, float[] a, int aOff, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, boolean accumulate) {
        float[] lanes = LANES.get();
        int kv = k - k % L;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            int r0 = bOff + j * ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                FloatVector av = FloatVector.fromArray(S, a, aOff + p);
                s0 = av.fma(FloatVector.fromArray(S, b, r0 + p), s0);
                s1 = av.fma(FloatVector.fromArray(S, b, r1 + p), s1);
                s2 = av.fma(FloatVector.fromArray(S, b, r2 + p), s2);
                s3 = av.fma(FloatVector.fromArray(S, b, r3 + p), s3);
            }
            finish(s0, lanes, k, kv, a, aOff, b, r0, c, cOff + j, accumulate);
            finish(s1, lanes, k, kv, a, aOff, b, r1, c, cOff + j + 1, accumulate);
            finish(s2, lanes, k, kv, a, aOff, b, r2, c, cOff + j + 2, accumulate);
            finish(s3, lanes, k, kv, a, aOff, b, r3, c, cOff + j + 3, accumulate);
        }
        for (; j < n; j++) {
            int r = bOff + j * ldb;
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                s0 = FloatVector.fromArray(S, a, aOff + p).fma(FloatVector.fromArray(S, b, r + p), s0);
            }
            finish(s0, lanes, k, kv, a, aOff, b, r, c, cOff + j, accumulate);
        }
    }

    /** Sums the lanes in order, adds the scalar tail p ≥ kv, and writes c[ci]. */
    private static void finish(FloatVector s, float[] lanes, int k, int kv, float[] a, int aOff, float[] b, int row,
                               float[] c, int ci, boolean accumulate) {
        s.intoArray(lanes, 0);
        float sum = 0f;
        for (int l = 0; l < L; l++) sum += lanes[l];
        for (int p = kv; p < k; p++) sum += a[aOff + p] * b[row + p];
        c[ci] = accumulate ? c[ci] + sum : sum;
    }

    /** {@code c[j] (+)= Σ_p a[p]·b[p·ldb + j]} for j &lt; n (B stored k×n). */
    static void rowTimes(int n, int k, float[] a, int aOff, float[] b, int bOff, int ldb,
                         float[] c, int cOff, boolean accumulate) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                FloatVector av = FloatVector.broadcast(S, a[aOff + p]);
                int row = bOff + p * ldb + j;
                s0 = av.fma(FloatVector.fromArray(S, b, row), s0);
                s1 = av.fma(FloatVector.fromArray(S, b, row + L), s1);
                s2 = av.fma(FloatVector.fromArray(S, b, row + 2 * L), s2);
                s3 = av.fma(FloatVector.fromArray(S, b, row + 3 * L), s3);
            }
            store(s0, c, cOff + j, accumulate);
            store(s1, c, cOff + j + L, accumulate);
            store(s2, c, cOff + j + 2 * L, accumulate);
            store(s3, c, cOff + j + 3 * L, accumulate);
        }
        for (; j + L <= n; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                s = FloatVector.broadcast(S, a[aOff + p]).fma(FloatVector.fromArray(S, b, bOff + p * ldb + j), s);
            }
            store(s, c, cOff + j, accumulate);
        }
        for (; j < n; j++) {
            float sum = 0f;
            for (int p = 0; p < k; p++) sum = Math.fma(a[aOff + p], b[bOff + p * ldb + j], sum);
            c[cOff + j] = accumulate ? c[cOff + j] + sum : sum;
        }
    }

    private static void store(FloatVector s, float[] c, int off, boolean accumulate) {
        (accumulate ? s.add(FloatVector.fromArray(S, c, off)) : s).intoArray(c, off);
    }
}
