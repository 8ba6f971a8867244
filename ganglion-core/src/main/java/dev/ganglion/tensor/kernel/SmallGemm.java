package dev.ganglion.tensor.kernel;

import static dev.ganglion.tensor.kernel.VectorGemm.L;
import static dev.ganglion.tensor.kernel.VectorGemm.S;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * Vector API multiply without packing, for products too small or too skinny for packing to pay
 * off: packing a 32×3 by 3×3 product costs more than the product. {@link VectorGemm} asks
 * {@link #plan} which kernel (if any) suits a shape.
 *
 * <p>Two kernels, both reading the operands where they lie:
 * <ul>
 *   <li><b>axpy</b> (B stored k×n; A either way): a tile of 4 rows × 2 vectors of C; each step
 *       broadcasts one element of A per row against one row of B. A ragged last strip of B is
 *       copied, zero-padded, into scratch; ragged rows repeat the last row and drop its results.
 *       B stored n×k is first transposed into scratch when that is cheap (short k, small B).</li>
 *   <li><b>dot</b> (NT: rows of A and of B both contiguous in k): 4 × 2 dot products vectorised
 *       along k, each summed across lanes in a fixed order (never {@code reduceLanes(ADD)}, whose
 *       order may vary), the last {@code k mod L} terms in scalar.</li>
 * </ul>
 * Both kernels keep their accumulators in registers and write them to a scratch tile: a kernel
 * that also read-modify-writes C grows past what C2 keeps fully intrinsified. A C with only a few
 * columns (32×3, or 32×1 for an output layer of one unit) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ, so
 * that the vectors run along its rows instead of being mostly padding.
 */
final class SmallGemm {
    /** Kernel choices: not this path, the axpy kernel (after transposing B if stored n×k), dot. */
    static final int NONE = 0, AXPY = 1, DOT = 2;
    /** Up to this many multiply-adds (≈100³) axpy beats packing when B is stored k×n. */
    static final long AXPY_MACS = 1L << 20;
    /**
     * Except for NN products of at least two micro-kernel row groups and one full micro-tile of
     * columns: above this many multiply-adds (≈40³) the 6 × 4 packed kernel beat axpy by 1.2-2.7×
     * on the Xeon of docs/performance.md (session 4; e.g. 128×128×10, an output layer's backward
     * pass), where smaller products and other forms measured even.
     */
    static final long AXPY_NN_MACS = 1L << 16;
    /** Up to this many (≈40³) a transposed copy of B plus axpy beats packing. */
    static final long TRANSPOSED_MACS = 1L << 16;
    /** Largest B (in floats) worth transposing into scratch. */
    static final int TRANSPOSE_MAX = 1 << 16;
    /** Products with fewer rows than this are skinny: packing would cost as much as the product. */
    static final int SKINNY_ROWS = 8;

    private SmallGemm() {
    }

    /**
     * The kernel for a (normalised) shape, or {@link #NONE} for the packed path. Chosen once for
     * the whole product, never per thread's share, because axpy and dot round differently.
     * Skinny products (fewer than 8 rows, or at most two vectors of columns) always come here:
     * packing would cost as much as the product itself. Thresholds and costs were measured on a
     * 2-core Zen 5 with 512-bit vectors, except {@link #AXPY_NN_MACS} (a 2-core Xeon).
     */
    static int plan(boolean ta, boolean tb, int m, int n, int k, long macs) {
        boolean skinny = m < SKINNY_ROWS || n <= 2 * L;
        if (!tb) {
            boolean tiles = !ta && m >= 2 * VectorGemm.MR && n >= VectorGemm.NR;
            return skinny || macs <= (tiles ? AXPY_NN_MACS : AXPY_MACS) ? AXPY : NONE;
        }
        boolean transposable = (long) k * n <= TRANSPOSE_MAX;
        if (skinny && !ta) {
            // Rough operations per element of C. axpy: a broadcast, a load share and an fma per
            // useful lane and k step, plus k/m scalar copies to transpose B. dot: loads and an
            // fma per L k steps, plus a lane sum.
            double axpy = 2.25 * k / Math.min(n, L) + 4.0 * k / m;
            double dot = 1.75 * k / L + 12;
            return !transposable || dot < axpy ? DOT : AXPY;
        }
        return (skinny || macs <= TRANSPOSED_MACS) && transposable ? AXPY : NONE;
    }

    /** Same layout conventions as {@link VectorGemm#packed}; {@code kernel} from {@link #plan}. */
    static void gemm(int kernel, boolean ta, boolean tb, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean acc) {
        VectorGemm.Workspace ws = VectorGemm.workspace();
        if (kernel == DOT) {
            dot(ws, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
        } else if (n < L / 2 && m >= 2 * n && (ta || (long) k * m <= TRANSPOSE_MAX)) {
            // Few columns: compute Cᵀ = op(B)ᵀ·op(A)ᵀ instead, so the vectors run along m rather
            // than being mostly padding. fma(b, a, s) = fma(a, b, s): the bits are the same.
            axpy(ws, !tb, !ta, n, m, k, b, bOff, ldb, a, aOff, lda, c, cOff, ldc, acc, true);
        } else {
            axpy(ws, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc, false);
        }
    }

    /**
     * Transposes B first if it is stored n×k (same arithmetic as using it in place), then runs
     * {@link #axpyStrips}; {@code ct} writes the result transposed, C(j,i) at
     * {@code cOff + j*ldc + i}.
     */
    private static void axpy(VectorGemm.Workspace ws, boolean ta, boolean tb, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean acc, boolean ct) {
        if (!tb) {
            axpyStrips(ws, ta, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc, ct);
            return;
        }
        float[] t = ws.scratch(k * n);
        // The longer dimension innermost: C2's loop set-up costs more than a 3-trip loop.
        if (n >= k) {
            for (int p = 0; p < k; p++) {
                int src = bOff + p;
                int dst = p * n;
                for (int j = 0; j < n; j++) t[dst + j] = b[src + j * ldb];
            }
        } else {
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) t[j + p * n] = b[src + p];
            }
        }
        axpyStrips(ws, ta, m, n, k, a, aOff, lda, t, 0, n, c, cOff, ldc, acc, ct);
    }

    /**
     * C (+)= op(A)·B with B row-major, in strips of 2 vectors (1 for a narrow last strip). A
     * ragged last strip is copied, zero-padded, so that the kernels need no masked loads (C2
     * compiles those well only when the whole vector lies inside the array); for a deep k the copy
     * goes in chunks, the partial sums carried in the tile, so the scratch stays small.
     */
    private static void axpyStrips(VectorGemm.Workspace ws, boolean ta, int m, int n, int k,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc, boolean acc, boolean ct) {
        int ars = ta ? 1 : lda;
        int acs = ta ? lda : 1;
        float[] tile = ws.tile;
        for (int j = 0; j < n; j += 2 * L) {
            int w = Math.min(2 * L, n - j);
            int width = w > L ? 2 * L : L;
            if (w == width) {
                for (int i = 0; i < m; i += 4) {
                    rowTile(width, i, m, k, a, aOff, ars, acs, b, bOff + j, ldb, tile, false);
                    writeTile(tile, Math.min(4, m - i), w, c, cOff, ldc, i, j, acc, ct);
                }
            } else if ((long) k * width <= STRIP_MAX) {
                float[] strip = ws.strip(k * width);
                copyStrip(b, bOff + j, ldb, k, w, width, strip);
                for (int i = 0; i < m; i += 4) {
                    rowTile(width, i, m, k, a, aOff, ars, acs, strip, 0, width, tile, false);
                    writeTile(tile, Math.min(4, m - i), w, c, cOff, ldc, i, j, acc, ct);
                }
            } else {
                int chunk = STRIP_MAX / width;
                float[] strip = ws.strip(chunk * width);
                for (int i = 0; i < m; i += 4) {
                    for (int p0 = 0; p0 < k; p0 += chunk) {
                        int kc = Math.min(chunk, k - p0);
                        copyStrip(b, bOff + p0 * ldb + j, ldb, kc, w, width, strip);
                        rowTile(width, i, m, kc, a, aOff + p0 * acs, ars, acs, strip, 0, width, tile, p0 > 0);
                    }
                    writeTile(tile, Math.min(4, m - i), w, c, cOff, ldc, i, j, acc, ct);
                }
            }
        }
    }

    /** Largest ragged strip of B (in floats) copied at once. */
    private static final int STRIP_MAX = 1 << 15;

    /** Copies {@code k} rows of {@code w} floats into rows of {@code width}, zero-padded. */
    private static void copyStrip(float[] b, int off, int ldb, int k, int w, int width, float[] strip) {
        for (int p = 0; p < k; p++) {
            int src = off + p * ldb;
            int dst = p * width;
            for (int q = 0; q < w; q++) strip[dst + q] = b[src + q];
            for (int q = w; q < width; q++) strip[dst + q] = 0f;
        }
    }

    /**
     * One tile: rows {@code i..i+3} of op(A) (the last row repeated past m) times a strip of B,
     * into {@code tile}, adding to what the tile holds if {@code cont}.
     */
    private static void rowTile(int width, int i, int m, int k, float[] a, int aOff, int ars, int acs,
                                float[] b, int bo, int ldb, float[] tile, boolean cont) {
        int a0 = aOff + i * ars;
        int a1 = aOff + Math.min(i + 1, m - 1) * ars;
        int a2 = aOff + Math.min(i + 2, m - 1) * ars;
        int a3 = aOff + Math.min(i + 3, m - 1) * ars;
        if (width > L) axpy4x2(k, a, a0, a1, a2, a3, acs, b, bo, ldb, tile, cont);
        else axpy4x1(k, a, a0, a1, a2, a3, acs, b, bo, ldb, tile, cont);
    }

    /** Tile rows are {@code 2L} apart in the scratch tile. */
    private static final int TS = 2 * L;

    /** {@code tile (+)= A rows a0..a3 · B[:, 2 vectors]}; A(r,p) at {@code ar + p*acs}. */
    private static void axpy4x2(int k, float[] a, int a0, int a1, int a2, int a3, int acs,
                                float[] b, int bo, int ldb, float[] tile, boolean cont) {
        if (!cont) Arrays.fill(tile, 0, 4 * TS, 0f);
        FloatVector c00 = FloatVector.fromArray(S, tile, 0), c01 = FloatVector.fromArray(S, tile, L);
        FloatVector c10 = FloatVector.fromArray(S, tile, TS), c11 = FloatVector.fromArray(S, tile, TS + L);
        FloatVector c20 = FloatVector.fromArray(S, tile, 2 * TS), c21 = FloatVector.fromArray(S, tile, 2 * TS + L);
        FloatVector c30 = FloatVector.fromArray(S, tile, 3 * TS), c31 = FloatVector.fromArray(S, tile, 3 * TS + L);
        for (int p = 0; p < k; p++, bo += ldb, a0 += acs, a1 += acs, a2 += acs, a3 += acs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector x = FloatVector.broadcast(S, a[a0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, TS);
        c11.intoArray(tile, TS + L);
        c20.intoArray(tile, 2 * TS);
        c21.intoArray(tile, 2 * TS + L);
        c30.intoArray(tile, 3 * TS);
        c31.intoArray(tile, 3 * TS + L);
    }

    /** {@code tile (+)= A rows a0..a3 · B[:, 1 vector]}. */
    private static void axpy4x1(int k, float[] a, int a0, int a1, int a2, int a3, int acs,
                                float[] b, int bo, int ldb, float[] tile, boolean cont) {
        if (!cont) Arrays.fill(tile, 0, 4 * TS, 0f);
        FloatVector c0 = FloatVector.fromArray(S, tile, 0), c1 = FloatVector.fromArray(S, tile, TS);
        FloatVector c2 = FloatVector.fromArray(S, tile, 2 * TS), c3 = FloatVector.fromArray(S, tile, 3 * TS);
        for (int p = 0; p < k; p++, bo += ldb, a0 += acs, a1 += acs, a2 += acs, a3 += acs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            c0 = FloatVector.broadcast(S, a[a0]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3]).fma(b0, c3);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, TS);
        c2.intoArray(tile, 2 * TS);
        c3.intoArray(tile, 3 * TS);
    }

    /**
     * C (=|+=) the first {@code rows × w} of the tile, placed at row i, column j of C (or of Cᵀ,
     * if {@code ct}).
     */
    private static void writeTile(float[] tile, int rows, int w, float[] c, int cOff, int ldc,
                                  int i, int j, boolean acc, boolean ct) {
        if (ct) {
            for (int r = 0, t = 0; r < rows; r++, t += TS) {
                int co = cOff + j * ldc + i + r;
                if (acc) {
                    for (int q = 0; q < w; q++, co += ldc) c[co] += tile[t + q];
                } else {
                    for (int q = 0; q < w; q++, co += ldc) c[co] = tile[t + q];
                }
            }
            return;
        }
        // Plain loops for the tail: System.arraycopy costs more than a tiny product.
        for (int r = 0, t = 0, co = cOff + i * ldc + j; r < rows; r++, t += TS, co += ldc) {
            int q = 0;
            for (; q + L <= w; q += L) {
                if (acc) {
                    FloatVector.fromArray(S, c, co + q).add(FloatVector.fromArray(S, tile, t + q)).intoArray(c, co + q);
                } else {
                    FloatVector.fromArray(S, tile, t + q).intoArray(c, co + q);
                }
            }
            if (acc) {
                for (; q < w; q++) c[co + q] += tile[t + q];
            } else {
                for (; q < w; q++) c[co + q] = tile[t + q];
            }
        }
    }

    /**
     * C (+)= A·Bᵀ with A row-major (row stride lda) and B stored n×k (row stride ldb): 4 × 2 dot
     * products at a time, vectorised along k; the last {@code k mod L} terms are added in scalar.
     */
    private static void dot(VectorGemm.Workspace ws, int m, int n, int k, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
        float[] lanes = ws.tile;
        int kFull = k - k % L;
        for (int i = 0; i < m; i += 4) {
            int rows = Math.min(4, m - i);
            int a0 = aOff + i * lda;
            int a1 = aOff + Math.min(i + 1, m - 1) * lda;
            int a2 = aOff + Math.min(i + 2, m - 1) * lda;
            int a3 = aOff + Math.min(i + 3, m - 1) * lda;
            for (int j = 0; j < n; j += 2) {
                int b0 = bOff + j * ldb;
                int b1 = bOff + Math.min(j + 1, n - 1) * ldb;
                dot4x2(kFull, a, a0, a1, a2, a3, b, b0, b1, lanes);
                for (int r = 0; r < rows; r++) {
                    int ar = aOff + (i + r) * lda;
                    int co = cOff + (i + r) * ldc + j;
                    for (int q = 0; q < Math.min(2, n - j); q++) {
                        int br = bOff + (j + q) * ldb;
                        float s = sum(lanes, (2 * r + q) * L);
                        for (int p = kFull; p < k; p++) s = Math.fma(a[ar + p], b[br + p], s);
                        c[co + q] = acc ? c[co + q] + s : s;
                    }
                }
            }
        }
    }

    /** Lane-wise partial dot products of A rows a0..a3 with B rows b0, b1 over {@code [0, kFull)}. */
    private static void dot4x2(int kFull, float[] a, int a0, int a1, int a2, int a3,
                               float[] b, int b0, int b1, float[] lanes) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        for (int p = 0; p < kFull; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(y0, s00);
            s01 = x.fma(y1, s01);
            x = FloatVector.fromArray(S, a, a1 + p);
            s10 = x.fma(y0, s10);
            s11 = x.fma(y1, s11);
            x = FloatVector.fromArray(S, a, a2 + p);
            s20 = x.fma(y0, s20);
            s21 = x.fma(y1, s21);
            x = FloatVector.fromArray(S, a, a3 + p);
            s30 = x.fma(y0, s30);
            s31 = x.fma(y1, s31);
        }
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, L);
        s10.intoArray(lanes, 2 * L);
        s11.intoArray(lanes, 3 * L);
        s20.intoArray(lanes, 4 * L);
        s21.intoArray(lanes, 5 * L);
        s30.intoArray(lanes, 6 * L);
        s31.intoArray(lanes, 7 * L);
    }

    /**
     * Sum of the L lanes at {@code o} in a fixed order: the upper half folded onto the lower, then
     * again, as in a tree. (Written out with one constant shuffle per step so that C2 compiles
     * each to a single permute; L is a power of two up to 64.)
     */
    private static float sum(float[] lanes, int o) {
        FloatVector v = FloatVector.fromArray(S, lanes, o);
        if (L >= 2) v = v.add(v.rearrange(FOLD1));
        if (L >= 4) v = v.add(v.rearrange(FOLD2));
        if (L >= 8) v = v.add(v.rearrange(FOLD3));
        if (L >= 16) v = v.add(v.rearrange(FOLD4));
        if (L >= 32) v = v.add(v.rearrange(FOLD5));
        if (L >= 64) v = v.add(v.rearrange(FOLD6));
        return v.lane(0);
    }

    private static final VectorShuffle<Float> FOLD1 = fold(L / 2), FOLD2 = fold(L / 4), FOLD3 = fold(L / 8),
            FOLD4 = fold(L / 16), FOLD5 = fold(L / 32), FOLD6 = fold(L / 64);

    /** Moves lane {@code i + shift} (mod L) to lane i. */
    private static VectorShuffle<Float> fold(int shift) {
        return VectorShuffle.fromOp(S, i -> (i + shift) % L);
    }
}
