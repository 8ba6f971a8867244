package dev.ganglion.optim;

import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Limited-memory BFGS (Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithms 7.4
 * and 7.5) with a strong-Wolfe line search (Algorithms 3.5 and 3.6): a quasi-Newton method for
 * full-batch training of small models, like scikit-learn's {@code solver='lbfgs'} and PyTorch's
 * {@code LBFGS}. It needs the loss at several points per step, so it is driven by a closure:
 * <pre>{@code
 * Lbfgs lbfgs = new Lbfgs(model.parameters());
 * for (int i = 0; i < 10; i++) {
 *     float loss = lbfgs.step(() -> {
 *         lbfgs.zeroGrad();
 *         Tensor l = lossFn.compute(model.forward(x), y);
 *         l.backward();
 *         return l.item();
 *     });
 * }
 * }</pre>
 * Each {@link #step(Supplier)} runs up to {@code maxIterations} iterations:
 * <pre>
 *   d = −H·g          H from the last m pairs (s, y) by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I
 *   t: strong Wolfe   f(w + t·d) ≤ f(w) + c1·t·gᵀd + ε·|f(w)|  and  |∇f(w + t·d)ᵀd| ≤ c2·|gᵀd|
 *                     c1 = 1e-4, c2 = 0.9, ε = 1e-6
 *                     first trial t = η (the first iteration ever: η·min(1, 1/‖g‖₁))
 *   s = t·d, y = g_new − g; the pair is kept when sᵀy &gt; 1e-10
 * </pre>
 * The ε term is the approximate Wolfe condition of Hager &amp; Zhang (SIAM J. Optim. 16, 2005): near
 * the minimum, losses summed in float32 differ by less than their rounding error, and a test on
 * the loss alone would stop the search while the (more accurate) gradient still points the way.
 * The iterations stop early when ‖g‖∞ ≤ toleranceGrad, or when the step ‖t·d‖∞, the loss change or gᵀd
 * fall below toleranceChange. The history carries over from one {@code step} to the next.
 *
 * <p>Defaults: η = 1, 20 iterations per step, history m = 10 (scipy's and scikit-learn's;
 * PyTorch keeps 100), toleranceGrad = 1e-7, toleranceChange = 1e-9. The closure must be
 * deterministic (no dropout, the same batch every time). One parameter group, no weight decay:
 * add an L2 penalty to the loss instead. {@link #step()} without a closure is an error.
 */
public final class Lbfgs extends Optimizer {
    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_LINE_SEARCH_EVALUATIONS = 25;
    /** The loss increase, relative to |f(0)|, that float32 rounding may cause (approximate Wolfe). */
    private static final double LOSS_NOISE = 1e-6;

    private final int maxIterations;
    private final int historySize;
    private final double toleranceGrad;
    private final double toleranceChange;
    private final int size;
    private final Deque<double[]> sHistory = new ArrayDeque<>();
    private final Deque<double[]> yHistory = new ArrayDeque<>();
    private final Deque<Double> rhoHistory = new ArrayDeque<>();
    private long iterations;
    private long evaluations;

    /** L-BFGS with the defaults above. */
    public Lbfgs(List<Tensor> parameters) {
        this(parameters, 1f, 20, 10, 1e-7, 1e-9);
    }

    /**
     * @param parameters      the tensors to optimise
     * @param learningRate    η, the first trial step of each line search (1 for quasi-Newton steps)
     * @param maxIterations   iterations per {@link #step(Supplier)} (≥ 1)
     * @param historySize     m, the number of (s, y) pairs kept (≥ 1)
     * @param toleranceGrad   stop when the largest gradient component is at most this
     * @param toleranceChange stop when the step, or the change in loss, is below this
     */
    public Lbfgs(List<Tensor> parameters, float learningRate, int maxIterations, int historySize,
                 double toleranceGrad, double toleranceChange) {
        super(parameters, learningRate);
        if (maxIterations < 1) throw new IllegalArgumentException("lbfgs: maxIterations must be >= 1, got " + maxIterations);
        if (historySize < 1) throw new IllegalArgumentException("lbfgs: historySize must be >= 1, got " + historySize);
        if (!(toleranceGrad >= 0)) throw new IllegalArgumentException("lbfgs: toleranceGrad must be >= 0, got " + toleranceGrad);
        if (!(toleranceChange >= 0)) throw new IllegalArgumentException("lbfgs: toleranceChange must be >= 0, got " + toleranceChange);
        this.maxIterations = maxIterations;
        this.historySize = historySize;
        this.toleranceGrad = toleranceGrad;
        this.toleranceChange = toleranceChange;
        int n = 0;
        for (Tensor p : this.parameters) n += p.size();
        this.size = n;
    }

    /** Not available: L-BFGS re-evaluates the loss, so it needs {@link #step(Supplier)}. */
    @Override
    public void step() {
        throw new IllegalStateException("lbfgs: step() needs the loss at several points; call step(closure) "
                + "with a closure that clears the gradients, computes the loss, calls backward() and returns the loss");
    }

    @Override
    protected void update(int index, float[] w, float[] g, float learningRate, float weightDecay) {
        throw new AssertionError("unreachable: lbfgs overrides step()");
    }

    /** A point on the search line: step t, loss f, gradient g and directional derivative gᵀd. */
    private record Point(double t, double f, double[] g, double gtd) {
    }

    /**
     * Runs up to {@code maxIterations} L-BFGS iterations; returns the loss at the starting point
     * (the first evaluation of {@code lossAndGradients}).
     */
    @Override
    public float step(Supplier<Float> lossAndGradients) {
        Objects.requireNonNull(lossAndGradients, "lossAndGradients");
        double[] g = new double[size];
        double f = evaluate(lossAndGradients, g);
        float first = (float) f;
        if (!Double.isFinite(f) || maxAbs(g) <= toleranceGrad) return first;
        for (int k = 0; k < maxIterations; k++) {
            double[] d = direction(g);
            double gtd = dot(g, d);
            if (gtd > -toleranceChange) break;      // not a descent direction any more
            iterations++;
            double t = learningRate() * (sHistory.isEmpty() && iterations == 1 ? Math.min(1.0, 1.0 / sumAbs(g)) : 1.0);
            float[] x0 = values();
            Point accepted = lineSearch(lossAndGradients, x0, f, g, d, t, gtd);
            if (accepted.t() == 0) {
                setValues(x0);                      // no decrease found along d: stay, start afresh next time
                clearHistory();
                break;
            }
            float[] x1 = values();
            double[] s = new double[size], y = new double[size];
            double ys = 0, yy = 0;
            for (int i = 0; i < size; i++) {
                s[i] = (double) x1[i] - x0[i];
                y[i] = accepted.g()[i] - g[i];
                ys += y[i] * s[i];
                yy += y[i] * y[i];
            }
            if (ys > 1e-10 && yy > 0) remember(s, y, 1.0 / ys);
            double previous = f;
            f = accepted.f();
            g = accepted.g();
            if (maxAbs(g) <= toleranceGrad || maxAbs(s) <= toleranceChange || Math.abs(f - previous) < toleranceChange) break;
        }
        return first;
    }

    /** d = −H·g by the two-loop recursion over the stored pairs (−g when there are none). */
    private double[] direction(double[] g) {
        double[] q = g.clone();
        int m = sHistory.size();
        double[] alpha = new double[m];
        Iterator<double[]> si = sHistory.descendingIterator(), yi = yHistory.descendingIterator();
        Iterator<Double> ri = rhoHistory.descendingIterator();
        for (int j = m - 1; j >= 0; j--) {
            double[] s = si.next(), y = yi.next();
            double rho = ri.next();
            alpha[j] = rho * dot(s, q);
            for (int i = 0; i < size; i++) q[i] -= alpha[j] * y[i];
        }
        if (m > 0) {
            double[] s = sHistory.getLast(), y = yHistory.getLast();
            double gamma = dot(s, y) / dot(y, y);
            for (int i = 0; i < size; i++) q[i] *= gamma;
        }
        si = sHistory.iterator();
        yi = yHistory.iterator();
        ri = rhoHistory.iterator();
        for (int j = 0; j < m; j++) {
            double[] s = si.next(), y = yi.next();
            double beta = ri.next() * dot(y, q);
            for (int i = 0; i < size; i++) q[i] += s[i] * (alpha[j] - beta);
        }
        for (int i = 0; i < size; i++) q[i] = -q[i];
        return q;
    }

    private void remember(double[] s, double[] y, double rho) {
        if (sHistory.size() == historySize) {
            sHistory.removeFirst();
            yHistory.removeFirst();
            rhoHistory.removeFirst();
        }
        sHistory.addLast(s);
        yHistory.addLast(y);
        rhoHistory.addLast(rho);
    }

    @Override
    protected void saveState(StateDict.Builder b) {
        b.number("iterations", iterations);
        b.number("evaluations", evaluations);
        b.number("history", sHistory.size());
        double[] rho = new double[rhoHistory.size()];
        int k = 0;
        for (double r : rhoHistory) rho[k++] = r;
        b.numbers("rho", rho);
        k = 0;
        for (double[] s : sHistory) b.numbers("s." + k++, s);
        k = 0;
        for (double[] y : yHistory) b.numbers("y." + k++, y);
    }

    @Override
    protected void loadState(StateDict state) {
        long count = state.count("history");
        double[] rho = state.numbersOrNull("rho");
        if (count < 0 || count > historySize || rho == null || rho.length != count) {
            throw new IllegalArgumentException("lbfgs state: history of " + count + " pairs (this optimiser keeps "
                    + historySize + ") with " + (rho == null ? "no" : rho.length) + " rho values");
        }
        List<double[]> ss = new java.util.ArrayList<>(), ys = new java.util.ArrayList<>();
        for (int k = 0; k < count; k++) {
            double[] s = state.numbersOrNull("s." + k), y = state.numbersOrNull("y." + k);
            if (s == null || y == null || s.length != size || y.length != size) {
                throw new IllegalArgumentException("lbfgs state: pair " + k + " must hold two arrays of " + size + " values");
            }
            ss.add(s.clone());
            ys.add(y.clone());
        }
        long it = state.count("iterations"), ev = state.count("evaluations");
        clearHistory();
        for (int k = 0; k < count; k++) remember(ss.get(k), ys.get(k), rho[k]);
        iterations = it;
        evaluations = ev;
    }

    private void clearHistory() {
        sHistory.clear();
        yHistory.clear();
        rhoHistory.clear();
    }

    /**
     * Finds t satisfying the strong Wolfe conditions along d from x0 (bracketing, then zooming
     * with safeguarded cubic interpolation) and leaves the parameters at x0 + t·d. A non-finite
     * loss counts as too large. If the conditions are not met within the evaluation budget, the
     * point with the lowest loss is taken (t = 0, the start, if none decreased it).
     */
    private Point lineSearch(Supplier<Float> closure, float[] x0, double f0, double[] g0, double[] d, double t, double gtd0) {
        Point start = new Point(0, f0, g0, gtd0);
        Point previous = start, best = start, lo, hi;
        int evals = 0;
        while (true) {
            Point cur = trial(closure, x0, d, t);
            evals++;
            if (cur.f() < best.f()) best = cur;
            if (acceptable(cur, f0, gtd0)) return placed(x0, d, cur);
            if (!Double.isFinite(cur.f()) || cur.f() > f0 + C1 * t * gtd0 || (evals > 1 && cur.f() >= previous.f())) {
                lo = previous;
                hi = cur;
                break;
            }
            if (cur.gtd() >= 0) {
                lo = cur;
                hi = previous;
                break;
            }
            if (evals >= MAX_LINE_SEARCH_EVALUATIONS) return placed(x0, d, best);
            double next = cubicMinimum(previous, cur, t + 0.01 * (t - previous.t()), 10 * t);
            previous = cur;
            t = next;
        }
        double dMax = maxAbs(d);
        while (evals < MAX_LINE_SEARCH_EVALUATIONS && Math.abs(hi.t() - lo.t()) * dMax >= toleranceChange) {
            double a = Math.min(lo.t(), hi.t()), b = Math.max(lo.t(), hi.t()), width = b - a;
            double tz = Double.isFinite(hi.f()) ? cubicMinimum(lo, hi, a, b) : (a + b) / 2;
            if (tz < a + 0.1 * width || tz > b - 0.1 * width) tz = (a + b) / 2;
            Point cur = trial(closure, x0, d, tz);
            evals++;
            if (cur.f() < best.f()) best = cur;
            if (acceptable(cur, f0, gtd0)) return placed(x0, d, cur);
            if (!Double.isFinite(cur.f()) || cur.f() > f0 + C1 * tz * gtd0 || cur.f() >= lo.f()) {
                hi = cur;
            } else {
                if (cur.gtd() * (hi.t() - lo.t()) >= 0) hi = lo;
                lo = cur;
            }
        }
        return placed(x0, d, best);
    }

    /** The (approximate) strong Wolfe conditions at {@code p}. */
    private static boolean acceptable(Point p, double f0, double gtd0) {
        return Double.isFinite(p.f()) && p.f() <= f0 + C1 * p.t() * gtd0 + LOSS_NOISE * Math.abs(f0)
                && Math.abs(p.gtd()) <= -C2 * gtd0;
    }

    /**
     * The minimiser of the cubic through two points with their slopes (Nocedal &amp; Wright
     * eq. 3.59), clamped to [lower, upper]; the midpoint when the cubic has no minimum.
     */
    private static double cubicMinimum(Point p1, Point p2, double lower, double upper) {
        double lo = Math.min(lower, upper), hi = Math.max(lower, upper);
        double d1 = p1.gtd() + p2.gtd() - 3 * (p1.f() - p2.f()) / (p1.t() - p2.t());
        double square = d1 * d1 - p1.gtd() * p2.gtd();
        if (!(square >= 0) || p1.t() == p2.t()) return (lo + hi) / 2;
        double d2 = Math.signum(p2.t() - p1.t()) * Math.sqrt(square);
        double t = p2.t() - (p2.t() - p1.t()) * (p2.gtd() + d2 - d1) / (p2.gtd() - p1.gtd() + 2 * d2);
        if (!Double.isFinite(t)) return (lo + hi) / 2;
        return Math.min(Math.max(t, lo), hi);
    }

    private Point trial(Supplier<Float> closure, float[] x0, double[] d, double t) {
        setValues(x0, d, t);
        double[] g = new double[size];
        double f = evaluate(closure, g);
        return new Point(t, f, g, dot(g, d));
    }

    /** Leaves the parameters at the accepted point. */
    private Point placed(float[] x0, double[] d, Point p) {
        setValues(x0, d, p.t());
        return p;
    }

    /** Calls the closure and copies the gradients into {@code g} (0 where a parameter has none). */
    private double evaluate(Supplier<Float> closure, double[] g) {
        evaluations++;
        double f = closure.get();
        int off = 0;
        for (Tensor p : parameters) {
            Tensor grad = p.grad();
            if (grad == null) {
                java.util.Arrays.fill(g, off, off + p.size(), 0.0);
            } else {
                float[] gd = grad.data();
                for (int i = 0; i < gd.length; i++) g[off + i] = gd[i];
            }
            off += p.size();
        }
        return f;
    }

    private float[] values() {
        float[] x = new float[size];
        int off = 0;
        for (Tensor p : parameters) {
            System.arraycopy(p.data(), 0, x, off, p.size());
            off += p.size();
        }
        return x;
    }

    private void setValues(float[] x) {
        int off = 0;
        for (Tensor p : parameters) {
            System.arraycopy(x, off, p.data(), 0, p.size());
            off += p.size();
        }
    }

    private void setValues(float[] x0, double[] d, double t) {
        int off = 0;
        for (Tensor p : parameters) {
            float[] w = p.data();
            for (int i = 0; i < w.length; i++) w[i] = (float) (x0[off + i] + t * d[off + i]);
            off += p.size();
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    private static double sumAbs(double[] a) {
        double s = 0;
        for (double v : a) s += Math.abs(v);
        return s;
    }

    /** L-BFGS iterations run so far, over all steps. */
    public long iterations() {
        return iterations;
    }

    /** Calls of the closure so far, over all steps. */
    public long evaluations() {
        return evaluations;
    }

    @Override
    public String describe() {
        return "lbfgs(lr=" + learningRate() + ", max_iter=" + maxIterations + ", history=" + historySize + ")";
    }
}
