package dev.ganglion.tensor;

import dev.ganglion.tensor.kernel.Gemm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A dense, row-major float32 n-dimensional array that can take part in reverse-mode automatic
 * differentiation.
 *
 * <p>Operations are define-by-run: when any input {@linkplain #requiresGrad() requires a gradient}
 * and grad mode is on (see {@link NoGrad}), the result remembers its inputs and how to push a
 * gradient back to them. {@link #backward()} on a scalar then walks that graph in reverse
 * topological order and adds ∂loss/∂t into {@link #grad()} of every leaf that requires it.
 * Gradients accumulate across calls until {@link #zeroGrad()}, as in PyTorch.
 *
 * <p>Element-wise operations broadcast as NumPy does: shapes are aligned at the last dimension and
 * a dimension of 1 stretches. Errors name the operation and every shape involved.
 *
 * <p>A tensor's data is not copied by {@link #reshape}; everything else returns new storage.
 * Parameters are updated in place by optimisers through {@link #data()}.
 */
public final class Tensor {
    private final float[] data;
    private final Shape shape;
    private boolean requiresGrad;
    private Tensor grad;
    private final Node node;

    /** How a computed tensor was made: its op name, inputs, and the rule for their gradients. */
    private record Node(String op, Tensor[] inputs, Backward backward) {
    }

    /** Given ∂L/∂output, returns ∂L/∂input for each input (null where an input needs none). */
    @FunctionalInterface
    private interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    private Tensor(float[] data, Shape shape, Node node) {
        this.data = data;
        this.shape = shape;
        this.node = node;
        this.requiresGrad = node != null;
    }

    // ------------------------------------------------------------------ creation

    /** A tensor over {@code data} (not copied) with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        Shape s = Shape.of(shape);
        if (s.size() != data.length) {
            throw new ShapeException("tensor: " + data.length + " values do not fill shape " + s
                    + " (" + s.size() + " elements)");
        }
        return new Tensor(data, s, null);
    }

    /** A 2-D tensor copied from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != d) {
                throw new ShapeException("tensor: row " + i + " has " + rows[i].length
                        + " values, row 0 has " + d);
            }
            System.arraycopy(rows[i], 0, out, i * d, d);
        }
        return new Tensor(out, Shape.of(n, d), null);
    }

    /** A rank-0 tensor holding {@code value}. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[]{value}, Shape.scalar(), null);
    }

    public static Tensor zeros(int... shape) {
        Shape s = Shape.of(shape);
        return new Tensor(new float[s.size()], s, null);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Shape s = Shape.of(shape);
        float[] d = new float[s.size()];
        Arrays.fill(d, value);
        return new Tensor(d, s, null);
    }

    /** Uniform values in {@code [low, high)} drawn from {@code rng}. */
    public static Tensor uniform(RandomGenerator rng, float low, float high, int... shape) {
        Shape s = Shape.of(shape);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) d[i] = low + (high - low) * rng.nextFloat();
        return new Tensor(d, s, null);
    }

    /** Uniform values in {@code [0, 1)}, like NumPy's {@code np.random.rand}. */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        return uniform(rng, 0f, 1f, shape);
    }

    /** Normally distributed values with the given mean and standard deviation. */
    public static Tensor normal(RandomGenerator rng, float mean, float std, int... shape) {
        Shape s = Shape.of(shape);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) d[i] = mean + std * (float) rng.nextGaussian();
        return new Tensor(d, s, null);
    }

    /** Standard normal values, like {@code np.random.randn}. */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        return normal(rng, 0f, 1f, shape);
    }

    // ------------------------------------------------------------------ accessors

    public Shape shape() {
        return shape;
    }

    public int rank() {
        return shape.rank();
    }

    public int size() {
        return shape.size();
    }

    /** The backing array, row-major. Writing to it changes this tensor (and its reshapes). */
    public float[] data() {
        return data;
    }

    /** A copy of the values as a 2-D Java array; this tensor must be 2-D. */
    public float[][] toArray2d() {
        requireRank(2, "toArray2d");
        int n = shape.dim(0), d = shape.dim(1);
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(data, i * d, out[i], 0, d);
        return out;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new ShapeException("item: tensor of shape " + shape + " has " + data.length
                    + " elements, expected exactly 1");
        }
        return data[0];
    }

    /** The value at the given index (one coordinate per dimension). */
    public float get(int... index) {
        return data[flatIndex(index)];
    }

    /** Sets the value at the given index; for building inputs, not for tensors in a graph. */
    public void set(float value, int... index) {
        data[flatIndex(index)] = value;
    }

    private int flatIndex(int[] index) {
        int[] dims = shape.raw();
        if (index.length != dims.length) {
            throw new ShapeException("index " + Arrays.toString(index) + " does not match shape " + shape);
        }
        int flat = 0;
        for (int i = 0; i < dims.length; i++) {
            if (index[i] < 0 || index[i] >= dims[i]) {
                throw new ShapeException("index " + Arrays.toString(index) + " is out of bounds for shape " + shape);
            }
            flat = flat * dims[i] + index[i];
        }
        return flat;
    }

    // ------------------------------------------------------------------ autograd state

    /** Whether gradients flow to or through this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor (a parameter or an input) as needing a gradient; returns this. */
    public Tensor requiresGrad(boolean value) {
        if (node != null && !value) {
            throw new IllegalStateException("requiresGrad(false) on a computed tensor ("
                    + node.op + "): use detach() instead");
        }
        this.requiresGrad = value;
        return this;
    }

    /** ∂loss/∂this accumulated by {@link #backward()}, or null if none has reached this tensor. */
    public Tensor grad() {
        return grad;
    }

    /**
     * Adds {@code g} (this tensor's shape) to the accumulated gradient, taking {@code g} itself
     * when there is none yet. For code that computes gradients without a graph, such as a fused
     * training step; the caller must leave {@code g} unchanged until the gradient is cleared.
     */
    public void accumulateGrad(Tensor g) {
        if (!g.shape.equals(shape)) {
            throw new ShapeException("accumulateGrad: gradient " + g.shape + " does not match tensor " + shape);
        }
        grad = grad == null ? (g.node == null && !g.requiresGrad ? g : g.detach()) : grad.addInPlace(g);
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() {
        grad = null;
    }

    /** Whether this tensor was created by the user rather than computed from others. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The name of the operation that produced this tensor, or "leaf". */
    public String op() {
        return node == null ? "leaf" : node.op;
    }

    /** The same values, cut off from the graph: gradients do not flow through the result. */
    public Tensor detach() {
        return new Tensor(data, shape, null);
    }

    /** A copy with its own storage, cut off from the graph. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape, null);
    }

    /**
     * Back-propagates from this scalar: fills {@link #grad()} of every leaf tensor that requires
     * a gradient with ∂this/∂leaf, adding to what is already there.
     */
    public void backward() {
        if (data.length != 1) {
            throw new ShapeException("backward: called on a tensor of shape " + shape
                    + "; it needs a scalar (reduce with sum() or mean()), or pass the seed gradient");
        }
        backward(Tensor.ones(shape.raw()));
    }

    /** Back-propagates with an explicit seed gradient of this tensor's shape. */
    public void backward(Tensor seed) {
        if (!seed.shape.equals(shape)) {
            throw new ShapeException("backward: seed gradient " + seed.shape + " does not match tensor " + shape);
        }
        if (!requiresGrad) {
            throw new IllegalStateException("backward: this tensor does not require a gradient; "
                    + "no input was marked requiresGrad(true), or it was computed inside NoGrad");
        }
        List<Tensor> order = topologicalOrder(this);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(this, seed);
        try (var scope = NoGrad.enter()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) continue;
                if (t.node == null) {
                    t.grad = t.grad == null ? g.copy() : t.grad.addInPlace(g);
                    continue;
                }
                Tensor[] inputGrads = t.node.backward.apply(g);
                for (int j = 0; j < t.node.inputs.length; j++) {
                    Tensor in = t.node.inputs[j];
                    Tensor ig = inputGrads[j];
                    if (ig == null || !in.requiresGrad) continue;
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? ig : prev.add(ig));
                }
            }
        }
    }

    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        // iterative depth-first search: deep graphs (long sequences) must not overflow the stack
        List<Tensor> stack = new ArrayList<>();
        List<Integer> next = new ArrayList<>();
        stack.add(root);
        next.add(0);
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            int i = next.get(top);
            Tensor[] inputs = t.node == null ? new Tensor[0] : t.node.inputs;
            if (i < inputs.length) {
                next.set(top, i + 1);
                Tensor in = inputs[i];
                if (in.requiresGrad && visited.put(in, Boolean.TRUE) == null) {
                    stack.add(in);
                    next.add(0);
                }
            } else {
                order.add(t);
                stack.remove(top);
                next.remove(top);
            }
        }
        return order;
    }

    private static boolean recording(Tensor... inputs) {
        if (!NoGrad.isGradEnabled()) return false;
        for (Tensor t : inputs) if (t.requiresGrad) return true;
        return false;
    }

    private static Tensor result(float[] data, Shape shape, String op, Backward backward, Tensor... inputs) {
        return new Tensor(data, shape, recording(inputs) ? new Node(op, inputs, backward) : null);
    }

    /** Adds {@code other} (same shape) into this tensor's storage; returns this. Not recorded. */
    public Tensor addInPlace(Tensor other) {
        if (!other.shape.equals(shape)) {
            throw new ShapeException("addInPlace: " + shape + " += " + other.shape + ": shapes differ");
        }
        float[] o = other.data;
        for (int i = 0; i < data.length; i++) data[i] += o[i];
        return this;
    }

    // ------------------------------------------------------------------ broadcasting element-wise

    private enum BinaryOp { ADD, SUB, MUL, DIV, POW, MAX, MIN }

    public Tensor add(Tensor other) {
        return binary(other, BinaryOp.ADD, "add");
    }

    public Tensor sub(Tensor other) {
        return binary(other, BinaryOp.SUB, "sub");
    }

    public Tensor mul(Tensor other) {
        return binary(other, BinaryOp.MUL, "mul");
    }

    public Tensor div(Tensor other) {
        return binary(other, BinaryOp.DIV, "div");
    }

    /** Element-wise {@code this^exponent} (for a positive base, or integer exponents). */
    public Tensor pow(Tensor exponent) {
        return binary(exponent, BinaryOp.POW, "pow");
    }

    /** Element-wise maximum; the gradient goes to the larger input (to this on ties). */
    public Tensor maximum(Tensor other) {
        return binary(other, BinaryOp.MAX, "maximum");
    }

    /** Element-wise minimum; the gradient goes to the smaller input (to this on ties). */
    public Tensor minimum(Tensor other) {
        return binary(other, BinaryOp.MIN, "minimum");
    }

    public Tensor add(float v) {
        return add(scalar(v));
    }

    public Tensor sub(float v) {
        return sub(scalar(v));
    }

    public Tensor mul(float v) {
        return mul(scalar(v));
    }

    public Tensor div(float v) {
        return div(scalar(v));
    }

    public Tensor pow(float exponent) {
        return pow(scalar(exponent));
    }

    /** {@code v - this}. */
    public Tensor rsub(float v) {
        return scalar(v).sub(this);
    }

    private Tensor binary(Tensor other, BinaryOp op, String name) {
        Shape out = Broadcast.shape(name, shape, other.shape);
        float[] r = new float[out.size()];
        Broadcast.apply(data, shape, other.data, other.shape, r, out, op.ordinal());
        Tensor a = this, b = other;
        return result(r, out, name, g -> {
            Tensor ga = null, gb = null;
            switch (op) {
                case ADD -> {
                    ga = a.requiresGrad ? g.sumTo(a.shape) : null;
                    gb = b.requiresGrad ? g.sumTo(b.shape) : null;
                }
                case SUB -> {
                    ga = a.requiresGrad ? g.sumTo(a.shape) : null;
                    gb = b.requiresGrad ? g.neg().sumTo(b.shape) : null;
                }
                case MUL -> {
                    ga = a.requiresGrad ? g.mul(b).sumTo(a.shape) : null;
                    gb = b.requiresGrad ? g.mul(a).sumTo(b.shape) : null;
                }
                case DIV -> {
                    ga = a.requiresGrad ? g.div(b).sumTo(a.shape) : null;
                    gb = b.requiresGrad ? g.mul(a).div(b.mul(b)).neg().sumTo(b.shape) : null;
                }
                case POW -> {
                    // d(a^b)/da = b·a^(b-1); d(a^b)/db = a^b·ln a
                    ga = a.requiresGrad ? g.mul(b).mul(a.pow(b.sub(1f))).sumTo(a.shape) : null;
                    gb = b.requiresGrad ? g.mul(a.pow(b)).mul(a.log()).sumTo(b.shape) : null;
                }
                case MAX, MIN -> {
                    Tensor pickA = op == BinaryOp.MAX ? a.ge(b) : a.le(b);
                    ga = a.requiresGrad ? g.mul(pickA).sumTo(a.shape) : null;
                    gb = b.requiresGrad ? g.mul(pickA.rsub(1f)).sumTo(b.shape) : null;
                }
            }
            return new Tensor[]{ga, gb};
        }, a, b);
    }

    static float applyBinary(int op, float x, float y) {
        return switch (op) {
            case 0 -> x + y;
            case 1 -> x - y;
            case 2 -> x * y;
            case 3 -> x / y;
            case 4 -> (float) Math.pow(x, y);
            case 5 -> Math.max(x, y);
            case 6 -> Math.min(x, y);
            default -> throw new IllegalStateException("binary op " + op);
        };
    }

    /** Sums this gradient down to {@code target}, undoing broadcasting. */
    Tensor sumTo(Shape target) {
        if (shape.equals(target)) return this;
        float[] r = new float[target.size()];
        Broadcast.reduceTo(data, shape, r, target);
        return new Tensor(r, target, null);
    }

    // ------------------------------------------------------------------ comparisons (no gradient)

    /** 1 where {@code this > other}, else 0. Not differentiable. */
    public Tensor gt(Tensor other) {
        return compare(other, "gt", 0);
    }

    public Tensor ge(Tensor other) {
        return compare(other, "ge", 1);
    }

    public Tensor lt(Tensor other) {
        return compare(other, "lt", 2);
    }

    public Tensor le(Tensor other) {
        return compare(other, "le", 3);
    }

    public Tensor eq(Tensor other) {
        return compare(other, "eq", 4);
    }

    public Tensor gt(float v) {
        return gt(scalar(v));
    }

    public Tensor lt(float v) {
        return lt(scalar(v));
    }

    public Tensor ge(float v) {
        return ge(scalar(v));
    }

    public Tensor le(float v) {
        return le(scalar(v));
    }

    public Tensor eq(float v) {
        return eq(scalar(v));
    }

    private Tensor compare(Tensor other, String name, int kind) {
        Shape out = Broadcast.shape(name, shape, other.shape);
        float[] r = new float[out.size()];
        Broadcast.apply(data, shape, other.data, other.shape, r, out, 100 + kind);
        return new Tensor(r, out, null);
    }

    static float applyCompare(int kind, float x, float y) {
        boolean v = switch (kind) {
            case 0 -> x > y;
            case 1 -> x >= y;
            case 2 -> x < y;
            case 3 -> x <= y;
            case 4 -> x == y;
            default -> throw new IllegalStateException("compare " + kind);
        };
        return v ? 1f : 0f;
    }

    // ------------------------------------------------------------------ unary element-wise

    /** A float → float function with its derivative, for unary ops. */
    private interface Unary {
        float f(float x);
    }

    private Tensor unary(String name, Unary forward, Backward backward) {
        float[] r = new float[data.length];
        for (int i = 0; i < r.length; i++) r[i] = forward.f(data[i]);
        return result(r, shape, name, backward, this);
    }

    /** Multiplies {@code g} element-wise by {@code derivative(x_i, y_i)}, without recording. */
    private Tensor chain(Tensor g, Tensor y, DerivativeRule rule) {
        float[] r = new float[data.length];
        float[] gd = g.data, yd = y.data;
        for (int i = 0; i < r.length; i++) r[i] = gd[i] * rule.d(data[i], yd[i]);
        return new Tensor(r, shape, null);
    }

    /** The derivative of y = f(x) at x, given both x and y (whichever is cheaper to use). */
    private interface DerivativeRule {
        float d(float x, float y);
    }

    private Tensor unary(String name, Unary forward, DerivativeRule derivative) {
        float[] r = new float[data.length];
        for (int i = 0; i < r.length; i++) r[i] = forward.f(data[i]);
        Tensor x = this;
        Tensor[] self = new Tensor[1];
        Tensor y = result(r, shape, name, g -> new Tensor[]{x.chain(g, self[0], derivative)}, this);
        self[0] = y;
        return y;
    }

    public Tensor neg() {
        return unary("neg", x -> -x, g -> new Tensor[]{g.neg()});
    }

    public Tensor exp() {
        return unary("exp", x -> (float) Math.exp(x), (x, y) -> y);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return unary("log", x -> (float) Math.log(x), (x, y) -> 1f / x);
    }

    public Tensor sqrt() {
        return unary("sqrt", x -> (float) Math.sqrt(x), (x, y) -> 0.5f / y);
    }

    /** Absolute value; its gradient at 0 is taken as 0. */
    public Tensor abs() {
        return unary("abs", Math::abs, (x, y) -> Math.signum(x));
    }

    /** Clamps into {@code [min, max]}; the gradient is 1 inside the range and 0 where clamped. */
    public Tensor clamp(float min, float max) {
        return unary("clamp", x -> Math.min(max, Math.max(min, x)),
                (x, y) -> x >= min && x <= max ? 1f : 0f);
    }

    // ------------------------------------------------------------------ activations

    /**
     * max(0, x), NaN staying NaN (as in PyTorch, so a diverged run shows); gradient 1 for x &gt; 0,
     * else 0 ({@link #reluSlope}).
     */
    public Tensor relu() {
        // written out rather than through unary(): the most common activation, on the hot path.
        // max() and reluSlope() rather than branches: the sign of x is random, and a mispredicted
        // branch per element cost 6-7 ns against 0.3-0.5 ns (C2 vectorises both)
        float[] r = new float[data.length];
        for (int i = 0; i < r.length; i++) r[i] = Math.max(data[i], 0f);
        float[] in = data;
        return result(r, shape, "relu", g -> {
            float[] gd = g.data, d = new float[in.length];
            for (int i = 0; i < d.length; i++) d[i] = gd[i] * reluSlope(in[i]);
            return new Tensor[]{new Tensor(d, shape, null)};
        }, this);
    }

    /**
     * ReLU's derivative at x, or at its output (the same sign): 1 for x &gt; 0, 0 for x ≤ 0, NaN
     * for NaN. Without a branch, so that a loop over it does not stall on mispredictions.
     */
    public static float reluSlope(float x) {
        return Math.max(Math.signum(x), 0f);
    }

    /** x for x &gt; 0, else slope·x. */
    public Tensor leakyRelu(float slope) {
        return unary("leaky_relu", x -> x > 0f ? x : slope * x, (x, y) -> x > 0f ? 1f : slope);
    }

    /** The logistic function 1 / (1 + e^-x), computed without overflow. */
    public Tensor sigmoid() {
        return unary("sigmoid", Tensor::sigmoid, (x, y) -> y * (1f - y));
    }

    /** The logistic function of one value, exactly as {@link #sigmoid()} computes each element. */
    public static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    public Tensor tanh() {
        return unary("tanh", x -> (float) Math.tanh(x), (x, y) -> 1f - y * y);
    }

    /** Heaviside step: 1 for x &gt;= 0, else 0. Its gradient is zero everywhere it exists. */
    public Tensor step() {
        return unary("step", x -> x >= 0f ? 1f : 0f, (x, y) -> 0f);
    }

    /** x for x &gt; 0, else alpha·(e^x − 1). */
    public Tensor elu(float alpha) {
        return unary("elu", x -> x > 0f ? x : alpha * (float) Math.expm1(x),
                (x, y) -> x > 0f ? 1f : y + alpha);
    }

    /** x·σ(x), also called Swish. */
    public Tensor silu() {
        return unary("silu", x -> x * sigmoid(x), (x, y) -> {
            float s = sigmoid(x);
            return s * (1f + x * (1f - s));
        });
    }

    /** ln(1 + e^x), computed stably as max(x, 0) + ln(1 + e^-|x|). */
    public Tensor softplus() {
        return unary("softplus", x -> Math.max(x, 0f) + (float) Math.log1p(Math.exp(-Math.abs(x))),
                (x, y) -> sigmoid(x));
    }

    /** Gaussian error linear unit, exact form x·Φ(x) with Φ the standard normal CDF. */
    public Tensor gelu() {
        return unary("gelu", x -> (float) (x * MathUtil.normalCdf(x)),
                (x, y) -> (float) (MathUtil.normalCdf(x) + x * MathUtil.normalPdf(x)));
    }

    // ------------------------------------------------------------------ shape manipulation

    /** The same data viewed with a new shape of equal size; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        int[] dims = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) throw new ShapeException("reshape: " + shape + " to " + Arrays.toString(newShape) + ": more than one -1");
                infer = i;
            } else {
                known *= dims[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new ShapeException("reshape: cannot infer -1 reshaping " + shape + " to " + Arrays.toString(newShape));
            }
            dims[infer] = data.length / known;
        }
        Shape s = Shape.of(dims);
        if (s.size() != data.length) {
            throw new ShapeException("reshape: " + shape + " (" + data.length + " elements) to " + s
                    + " (" + s.size() + " elements)");
        }
        Shape original = shape;
        return result(data, s, "reshape", g -> new Tensor[]{g.reshape(original.raw())}, this);
    }

    /** Swaps the last two dimensions (copying), e.g. {@code [m, n] → [n, m]}. */
    public Tensor transpose() {
        if (rank() < 2) {
            throw new ShapeException("transpose: needs at least 2 dimensions, got " + shape);
        }
        int m = shape.dim(-2), n = shape.dim(-1), batch = data.length / Math.max(1, m * n);
        float[] r = new float[data.length];
        for (int b = 0; b < batch; b++) {
            int off = b * m * n;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) r[off + j * m + i] = data[off + i * n + j];
        }
        int[] dims = shape.dims();
        dims[dims.length - 2] = n;
        dims[dims.length - 1] = m;
        return result(r, Shape.of(dims), "transpose", g -> new Tensor[]{g.transpose()}, this);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) along the first dimension. */
    public Tensor slice(int from, int to) {
        if (rank() == 0) throw new ShapeException("slice: cannot slice a scalar");
        int n = shape.dim(0);
        if (from < 0 || to > n || from > to) {
            throw new ShapeException("slice: rows " + from + ".." + to + " out of range for shape " + shape);
        }
        int row = shape.inner(0);
        float[] r = Arrays.copyOfRange(data, from * row, to * row);
        Shape original = shape;
        return result(r, shape.with(0, to - from), "slice", g -> {
            float[] full = new float[original.size()];
            System.arraycopy(g.data, 0, full, from * row, g.data.length);
            return new Tensor[]{new Tensor(full, original, null)};
        }, this);
    }

    /** The rows at the given indices along the first dimension (a mini-batch); repeats allowed. */
    public Tensor rows(int[] indices) {
        if (rank() == 0) throw new ShapeException("rows: cannot index a scalar");
        int n = shape.dim(0), row = shape.inner(0);
        float[] r = new float[indices.length * row];
        for (int i = 0; i < indices.length; i++) {
            int idx = indices[i];
            if (idx < 0 || idx >= n) {
                throw new ShapeException("rows: index " + idx + " out of range for shape " + shape);
            }
            System.arraycopy(data, idx * row, r, i * row, row);
        }
        Shape original = shape;
        int[] idx = indices.clone();
        return result(r, shape.with(0, indices.length), "rows", g -> {
            float[] full = new float[original.size()];
            for (int i = 0; i < idx.length; i++) {
                int base = idx[i] * row, src = i * row;
                for (int j = 0; j < row; j++) full[base + j] += g.data[src + j];
            }
            return new Tensor[]{new Tensor(full, original, null)};
        }, this);
    }

    /** Joins tensors along {@code axis}; all other dimensions must agree. */
    public static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) throw new ShapeException("concat: no tensors given");
        Shape first = parts.getFirst().shape;
        int ax = first.normalizeAxis(axis);
        int total = 0;
        for (Tensor t : parts) {
            if (t.rank() != first.rank()) {
                throw new ShapeException("concat: shapes " + shapes(parts) + " differ in rank");
            }
            for (int d = 0; d < first.rank(); d++) {
                if (d != ax && t.shape.dim(d) != first.dim(d)) {
                    throw new ShapeException("concat along axis " + axis + ": shapes " + shapes(parts)
                            + " differ in dimension " + d);
                }
            }
            total += t.shape.dim(ax);
        }
        Shape out = first.with(ax, total);
        int outer = first.outer(ax), inner = first.inner(ax);
        float[] r = new float[out.size()];
        int offset = 0;
        for (Tensor t : parts) {
            int len = t.shape.dim(ax) * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(t.data, o * len, r, o * total * inner + offset, len);
            }
            offset += len;
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        int width = total;
        return result(r, out, "concat", g -> {
            Tensor[] grads = new Tensor[inputs.length];
            int off = 0;
            for (int p = 0; p < inputs.length; p++) {
                Tensor t = inputs[p];
                int len = t.shape.dim(ax) * inner;
                float[] gp = new float[t.size()];
                for (int o = 0; o < outer; o++) System.arraycopy(g.data, o * width * inner + off, gp, o * len, len);
                grads[p] = new Tensor(gp, t.shape, null);
                off += len;
            }
            return grads;
        }, inputs);
    }

    private static String shapes(List<Tensor> parts) {
        return parts.stream().map(t -> t.shape.toString()).toList().toString();
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, as a scalar. */
    public Tensor sum() {
        double s = 0;
        for (float v : data) s += v;
        Shape original = shape;
        return result(new float[]{(float) s}, Shape.scalar(), "sum",
                g -> new Tensor[]{full(g.data[0], original.raw())}, this);
    }

    /** Mean of all elements, as a scalar. */
    public Tensor mean() {
        if (data.length == 0) throw new ShapeException("mean: tensor of shape " + shape + " is empty");
        return sum().div(data.length);
    }

    /** Sum along {@code axis}; with {@code keepDims} the axis stays with size 1. */
    public Tensor sum(int axis, boolean keepDims) {
        int ax = shape.normalizeAxis(axis);
        int outer = shape.outer(ax), len = shape.dim(ax), inner = shape.inner(ax);
        float[] r = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int a = 0; a < len; a++) {
                int src = (o * len + a) * inner, dst = o * inner;
                for (int i = 0; i < inner; i++) r[dst + i] += data[src + i];
            }
        }
        Shape kept = shape.with(ax, 1);
        Shape out = keepDims ? kept : shape.without(ax);
        Shape original = shape;
        return result(r, out, "sum", g -> new Tensor[]{
                new Tensor(g.data, kept, null).expandTo(original)}, this);
    }

    /** Mean along {@code axis}. */
    public Tensor mean(int axis, boolean keepDims) {
        int len = shape.dim(axis);
        if (len == 0) throw new ShapeException("mean: axis " + axis + " of shape " + shape + " is empty");
        return sum(axis, keepDims).div(len);
    }

    /** Maximum along {@code axis}; the gradient goes to the first position of the maximum. */
    public Tensor max(int axis, boolean keepDims) {
        int ax = shape.normalizeAxis(axis);
        int outer = shape.outer(ax), len = shape.dim(ax), inner = shape.inner(ax);
        if (len == 0) throw new ShapeException("max: axis " + axis + " of shape " + shape + " is empty");
        float[] r = new float[outer * inner];
        int[] arg = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                float bv = data[o * len * inner + i];
                for (int a = 1; a < len; a++) {
                    float v = data[(o * len + a) * inner + i];
                    if (v > bv || (Float.isNaN(v) && !Float.isNaN(bv))) {
                        bv = v;
                        best = a;
                    }
                }
                r[o * inner + i] = bv;
                arg[o * inner + i] = best;
            }
        }
        Shape out = keepDims ? shape.with(ax, 1) : shape.without(ax);
        Shape original = shape;
        return result(r, out, "max", g -> {
            float[] full = new float[original.size()];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    full[(o * len + arg[o * inner + i]) * inner + i] = g.data[o * inner + i];
            return new Tensor[]{new Tensor(full, original, null)};
        }, this);
    }

    /** Index of the maximum along the last axis for each row of a 2-D tensor. */
    public int[] argmaxRows() {
        requireRank(2, "argmaxRows");
        int n = shape.dim(0), d = shape.dim(1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < d; j++) if (data[i * d + j] > data[i * d + best]) best = j;
            out[i] = best;
        }
        return out;
    }

    /** Repeats size-1 dimensions of this tensor to reach {@code target} (the adjoint of sumTo). */
    private Tensor expandTo(Shape target) {
        float[] r = new float[target.size()];
        Broadcast.apply(data, shape, new float[]{0f}, Shape.scalar(), r, target, BinaryOp.ADD.ordinal());
        return new Tensor(r, target, null);
    }

    // ------------------------------------------------------------------ softmax family

    /** Softmax along the last axis, shifted by the row maximum so large inputs do not overflow. */
    public Tensor softmax() {
        if (rank() == 0) throw new ShapeException("softmax: needs at least 1 dimension, got a scalar");
        int d = shape.dim(-1), rows = data.length / Math.max(1, d);
        float[] r = new float[data.length];
        for (int i = 0; i < rows; i++) softmaxRow(data, r, i * d, d);
        return result(r, shape, "softmax", g -> {
            // dx = y ⊙ (g − Σ g⊙y)
            float[] dx = new float[r.length];
            for (int i = 0; i < rows; i++) {
                int off = i * d;
                double dot = 0;
                for (int j = 0; j < d; j++) dot += g.data[off + j] * r[off + j];
                for (int j = 0; j < d; j++) dx[off + j] = r[off + j] * (g.data[off + j] - (float) dot);
            }
            return new Tensor[]{new Tensor(dx, shape, null)};
        }, this);
    }

    static void softmaxRow(float[] in, float[] out, int off, int d) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) max = Math.max(max, in[off + j]);
        double sum = 0;
        for (int j = 0; j < d; j++) {
            float e = (float) Math.exp(in[off + j] - max);
            out[off + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < d; j++) out[off + j] *= inv;
    }

    /** log(softmax(x)) along the last axis, computed as x − max − log Σ e^(x − max). */
    public Tensor logSoftmax() {
        if (rank() == 0) throw new ShapeException("logSoftmax: needs at least 1 dimension, got a scalar");
        int d = shape.dim(-1), rows = data.length / Math.max(1, d);
        float[] r = new float[data.length];
        for (int i = 0; i < rows; i++) {
            int off = i * d;
            double lse = logSumExp(data, off, d);
            for (int j = 0; j < d; j++) r[off + j] = (float) (data[off + j] - lse);
        }
        return result(r, shape, "log_softmax", g -> {
            // dx = g − softmax · Σ g
            float[] dx = new float[r.length];
            for (int i = 0; i < rows; i++) {
                int off = i * d;
                double gs = 0;
                for (int j = 0; j < d; j++) gs += g.data[off + j];
                for (int j = 0; j < d; j++) dx[off + j] = g.data[off + j] - (float) Math.exp(r[off + j]) * (float) gs;
            }
            return new Tensor[]{new Tensor(dx, shape, null)};
        }, this);
    }

    /**
     * log Σ e^x over a row, in double: rounding it to float first would cost up to half a float ulp
     * of the row maximum (3e-5 at 1000, 5e-4 at 10⁴) in every x − lse that uses it.
     */
    static double logSumExp(float[] x, int off, int d) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) max = Math.max(max, x[off + j]);
        if (max == Float.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (int j = 0; j < d; j++) sum += Math.exp(x[off + j] - max);
        return max + Math.log(sum);
    }

    /**
     * Mean categorical cross-entropy of logits {@code [n, classes]} against integer class labels,
     * fused with softmax: −mean log softmax(z)[label]. Stable for large logits. Its gradient is
     * (softmax(z) − onehot(label)) / n.
     */
    public Tensor softmaxCrossEntropy(int[] labels) {
        requireRank(2, "softmaxCrossEntropy");
        int n = shape.dim(0), d = shape.dim(1);
        if (labels.length != n) {
            throw new ShapeException("softmaxCrossEntropy: logits " + shape + " but " + labels.length + " labels");
        }
        if (n == 0) throw new ShapeException("softmaxCrossEntropy: empty batch " + shape);
        double loss = 0;
        float[] probs = new float[data.length];
        for (int i = 0; i < n; i++) {
            int label = labels[i];
            if (label < 0 || label >= d) {
                throw new ShapeException("softmaxCrossEntropy: label " + label + " at row " + i
                        + " is outside 0.." + (d - 1) + " for logits " + shape);
            }
            int off = i * d;
            double lse = logSumExp(data, off, d);
            loss += lse - data[off + label];
            for (int j = 0; j < d; j++) probs[off + j] = (float) Math.exp(data[off + j] - lse);
        }
        int[] y = labels.clone();
        return result(new float[]{(float) (loss / n)}, Shape.scalar(), "softmax_cross_entropy", g -> {
            float scale = g.data[0] / n;
            float[] dx = new float[probs.length];
            for (int i = 0; i < n; i++) {
                int off = i * d;
                for (int j = 0; j < d; j++) dx[off + j] = probs[off + j] * scale;
                dx[off + y[i]] -= scale;
            }
            return new Tensor[]{new Tensor(dx, shape, null)};
        }, this);
    }

    // ------------------------------------------------------------------ matrix multiply

    /**
     * Matrix product. {@code [m, k] × [k, n] → [m, n]}; batched {@code [..., m, k] × [..., k, n]}
     * with equal leading dimensions, or {@code [..., m, k] × [k, n]} (the right side is shared).
     */
    public Tensor matmul(Tensor other) {
        if (rank() < 2 || other.rank() < 2) {
            throw new ShapeException("matmul: " + shape + " x " + other.shape + ": both sides need at least 2 dimensions");
        }
        int m = shape.dim(-2), k = shape.dim(-1), k2 = other.shape.dim(-2), n = other.shape.dim(-1);
        if (k != k2) {
            throw new ShapeException("matmul: " + shape + " x " + other.shape + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        if (other.rank() == 2) {
            // [..., m, k] x [k, n]: one GEMM over all leading rows
            int rows = shape.outer(rank() - 1);
            float[] r = new float[rows * n];
            Gemm.gemm(false, false, rows, n, k, data, 0, other.data, 0, r, 0, false);
            int[] dims = shape.dims();
            dims[dims.length - 1] = n;
            Tensor a = this, b = other;
            int allRows = rows;
            return result(r, Shape.of(dims), "matmul", g -> {
                Tensor ga = null, gb = null;
                if (a.requiresGrad) {
                    float[] d = new float[a.data.length];
                    Gemm.gemm(false, true, allRows, k, n, g.data, 0, b.data, 0, d, 0, false);
                    ga = new Tensor(d, a.shape, null);
                }
                if (b.requiresGrad) {
                    float[] d = new float[b.data.length];
                    Gemm.gemm(true, false, k, n, allRows, a.data, 0, g.data, 0, d, 0, false);
                    gb = new Tensor(d, b.shape, null);
                }
                return new Tensor[]{ga, gb};
            }, a, b);
        }
        if (rank() != other.rank()) {
            throw new ShapeException("matmul: " + shape + " x " + other.shape + ": batched operands need the same rank (or a 2-D right side)");
        }
        for (int i = 0; i < rank() - 2; i++) {
            if (shape.dim(i) != other.shape.dim(i)) {
                throw new ShapeException("matmul: " + shape + " x " + other.shape + ": batch dimension " + i + " differs ("
                        + shape.dim(i) + " vs " + other.shape.dim(i) + ")");
            }
        }
        int batch = shape.outer(rank() - 2);
        float[] r = new float[batch * m * n];
        for (int bi = 0; bi < batch; bi++) {
            Gemm.gemm(false, false, m, n, k, data, bi * m * k, other.data, bi * k * n, r, bi * m * n, false);
        }
        int[] dims = shape.dims();
        dims[dims.length - 1] = n;
        Tensor a = this, b = other;
        return result(r, Shape.of(dims), "matmul", g -> {
            Tensor ga = null, gb = null;
            if (a.requiresGrad) {
                float[] d = new float[a.data.length];
                for (int bi = 0; bi < batch; bi++)
                    Gemm.gemm(false, true, m, k, n, g.data, bi * m * n, b.data, bi * k * n, d, bi * m * k, false);
                ga = new Tensor(d, a.shape, null);
            }
            if (b.requiresGrad) {
                float[] d = new float[b.data.length];
                for (int bi = 0; bi < batch; bi++)
                    Gemm.gemm(true, false, k, n, m, a.data, bi * m * k, g.data, bi * m * n, d, bi * k * n, false);
                gb = new Tensor(d, b.shape, null);
            }
            return new Tensor[]{ga, gb};
        }, a, b);
    }

    /**
     * The fully-connected layer's affine map {@code z = x·Wᵀ + b} for {@code x [n, in]},
     * {@code weight [out, in]} and {@code bias [out]} (or null), in one fused operation.
     * Equal to {@code x.matmul(weight.transpose()).add(bias)}, without materialising the transpose.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() != 2 || weight.rank() != 2) {
            throw new ShapeException("linear: input " + x.shape + ", weight " + weight.shape
                    + ": input must be [batch, in] and weight [out, in]");
        }
        int n = x.shape.dim(0), in = x.shape.dim(1), out = weight.shape.dim(0);
        if (weight.shape.dim(1) != in) {
            throw new ShapeException("linear: input " + x.shape + " x weight " + weight.shape
                    + ": input has " + in + " features, weight expects " + weight.shape.dim(1));
        }
        if (bias != null && (bias.rank() != 1 || bias.shape.dim(0) != out)) {
            throw new ShapeException("linear: bias " + bias.shape + " does not match weight " + weight.shape
                    + " (expected [" + out + "])");
        }
        float[] z = new float[n * out];
        if (bias != null) {
            for (int i = 0; i < n; i++) System.arraycopy(bias.data, 0, z, i * out, out);
        }
        Gemm.gemm(false, true, n, out, in, x.data, 0, weight.data, 0, z, 0, bias != null);
        Tensor[] inputs = bias == null ? new Tensor[]{x, weight} : new Tensor[]{x, weight, bias};
        return result(z, Shape.of(n, out), "linear", g -> {
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad) {
                float[] d = new float[x.data.length];
                Gemm.gemm(false, false, n, in, out, g.data, 0, weight.data, 0, d, 0, false);
                gx = new Tensor(d, x.shape, null);
            }
            if (weight.requiresGrad) {
                float[] d = new float[weight.data.length];
                Gemm.gemm(true, false, out, in, n, g.data, 0, x.data, 0, d, 0, false);
                gw = new Tensor(d, weight.shape, null);
            }
            if (bias != null && bias.requiresGrad) {
                float[] d = new float[out];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < out; j++) d[j] += g.data[i * out + j];
                gb = new Tensor(d, bias.shape, null);
            }
            return bias == null ? new Tensor[]{gx, gw} : new Tensor[]{gx, gw, gb};
        }, inputs);
    }

    // ------------------------------------------------------------------ misc

    private void requireRank(int rank, String op) {
        if (rank() != rank) {
            throw new ShapeException(op + ": needs a " + rank + "-D tensor, got shape " + shape);
        }
    }

    /** Whether every value is finite (no NaN, no infinity). */
    public boolean isFinite() {
        for (float v : data) if (!Float.isFinite(v)) return false;
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape);
        if (node != null) sb.append(" op=").append(node.op);
        else if (requiresGrad) sb.append(" requiresGrad");
        sb.append(' ');
        int show = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < show; i++) {
            if (i > 0) sb.append(", ");
            sb.append(data[i]);
        }
        if (data.length > show) sb.append(", ...");
        return sb.append(']').toString();
    }
}
