package dev.ganglion.tensor;

/** NumPy broadcasting: shapes align at the last dimension; a dimension of 1 stretches. */
final class Broadcast {
    private Broadcast() {
    }

    /** The broadcast shape of {@code a} and {@code b}, or an error naming {@code op} and both shapes. */
    static Shape shape(String op, Shape a, Shape b) {
        if (a.equals(b)) return a;
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = dimFromEnd(a, rank - 1 - i), db = dimFromEnd(b, rank - 1 - i);
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": " + a + " and " + b + " cannot be broadcast: dimension "
                        + (i - rank) + " is " + da + " vs " + db);
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    private static int dimFromEnd(Shape s, int fromEnd) {
        int idx = s.rank() - 1 - fromEnd;
        return idx < 0 ? 1 : s.raw()[idx];
    }

    /** Strides of {@code s} aligned to {@code out}'s rank, 0 where {@code s} is broadcast. */
    private static int[] strides(Shape s, Shape out) {
        int rank = out.rank();
        int[] st = new int[rank];
        int[] dims = s.raw();
        int stride = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            int oi = rank - dims.length + i;
            st[oi] = dims[i] == 1 ? 0 : stride;
            stride *= dims[i];
        }
        return st;
    }

    /**
     * {@code r[i] = op(a[..], b[..])} over {@code out}; ops 0..6 are arithmetic
     * ({@link Tensor#applyBinary}) and 100+ are comparisons ({@link Tensor#applyCompare}).
     */
    static void apply(float[] a, Shape as, float[] b, Shape bs, float[] r, Shape out, int op) {
        int n = r.length;
        if (n == 0) return;
        if (as.equals(out) && bs.equals(out)) {
            switch (op) {
                case 0 -> { for (int i = 0; i < n; i++) r[i] = a[i] + b[i]; }
                case 1 -> { for (int i = 0; i < n; i++) r[i] = a[i] - b[i]; }
                case 2 -> { for (int i = 0; i < n; i++) r[i] = a[i] * b[i]; }
                case 3 -> { for (int i = 0; i < n; i++) r[i] = a[i] / b[i]; }
                default -> { for (int i = 0; i < n; i++) r[i] = eval(op, a[i], b[i]); }
            }
            return;
        }
        if (bs.size() == 1 && as.equals(out)) {
            float y = b[0];
            switch (op) {
                case 0 -> { for (int i = 0; i < n; i++) r[i] = a[i] + y; }
                case 1 -> { for (int i = 0; i < n; i++) r[i] = a[i] - y; }
                case 2 -> { for (int i = 0; i < n; i++) r[i] = a[i] * y; }
                case 3 -> { for (int i = 0; i < n; i++) r[i] = a[i] / y; }
                default -> { for (int i = 0; i < n; i++) r[i] = eval(op, a[i], y); }
            }
            return;
        }
        if (as.equals(out) && isTrailingRow(bs, out)) {
            // [.., d] op [d]: e.g. adding a bias to every row
            int d = bs.size();
            for (int base = 0; base < n; base += d) {
                if (op == 0) {
                    for (int j = 0; j < d; j++) r[base + j] = a[base + j] + b[j];
                } else {
                    for (int j = 0; j < d; j++) r[base + j] = eval(op, a[base + j], b[j]);
                }
            }
            return;
        }
        general(a, as, b, bs, r, out, op);
    }

    /** Whether {@code s} (ignoring leading 1s) equals the last dimension of {@code out}. */
    private static boolean isTrailingRow(Shape s, Shape out) {
        if (out.rank() == 0 || s.size() != out.dim(-1)) return false;
        int[] d = s.raw();
        for (int i = 0; i < d.length - 1; i++) if (d[i] != 1) return false;
        return d.length > 0;
    }

    private static float eval(int op, float x, float y) {
        return op >= 100 ? Tensor.applyCompare(op - 100, x, y) : Tensor.applyBinary(op, x, y);
    }

    private static void general(float[] a, Shape as, float[] b, Shape bs, float[] r, Shape out, int op) {
        int rank = out.rank();
        int[] dims = out.raw();
        int[] sa = strides(as, out), sb = strides(bs, out);
        int[] idx = new int[rank];
        int ia = 0, ib = 0;
        for (int i = 0; i < r.length; i++) {
            r[i] = eval(op, a[ia], b[ib]);
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < dims[d]) break;
                ia -= sa[d] * dims[d];
                ib -= sb[d] * dims[d];
                idx[d] = 0;
            }
        }
    }

    /** Sums {@code g} (of shape {@code gs}) into {@code r} of the broadcast-compatible {@code target}. */
    static void reduceTo(float[] g, Shape gs, float[] r, Shape target) {
        if (g.length == 0) return;
        if (target.size() == 1) {
            double s = 0;
            for (float v : g) s += v;
            r[0] = (float) s;
            return;
        }
        if (isTrailingRow(target, gs)) {
            int d = target.size();
            for (int base = 0; base < g.length; base += d)
                for (int j = 0; j < d; j++) r[j] += g[base + j];
            return;
        }
        int rank = gs.rank();
        int[] dims = gs.raw();
        int[] st = strides(target, gs);
        int[] idx = new int[rank];
        int it = 0;
        for (int i = 0; i < g.length; i++) {
            r[it] += g[i];
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                it += st[d];
                if (idx[d] < dims[d]) break;
                it -= st[d] * dims[d];
                idx[d] = 0;
            }
        }
    }
}
