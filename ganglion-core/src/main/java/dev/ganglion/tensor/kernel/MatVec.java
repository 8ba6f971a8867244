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
    /** Rows of B per group of {@link #rowTimesTransposed}: eight independent FMA chains. */
    private static final int GROUP = 8;
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[GROUP * L]);

    private MatVec() {
    }

    /**
     * {@code c[j] (+)= Σ_p a[p]·b[j·ldb + p]} for j &lt; n (B stored n×k, rows contiguous). Eight
     * rows of B at a time share each load of {@code a}, in eight independent FMA chains (one chain
     * would wait on the FMA latency); their lanes are then summed for all eight rows together,
     * each row's lanes in order, so the eight short dependency chains overlap.
     */
    static void rowTimesTransposed(int n, int k, float[] a, int aOff, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, boolean accumulate) {
        float[] lanes = LANES.get();
        int kv = k - k % L;
        int j = 0;
        for (; j + GROUP <= n; j += GROUP) {
            int r0 = bOff + j * ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            int r4 = r3 + ldb, r5 = r4 + ldb, r6 = r5 + ldb, r7 = r6 + ldb;
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int p = 0; p < kv; p += L) {
                FloatVector av = FloatVector.fromArray(S, a, aOff + p);
                s0 = av.fma(FloatVector.fromArray(S, b, r0 + p), s0);
                s1 = av.fma(FloatVector.fromArray(S, b, r1 + p), s1);
                s2 = av.fma(FloatVector.fromArray(S, b, r2 + p), s2);
                s3 = av.fma(FloatVector.fromArray(S, b, r3 + p), s3);
                s4 = av.fma(FloatVector.fromArray(S, b, r4 + p), s4);
                s5 = av.fma(FloatVector.fromArray(S, b, r5 + p), s5);
                s6 = av.fma(FloatVector.fromArray(S, b, r6 + p), s6);
                s7 = av.fma(FloatVector.fromArray(S, b, r7 + p), s7);
            }
            s0.intoArray(lanes, 0);
            s1.intoArray(lanes, L);
            s2.intoArray(lanes, 2 * L);
            s3.intoArray(lanes, 3 * L);
            s4.intoArray(lanes, 4 * L);
            s5.intoArray(lanes, 5 * L);
            s6.intoArray(lanes, 6 * L);
            s7.intoArray(lanes, 7 * L);
            finishGroup(lanes, k, kv, a, aOff, b, r0, ldb, c, cOff + j, accumulate);
        }
        for (; j < n; j++) {
            int r = bOff + j * ldb;
            FloatVector s0 = FloatVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                s0 = FloatVector.fromArray(S, a, aOff + p).fma(FloatVector.fromArray(S, b, r + p), s0);
            }
            s0.intoArray(lanes, 0);
            float sum = 0f;
            for (int l = 0; l < L; l++) sum += lanes[l];
            for (int p = kv; p < k; p++) sum += a[aOff + p] * b[r + p];
            c[cOff + j] = accumulate ? c[cOff + j] + sum : sum;
        }
    }

    /**
     * For the {@link #GROUP} rows whose lanes are in {@code lanes} (row r at {@code r·L}): sums
     * each row's lanes in order, adds the scalar tail p ≥ kv, and writes C. The rows are summed
     * side by side, lane by lane, so their additions are independent.
     */
    private static void finishGroup(float[] lanes, int k, int kv, float[] a, int aOff, float[] b, int row0, int ldb,
                                    float[] c, int ci, boolean accumulate) {
        float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f, t4 = 0f, t5 = 0f, t6 = 0f, t7 = 0f;
        for (int l = 0; l < L; l++) {
            t0 += lanes[l];
            t1 += lanes[L + l];
            t2 += lanes[2 * L + l];
            t3 += lanes[3 * L + l];
            t4 += lanes[4 * L + l];
            t5 += lanes[5 * L + l];
            t6 += lanes[6 * L + l];
            t7 += lanes[7 * L + l];
        }
        if (kv < k) {
            for (int p = kv; p < k; p++) {
                float x = a[aOff + p];
                t0 += x * b[row0 + p];
                t1 += x * b[row0 + ldb + p];
                t2 += x * b[row0 + 2 * ldb + p];
                t3 += x * b[row0 + 3 * ldb + p];
                t4 += x * b[row0 + 4 * ldb + p];
                t5 += x * b[row0 + 5 * ldb + p];
                t6 += x * b[row0 + 6 * ldb + p];
                t7 += x * b[row0 + 7 * ldb + p];
            }
        }
        if (accumulate) {
            c[ci] += t0;
            c[ci + 1] += t1;
            c[ci + 2] += t2;
            c[ci + 3] += t3;
            c[ci + 4] += t4;
            c[ci + 5] += t5;
            c[ci + 6] += t6;
            c[ci + 7] += t7;
        } else {
            c[ci] = t0;
            c[ci + 1] = t1;
            c[ci + 2] = t2;
            c[ci + 3] = t3;
            c[ci + 4] = t4;
            c[ci + 5] = t5;
            c[ci + 6] = t6;
            c[ci + 7] = t7;
        }
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
