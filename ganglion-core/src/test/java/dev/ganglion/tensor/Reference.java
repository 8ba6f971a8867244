package dev.ganglion.tensor;

import java.util.function.DoubleBinaryOperator;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;

/** Plain-loop reference implementations in double, written independently of the library. */
final class Reference {
    private Reference() {
    }

    /** The NumPy broadcast shape, or null when the shapes are incompatible. */
    static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) return null;
            out[i] = Math.max(da, db);
            if (da == 0 || db == 0) out[i] = 0;
        }
        return out;
    }

    /** The flat index into a tensor of shape {@code s} for an index of the broadcast shape. */
    static int sourceIndex(int[] outIndex, int[] s) {
        int off = outIndex.length - s.length, flat = 0;
        for (int i = 0; i < s.length; i++) {
            int idx = s[i] == 1 ? 0 : outIndex[off + i];
            flat = flat * s[i] + idx;
        }
        return flat;
    }

    static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }

    static void assertBroadcastMatches(String what, Tensor actual, Tensor a, Tensor b, DoubleBinaryOperator op) {
        int[] out = broadcastShape(a.shape().dims(), b.shape().dims());
        assertThat(actual.shape()).as(what + " shape of " + a.shape() + " and " + b.shape()).isEqualTo(Shape.of(out));
        double[] expected = new double[actual.size()];
        for (int i = 0; i < expected.length; i++) {
            int[] idx = unravel(i, out);
            expected[i] = (float) op.applyAsDouble(a.data()[sourceIndex(idx, a.shape().dims())],
                    b.data()[sourceIndex(idx, b.shape().dims())]);
        }
        assertAllClose(what + " " + a.shape() + " " + b.shape(), actual.data(), expected, 1e-6, 1e-7);
    }

    /** [..., m, k] x [..., k, n] (equal batch dims) or [..., m, k] x [k, n], in double. */
    static Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.shape().dims(), bs = b.shape().dims();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int batch = 1;
        for (int i = 0; i < as.length - 2; i++) batch *= as[i];
        boolean shared = bs.length == 2;
        float[] r = new float[batch * m * n];
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) a.data()[t * m * k + i * k + p] * b.data()[(shared ? 0 : t * k * n) + p * n + j];
                    }
                    r[t * m * n + i * n + j] = (float) s;
                }
        int[] out = as.clone();
        out[out.length - 1] = n;
        return Tensor.of(r, out);
    }
}
