package dev.ganglion.tensor.kernel;

import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation behind {@link Gemm#gemm}: a packed, cache-blocked, register-tiled
 * kernel for large products and {@link SmallGemm} for small or skinny ones, split over
 * {@link GemmPool} when the product is big enough to pay for it.
 *
 * <p>The packed kernel follows the BLIS loop order: for each panel of B's columns and each
 * {@code KC}-deep slice of k, B is packed once into {@code NR}-wide micro-panels (k-major); for each
 * {@code MC}-tall block of A, A stored transposed is packed into {@code MR}-tall micro-panels
 * (k-major) while row-major A is read in place, six rows side by side; then a
 * {@code MR × NR} micro-kernel (6 rows × 4 vectors, 24 {@link FloatVector} accumulators) runs over
 * the block. Packing absorbs the transposes, so the same micro-kernel arithmetic serves NN, TN, NT
 * (and TT), and zero-pads the edges (a last group of fewer than six rows of A is packed too), so
 * the micro-kernel never sees a partial tile; partial tiles are computed into a scratch tile and
 * only their valid part is written to C. Reading row-major A in place rather than packing it saves
 * a strided copy of A per call (and per thread), which was 14 % of a batched forward pass.
 *
 * <p>Determinism: every element of C is accumulated in the same order whatever the thread count,
 * because threads only ever get disjoint blocks of C (never a share of the k-reduction) and the
 * choice between kernels depends on the shape alone. Results are therefore bit-identical across
 * runs and thread counts. (No {@code reduceLanes(ADD)} is used: its order may change over time.)
 *
 * <p>This class references the incubating {@code jdk.incubator.vector} module; {@link Gemm} only
 * touches it after checking that the module is present.
 */
final class VectorGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int L = S.length();
    /**
     * Micro-kernel rows. Six rows of four vectors (24 accumulators, 29 of the 32 vector registers)
     * load each vector of B for six FMAs rather than four: 7-15 % faster than 4 × 4 on every shape
     * measured, where 8 × 2, 8 × 3, 7 × 3 and 5 × 4 were slower (calls alternating in one JVM;
     * docs/performance.md, session 4).
     */
    static final int MR = 6;
    /** Micro-kernel columns: four vectors. */
    static final int NR = 4 * L;
    /**
     * Greatest depth of a packed slice: an {@code NR}-wide micro-panel of B is at most
     * {@code KC·NR} floats. k is cut into equal slices no deeper than this (5000 = 3 × 1667), so no
     * slice is a thin remainder. Every slice costs a pass over C and a round of micro-kernel calls
     * (each of which stores its tile and adds it into C), and on this kind of machine that costs
     * more than streaming a deep B micro-panel from L2 saves: 512 rather than 256 measured
     * 5-20 % faster (session 3), 2048 rather than 512 another 4-10 % on products with k ≥ 784
     * (session 4; docs/performance.md).
     */
    static final int KC = 2048;
    /** Rows of A packed at once when A is stored transposed (at most {@code MC·KC} floats). */
    static final int MC = 512;
    /**
     * Floats in a packed panel of B ({@code kc × nc}, 8 MiB): the columns packed at once are as
     * many as fit, so deep slices pack fewer columns at a time rather than more memory.
     */
    static final int PANEL_FLOATS = 1 << 21;
    /** Products with fewer multiply-adds than this (≈1e6 flops) run on the calling thread only. */
    static final long PARALLEL_MACS = 500_000L;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private VectorGemm() {
    }

    /** E.g. {@code "vector-512 (16 floats)"}. */
    static String describe() {
        return "vector-" + S.vectorBitSize() + " (" + L + " floats)";
    }

    /** {@link Gemm#gemm} on the shared pool's thread count. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, boolean accumulate) {
        gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, GemmPool.threads());
    }

    /**
     * One-row products with at least this many multiply-adds use every thread: reading B is the
     * whole cost, and each core then streams its share of it (784×256, a first layer, is 200,704;
     * 256×128, a second, 32,768). At 2^15 splitting measured 1-31 % faster on two threads, at
     * 2^14 (128×128) 9-15 % slower (calls alternating in one JVM; docs/performance.md, session 4).
     */
    static final long PARALLEL_MATVEC_MACS = 1L << 15;
    /** Columns of C per part of a split one-row product: whole vectors and whole groups of four rows. */
    private static final int MATVEC_STEP = 4 * L;

    private static void rowTimes(boolean tb, int n, int k, float[] a, int aOff, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, boolean accumulate) {
        if (tb) MatVec.rowTimesTransposed(n, k, a, aOff, b, bOff, ldb, c, cOff, accumulate);
        else MatVec.rowTimes(n, k, a, aOff, b, bOff, ldb, c, cOff, accumulate);
    }

    /** {@link Gemm#gemm} split into at most {@code threads} parts (tests pin the count). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, boolean accumulate, int threads) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative size: m=" + m + " n=" + n + " k=" + k);
        }
        Objects.checkFromIndexSize(cOff, (long) m * n, c.length);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        Objects.checkFromIndexSize(aOff, (long) m * k, a.length);
        Objects.checkFromIndexSize(bOff, (long) k * n, b.length);

        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        if ((long) m * n * k <= Gemm.TINY_MACS) {
            Gemm.tiny(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        // A single row (column) of A (B) is laid out the same either way; take the cheaper form.
        boolean ta = transA && m != 1;
        boolean tb = transB || n == 1;
        if (m == 1) {
            // one row: a single pass over B beats packing it; a large B is split by columns of C
            // (each output is computed the same way whichever part it falls in)
            int parts = (long) n * k < PARALLEL_MATVEC_MACS ? 1 : Math.min(Math.max(1, threads), n / MATVEC_STEP);
            if (parts <= 1) {
                rowTimes(tb, n, k, a, aOff, b, bOff, ldb, c, cOff, accumulate);
                return;
            }
            int blocks = ceilDiv(n, MATVEC_STEP);
            GemmPool.run(parts, part -> {
                int j0 = (int) ((long) blocks * part / parts) * MATVEC_STEP;
                int j1 = Math.min(n, (int) ((long) blocks * (part + 1) / parts) * MATVEC_STEP);
                rowTimes(tb, j1 - j0, k, a, aOff, b, bOff + (tb ? j0 * ldb : j0), ldb, c, cOff + j0, accumulate);
            });
            return;
        }
        long macs = (long) m * n * k;
        int kernel = SmallGemm.plan(ta, tb, m, n, k, macs);
        int parts = macs < PARALLEL_MACS ? 1 : Math.max(1, threads);
        if (parts == 1) {
            run(kernel, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, n, accumulate);
            return;
        }

        // Split C into disjoint column or row stripes, whichever balances better.
        int colStep = kernel != SmallGemm.NONE ? L : NR;
        int colBlocks = ceilDiv(n, colStep);
        int rowBlocks = ceilDiv(m, MR);
        int colParts = Math.min(parts, colBlocks);
        int rowParts = Math.min(parts, rowBlocks);
        long colWork = (long) m * Math.min(n, ceilDiv(colBlocks, colParts) * colStep);
        long rowWork = (long) n * Math.min(m, ceilDiv(rowBlocks, rowParts) * MR);
        boolean byCols = colWork <= rowWork;
        int nParts = byCols ? colParts : rowParts;
        int blocks = byCols ? colBlocks : rowBlocks;
        GemmPool.run(nParts, part -> {
            int b0 = (int) ((long) blocks * part / nParts);
            int b1 = (int) ((long) blocks * (part + 1) / nParts);
            if (byCols) {
                int j0 = b0 * colStep;
                int j1 = Math.min(n, b1 * colStep);
                run(kernel, ta, tb, m, j1 - j0, k, a, aOff, lda,
                        b, bOff + (tb ? j0 * ldb : j0), ldb, c, cOff + j0, n, accumulate);
            } else {
                int i0 = b0 * MR;
                int i1 = Math.min(m, b1 * MR);
                run(kernel, ta, tb, i1 - i0, n, k, a, aOff + (ta ? i0 : i0 * lda), lda,
                        b, bOff, ldb, c, cOff + i0 * n, n, accumulate);
            }
        });
    }

    private static void run(int kernel, boolean ta, boolean tb, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean acc) {
        if (m <= 0 || n <= 0) return;
        if (kernel == SmallGemm.NONE) {
            packed(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc, WORKSPACE.get());
        } else {
            SmallGemm.gemm(kernel, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
        }
    }

    /** Per-thread buffers, grown on demand and reused by every later call on that thread. */
    static final class Workspace {
        float[] packA = new float[0];
        float[] packB = new float[0];
        /** The micro-kernel's output tile; also SmallGemm's tiles and lane sums (8·L floats). */
        final float[] tile = new float[MR * NR];
        /** {@code i * ldb} for the gathers that pack a B stored n×k. */
        final int[] gatherIndex = new int[L];
        float[] scratch = new float[0];
        float[] strip = new float[0];

        float[] strip(int size) {
            if (strip.length < size) strip = new float[size];
            return strip;
        }

        float[] scratch(int size) {
            if (scratch.length < size) scratch = new float[size];
            return scratch;
        }
    }

    static Workspace workspace() {
        return WORKSPACE.get();
    }

    /**
     * The packed path on a sub-problem with explicit leading dimensions: A(i,p) is
     * {@code a[aOff + i*lda + p]} ({@code a[aOff + p*lda + i]} if {@code ta}), B(p,j) is
     * {@code b[bOff + p*ldb + j]} ({@code b[bOff + j*ldb + p]} if {@code tb}), C(i,j) is
     * {@code c[cOff + i*ldc + j]}.
     */
    static void packed(boolean ta, boolean tb, int m, int n, int k,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, boolean acc, Workspace ws) {
        int kcMax = ceilDiv(k, ceilDiv(k, KC));   // equal slices of at most KC
        int ncMax = Math.max(NR, PANEL_FLOATS / kcMax / NR * NR);
        int aSize = roundUp(Math.min(MC, m), MR) * kcMax;
        int bSize = roundUp(Math.min(ncMax, n), NR) * kcMax;
        if (ws.packA.length < aSize) ws.packA = new float[aSize];
        if (ws.packB.length < bSize) ws.packB = new float[bSize];
        float[] ap = ws.packA;
        float[] bp = ws.packB;
        float[] tile = ws.tile;
        if (tb) {
            for (int i = 0; i < L; i++) ws.gatherIndex[i] = i * ldb;
        }
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean store = pc == 0 && !acc;
                if (tb) packBt(b, bOff + jc * ldb + pc, ldb, kc, nc, bp, ws.gatherIndex);
                else packB(b, bOff + pc * ldb + jc, ldb, kc, nc, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    // A stored transposed is packed; row-major A is read in place by microRows
                    // (each of its six rows walked along k), except a last group of fewer than MR
                    // rows, which is packed (zero-padded) on its own
                    int fullRows = ta ? 0 : mc - mc % MR;
                    if (ta) packAt(a, aOff + pc * lda + ic, lda, kc, mc, ap);
                    else if (fullRows < mc) packA(a, aOff + (ic + fullRows) * lda + pc, lda, kc, mc - fullRows, ap);
                    int rowsA = aOff + ic * lda + pc, cBlock = cOff + ic * ldc + jc;
                    if (kc <= SHALLOW_KC) {
                        // a shallow slice (k = 10: an output layer's backward pass): the micro-
                        // panels of B are tiny and stay cached, so walk C row by row, which keeps
                        // its writes sequential instead of striding down a column of tiles
                        for (int ir = 0; ir < mc; ir += MR) {
                            for (int jr = 0; jr < nc; jr += NR) {
                                tile(ir, jr, mc, nc, kc, fullRows, a, rowsA, lda, ap, bp, tile, c, cBlock, ldc, store);
                            }
                        }
                    } else {
                        for (int jr = 0; jr < nc; jr += NR) {
                            for (int ir = 0; ir < mc; ir += MR) {
                                tile(ir, jr, mc, nc, kc, fullRows, a, rowsA, lda, ap, bp, tile, c, cBlock, ldc, store);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Slices of k at most this deep take C row by row (see {@link #packed}). */
    static final int SHALLOW_KC = 64;

    /**
     * One MR × NR tile of C at rows {@code ir}, columns {@code jr} of the current block: A's rows
     * start at {@code rowsA} (row-major, read in place below {@code fullRows}, else packed in
     * {@code ap}), B's micro-panel at {@code jr·kc} in {@code bp}, C's block at {@code cBlock}.
     */
    private static void tile(int ir, int jr, int mc, int nc, int kc, int fullRows,
                             float[] a, int rowsA, int lda, float[] ap, float[] bp, float[] tile,
                             float[] c, int cBlock, int ldc, boolean store) {
        int mr = Math.min(MR, mc - ir), nr = Math.min(NR, nc - jr);
        int bo = jr * kc;
        if (ir < fullRows) microRows(kc, a, rowsA + ir * lda, lda, bp, bo, tile);
        else micro(kc, ap, (ir - fullRows) * kc, bp, bo, tile);
        int co = cBlock + ir * ldc + jr;
        if (mr == MR && nr == NR) writeTile(tile, c, co, ldc, store);
        else writePartialTile(tile, mr, nr, c, co, ldc, store);
    }

    /**
     * The 6 × 4-vector micro-kernel: {@code tile = packed A panel · packed B panel}. It writes a
     * scratch tile rather than C: a kernel that also loads and adds C grows too big for C2 to
     * keep every vector operation intrinsified, and runs many times slower.
     */
    private static void micro(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        // Offsets linear in p, so that C2 hoists the bounds checks out of the loop.
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            int ai = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c53.intoArray(tile, 5 * NR + 3 * L);
    }

    /**
     * {@link #micro} reading six rows of a row-major A in place: A(r, p) at {@code ao + r*lda + p}.
     * A separate copy on purpose: one kernel taking the strides at run time measured 3-10 % slower
     * (alternating JVMs, 2 threads, medians of 3; docs/performance.md, session 3).
     */
    private static void microRows(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        int a0 = ao, a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c53.intoArray(tile, 5 * NR + 3 * L);
    }

    /** C tile (=|+=) a full computed tile. */
    private static void writeTile(float[] tile, float[] c, int co, int ldc, boolean store) {
        for (int r = 0; r < MR; r++, co += ldc) {
            int t = r * NR;
            if (store) {
                System.arraycopy(tile, t, c, co, NR);
            } else {
                for (int v = 0; v < NR; v += L) {
                    FloatVector.fromArray(S, tile, t + v).add(FloatVector.fromArray(S, c, co + v)).intoArray(c, co + v);
                }
            }
        }
    }

    /** Writes the valid {@code mr × nr} corner of a computed tile to C. */
    private static void writePartialTile(float[] tile, int mr, int nr, float[] c, int co, int ldc, boolean store) {
        for (int r = 0; r < mr; r++, co += ldc) {
            int t = r * NR;
            if (store) {
                System.arraycopy(tile, t, c, co, nr);
            } else {
                for (int j = 0; j < nr; j++) c[co + j] += tile[t + j];
            }
        }
    }

    /** Packs {@code kc × nc} of row-major B (row stride ldb) into k-major NR-wide micro-panels. */
    private static void packB(float[] b, int off, int ldb, int kc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int dst = jr * kc;
            int src = off + jr;
            if (nr == NR) {
                for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                    FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                    FloatVector.fromArray(S, b, src + 2 * L).intoArray(bp, dst + 2 * L);
                    FloatVector.fromArray(S, b, src + 3 * L).intoArray(bp, dst + 3 * L);
                }
            } else {
                for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                    System.arraycopy(b, src, bp, dst, nr);
                    Arrays.fill(bp, dst + nr, dst + NR, 0f);
                }
            }
        }
    }

    /**
     * Packs {@code kc × nc} of B stored transposed (B(p,j) at {@code off + j*ldb + p}): each run of
     * L columns is one gather per k ({@code gatherIndex[i] = i*ldb}); a final partial run is scalar
     * (a masked gather would still bounds-check its unset lanes).
     */
    private static void packBt(float[] b, int off, int ldb, int kc, int nc, float[] bp, int[] gatherIndex) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            int v = 0;
            for (; v + L <= nr; v += L) {
                int src = off + (jr + v) * ldb;
                for (int p = 0, dst = base + v; p < kc; p++, dst += NR) {
                    FloatVector.fromArray(S, b, src + p, gatherIndex, 0).intoArray(bp, dst);
                }
            }
            for (int j = v; j < NR; j++) {
                int dst = base + j;
                if (j < nr) {
                    int src = off + (jr + j) * ldb;
                    for (int p = 0; p < kc; p++, dst += NR) bp[dst] = b[src + p];
                } else {
                    for (int p = 0; p < kc; p++, dst += NR) bp[dst] = 0f;
                }
            }
        }
    }

    /** Packs {@code mc × kc} of row-major A (row stride lda) into k-major MR-tall micro-panels. */
    private static void packA(float[] a, int off, int lda, int kc, int mc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            for (int r = 0; r < MR; r++) {
                int dst = base + r;
                if (r < mr) {
                    int src = off + (ir + r) * lda;
                    for (int p = 0; p < kc; p++, dst += MR) ap[dst] = a[src + p];
                } else {
                    for (int p = 0; p < kc; p++, dst += MR) ap[dst] = 0f;
                }
            }
        }
    }

    /** Packs {@code mc × kc} of A stored transposed (A(i,p) at {@code off + p*lda + i}). */
    private static void packAt(float[] a, int off, int lda, int kc, int mc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            int src = off + ir;
            if (mr == MR) {
                for (int p = 0; p < kc; p++, src += lda, dst += MR) {
                    for (int r = 0; r < MR; r++) ap[dst + r] = a[src + r];
                }
            } else {
                for (int p = 0; p < kc; p++, src += lda, dst += MR) {
                    for (int r = 0; r < MR; r++) ap[dst + r] = r < mr ? a[src + r] : 0f;
                }
            }
        }
    }

    static int ceilDiv(int x, int y) {
        return -Math.floorDiv(-x, y);
    }

    private static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }
}
