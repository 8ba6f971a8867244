package dev.ganglion.tensor.kernel;

import java.util.Arrays;
import java.util.Objects;

/**
 * Single-precision matrix multiply on row-major arrays:
 * {@code C = op(A)·op(B)} (or {@code C += op(A)·op(B)} when {@code accumulate}), where
 * {@code op(A)} is {@code m×k} and {@code op(B)} is {@code k×n}.
 * <ul>
 *   <li>{@code transA == false}: A is stored {@code m×k}; {@code true}: A is stored {@code k×m}.</li>
 *   <li>{@code transB == false}: B is stored {@code k×n}; {@code true}: B is stored {@code n×k}.</li>
 * </ul>
 * These three forms (NN, TN, NT) are all that forward and backward passes need. This class is the
 * entry point; it picks the fastest available implementation, and {@link #reference} is the
 * plain loop every fast kernel is tested against.
 * <p>
 * When the {@code jdk.incubator.vector} module is present (run with
 * {@code --add-modules jdk.incubator.vector}) the work goes to the Vector API kernels, multi-threaded
 * for large products (system property {@code ganglion.threads}, default: all processors); otherwise
 * to plain scalar loops. Either way the result depends only on the inputs (and not on timing or the
 * thread count), so repeated runs are bit-identical.
 */
public final class Gemm {
    /** Checked once; the Vector API classes are loaded only when this is true. */
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Gemm() {
    }

    /**
     * The implementation in use, for version reports: e.g. {@code "vector-512 (16 floats), 2 threads"},
     * or {@code "scalar"} without the Vector API module.
     */
    public static String backend() {
        if (!VECTOR) return "scalar";
        int threads = GemmPool.threads();
        return VectorGemm.describe() + ", " + threads + (threads == 1 ? " thread" : " threads");
    }

    /** {@code C (+)= op(A)·op(B)}; see the class comment for the layouts. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, float[] b, int bOff,
                            float[] c, int cOff, boolean accumulate) {
        if (m > 0 && n > 0 && k > 0 && (long) m * n * k <= TINY_MACS) {
            // checked here too: this path is taken before either backend's own checks
            Objects.checkFromIndexSize(aOff, m * k, a.length);
            Objects.checkFromIndexSize(bOff, k * n, b.length);
            Objects.checkFromIndexSize(cOff, m * n, c.length);
            tiny(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        if (VECTOR) {
            VectorGemm.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        if (m == 0 || n == 0) return;
        if (!accumulate) Arrays.fill(c, cOff, cOff + m * n, 0f);
        if (k == 0) return;
        loops(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    }

    /** The reference: textbook loops accumulating into C, in float, row by row. */
    public static void reference(boolean transA, boolean transB, int m, int n, int k,
                                 float[] a, int aOff, float[] b, int bOff,
                                 float[] c, int cOff, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += av * bv;
                }
                int ci = cOff + i * n + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
        }
    }

    /**
     * Products up to this many multiply-adds (a 32×3 batch through a 3-unit layer is 288) take
     * {@link #tiny} in either backend: plain loops, which the JIT compiles in a few hundred calls.
     * Vector API code runs its slow, allocating fallback until C2 has compiled it, and a network of
     * tiny layers makes so few loop iterations per call that this took tens of thousands of
     * training steps. Taken before the backend is chosen, so that a tiny network's step never
     * reaches the large dispatching method (whose compilation would wait in the JIT's queue).
     */
    static final long TINY_MACS = 1024;

    /** {@code C (+)= op(A)·op(B)} by dot products in plain loops, summed in order (as the reference). */
    static void tiny(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                     float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        int ars = transA ? 1 : k, acs = transA ? m : 1;
        int brs = transB ? k : 1, bcs = transB ? 1 : n;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * ars, ci = cOff + i * n;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * brs;
                float s = 0f;
                for (int p = 0; p < k; p++) s += a[ai + p * acs] * b[bj + p * bcs];
                c[ci + j] = accumulate ? c[ci + j] + s : s;
            }
        }
    }

    /** Cache-friendly scalar loops (the JIT vectorises the inner j loop). C must be initialised. */
    private static void loops(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        if (!transB) {
            for (int i = 0; i < m; i++) {
                int cRow = cOff + i * n;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    int bRow = bOff + p * n;
                    for (int j = 0; j < n; j++) c[cRow + j] += av * b[bRow + j];
                }
            }
        } else if (!transA) {
            for (int i = 0; i < m; i++) {
                int aRow = aOff + i * k;
                int cRow = cOff + i * n;
                for (int j = 0; j < n; j++) {
                    int bRow = bOff + j * k;
                    float s = 0f;
                    for (int p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
                    c[cRow + j] += s;
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int cRow = cOff + i * n;
                for (int j = 0; j < n; j++) {
                    int bRow = bOff + j * k;
                    float s = 0f;
                    for (int p = 0; p < k; p++) s += a[aOff + p * m + i] * b[bRow + p];
                    c[cRow + j] += s;
                }
            }
        }
    }
}
