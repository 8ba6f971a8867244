package dev.ganglion.nn;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scalar measure of how far predictions are from targets, averaged over the batch. A closed set.
 * Targets are {@code [batch, outputs]} floats, except that {@link CrossEntropy} also takes class
 * indices {@code [batch]} or {@code [batch, 1]}.
 *
 * <p>The binary cross-entropies work element-wise, so {@code [batch, k]} outputs with 0/1 targets
 * are k independent yes/no labels (multi-label classification). The cross-entropies take optional
 * class weights; the loss is then the weighted mean Σ wᵢ·ℓᵢ / Σ wᵢ, with wᵢ the weight of sample
 * i's class, as PyTorch's {@code weight} argument of {@code CrossEntropyLoss}.
 */
public sealed interface Loss {

    /** The mean loss of {@code prediction} against {@code target}. */
    Tensor compute(Tensor prediction, Tensor target);

    /** The canonical name, parseable by {@link #parse}: mse, mae, huber, bce, bce_logits, ce, with arguments where set. */
    String name();

    /**
     * Whether this loss, after the given output activation, is better computed from the layer's
     * pre-activation (logits): softmax then cross-entropy, sigmoid then binary cross-entropy.
     */
    default boolean fusesWith(Activation outputActivation) {
        return false;
    }

    /** The loss computed from logits when {@link #fusesWith} holds. */
    default Tensor computeFromLogits(Tensor logits, Tensor target) {
        throw new UnsupportedOperationException(name() + " does not fuse with an activation");
    }

    /**
     * Mean squared error, mean((ŷ − y)²), averaged over every element. The tutorials' per-sample
     * form ½(y − ŷ)² differs by the constant factor ½ (and by the averaging): the gradient has the
     * same direction, so the same training needs a learning rate twice as large here.
     */
    record MeanSquaredError() implements Loss {
        public Tensor compute(Tensor prediction, Tensor target) {
            checkSame("mse", prediction, target);
            Tensor d = prediction.sub(target);
            return d.mul(d).mean();
        }

        public String name() {
            return "mse";
        }
    }

    /** Mean absolute error, mean(|ŷ − y|). */
    record MeanAbsoluteError() implements Loss {
        public Tensor compute(Tensor prediction, Tensor target) {
            checkSame("mae", prediction, target);
            return prediction.sub(target).abs().mean();
        }

        public String name() {
            return "mae";
        }
    }

    /**
     * Huber loss (PyTorch's {@code HuberLoss}, default δ = 1): quadratic for small errors,
     * linear for large ones, so outliers pull less than with the squared error.
     * <pre>
     *   ℓ = ½·d²            for |d| &lt; δ        (d = ŷ − y)
     *   ℓ = δ·(|d| − ½·δ)   otherwise
     * </pre>
     * averaged over every element. Computed as ½·q² + δ·(|d| − q) with q = min(|d|, δ).
     */
    record Huber(float delta) implements Loss {
        public Huber {
            if (!(delta > 0f) || !Float.isFinite(delta)) throw new IllegalArgumentException("huber: delta must be > 0, got " + delta);
        }

        public Huber() {
            this(1f);
        }

        public Tensor compute(Tensor prediction, Tensor target) {
            checkSame(name(), prediction, target);
            Tensor a = prediction.sub(target).abs();
            Tensor q = a.minimum(Tensor.scalar(delta));
            return q.mul(q).mul(0.5f).add(a.sub(q).mul(delta)).mean();
        }

        public String name() {
            return delta == 1f ? "huber" : "huber(" + delta + ")";
        }
    }

    /**
     * Binary cross-entropy from probabilities: −mean(y·ln p + (1 − y)·ln(1 − p)), with p clamped to
     * [1e-7, 1 − 1e-7] so a confident mistake costs a large finite loss. After a sigmoid output it is
     * computed from the logits instead (the same value, without the clamp).
     *
     * <p>With class weights (w₀, w₁) each element's loss is weighted by the weight of its target's
     * class, w = w₀ + (w₁ − w₀)·y, and the loss is Σ w·ℓ / Σ w: the same as {@link CrossEntropy}
     * with weights (w₀, w₁) over the logits (0, z). Written {@code bce(w0,w1)}.
     *
     * @param classWeights empty (unweighted), or (w₀, w₁) for targets 0 and 1
     */
    record BinaryCrossEntropy(List<Float> classWeights) implements Loss {
        static final float EPS = 1e-7f;

        public BinaryCrossEntropy {
            classWeights = checkWeights("bce", classWeights, 2);
        }

        public BinaryCrossEntropy() {
            this(List.of());
        }

        public Tensor compute(Tensor prediction, Tensor target) {
            checkSame(name(), prediction, target);
            Tensor p = prediction.clamp(EPS, 1f - EPS);
            Tensor elements = target.mul(p.log()).add(target.rsub(1f).mul(p.rsub(1f).log())).neg();
            return binaryMean(elements, target, classWeights);
        }

        public boolean fusesWith(Activation outputActivation) {
            return outputActivation instanceof Activation.Sigmoid;
        }

        public Tensor computeFromLogits(Tensor logits, Tensor target) {
            return new BinaryCrossEntropyWithLogits(classWeights).compute(logits, target);
        }

        public String name() {
            return withWeights("bce", classWeights);
        }
    }

    /**
     * Binary cross-entropy from logits z: mean(softplus(z) − y·z), stable for any z. Class weights
     * as in {@link BinaryCrossEntropy}; written {@code bce_logits(w0,w1)}.
     *
     * @param classWeights empty (unweighted), or (w₀, w₁) for targets 0 and 1
     */
    record BinaryCrossEntropyWithLogits(List<Float> classWeights) implements Loss {
        public BinaryCrossEntropyWithLogits {
            classWeights = checkWeights("bce_logits", classWeights, 2);
        }

        public BinaryCrossEntropyWithLogits() {
            this(List.of());
        }

        public Tensor compute(Tensor logits, Tensor target) {
            checkSame(name(), logits, target);
            return binaryMean(logits.softplus().sub(logits.mul(target)), target, classWeights);
        }

        public String name() {
            return withWeights("bce_logits", classWeights);
        }
    }

    /** mean(ℓ), or Σ w·ℓ / Σ w with w = w₀ + (w₁ − w₀)·y. */
    private static Tensor binaryMean(Tensor elements, Tensor target, List<Float> classWeights) {
        if (classWeights.isEmpty()) return elements.mean();
        float w0 = classWeights.get(0), w1 = classWeights.get(1);
        float[] t = target.data(), w = new float[t.length];
        double total = 0;
        for (int i = 0; i < t.length; i++) {
            w[i] = w0 + (w1 - w0) * t[i];
            total += w[i];
        }
        return elements.mul(Tensor.of(w, target.shape().dims())).sum().div((float) total);
    }

    /**
     * Categorical cross-entropy from logits, fused with softmax: −mean Σ_c y_c·log softmax(z)_c.
     * Targets are class indices ({@code [batch]} or {@code [batch, 1]}) or one-hot / probability rows
     * ({@code [batch, classes]}). After a softmax output it is computed from the logits.
     *
     * <p>With class weights w (one per class) it is PyTorch's {@code CrossEntropyLoss(weight=w)}:
     * −Σᵢ w_{yᵢ}·log softmax(zᵢ)_{yᵢ} / Σᵢ w_{yᵢ}. Probability rows are weighted as
     * −Σᵢ Σ_c w_c·y_ic·log softmax(zᵢ)_c / Σᵢ Σ_c w_c·y_ic, which is the same for one-hot rows
     * (PyTorch divides soft targets by the batch size instead). Written {@code ce(w0,w1,...)}.
     *
     * @param classWeights empty (unweighted), or one weight ≥ 0 per class
     */
    record CrossEntropy(List<Float> classWeights) implements Loss {
        public CrossEntropy {
            classWeights = checkWeights("ce", classWeights, -1);
        }

        public CrossEntropy() {
            this(List.of());
        }

        public Tensor compute(Tensor logits, Tensor target) {
            if (logits.rank() != 2) {
                throw new ShapeException(name() + ": logits must be [batch, classes], got " + logits.shape());
            }
            int n = logits.shape().dim(0), classes = logits.shape().dim(1);
            if (!classWeights.isEmpty() && classWeights.size() != classes) {
                throw new ShapeException(name() + ": " + classWeights.size() + " class weights for logits " + logits.shape()
                        + " with " + classes + " classes");
            }
            if (target.rank() == 2 && target.shape().dim(1) == classes && classes > 1) {
                checkSame(name(), logits, target);
                if (classWeights.isEmpty()) return logits.logSoftmax().mul(target).sum().div(n).neg();
                return weighted(logits, target.mul(Tensor.of(weights(), classes)));
            }
            if (target.size() != n || target.rank() > 2) {
                throw new ShapeException(name() + ": logits " + logits.shape() + " need targets [" + n + "] (class indices) or ["
                        + n + ", " + classes + "] (one-hot), got " + target.shape());
            }
            int[] labels = classIndices(target, classes);
            if (classWeights.isEmpty()) return logits.softmaxCrossEntropy(labels);
            float[] m = new float[n * classes];
            for (int i = 0; i < n; i++) m[i * classes + labels[i]] = classWeights.get(labels[i]);
            return weighted(logits, Tensor.of(m, n, classes));
        }

        /** −Σ M ⊙ log softmax(z) / Σ M for a constant weight matrix M. */
        private static Tensor weighted(Tensor logits, Tensor m) {
            double total = 0;
            for (float v : m.data()) total += v;
            return logits.logSoftmax().mul(m).sum().div((float) total).neg();
        }

        private float[] weights() {
            float[] w = new float[classWeights.size()];
            for (int i = 0; i < w.length; i++) w[i] = classWeights.get(i);
            return w;
        }

        public boolean fusesWith(Activation outputActivation) {
            return outputActivation instanceof Activation.Softmax;
        }

        public Tensor computeFromLogits(Tensor logits, Tensor target) {
            return compute(logits, target);
        }

        public String name() {
            return withWeights("ce", classWeights);
        }
    }

    private static List<Float> checkWeights(String loss, List<Float> weights, int count) {
        List<Float> w = List.copyOf(weights);
        if (w.isEmpty()) return w;
        if (count > 0 && w.size() != count) {
            throw new IllegalArgumentException(loss + ": needs " + count + " class weights (for targets 0 and 1), got " + w.size());
        }
        boolean positive = false;
        for (float v : w) {
            if (!(v >= 0f) || !Float.isFinite(v)) throw new IllegalArgumentException(loss + ": class weights must be >= 0, got " + w);
            positive |= v > 0f;
        }
        if (!positive) throw new IllegalArgumentException(loss + ": class weights are all zero");
        return w;
    }

    private static String withWeights(String name, List<Float> weights) {
        if (weights.isEmpty()) return name;
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < weights.size(); i++) sb.append(i > 0 ? "," : "").append(weights.get(i));
        return sb.append(')').toString();
    }

    private static int[] classIndices(Tensor target, int classes) {
        float[] t = target.data();
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            int c = (int) t[i];
            if (c != t[i] || c < 0 || c >= classes) {
                throw new IllegalArgumentException("ce: target " + t[i] + " at row " + i
                        + " is not a class index in 0.." + (classes - 1));
            }
            out[i] = c;
        }
        return out;
    }

    private static void checkSame(String loss, Tensor prediction, Tensor target) {
        if (!prediction.shape().equals(target.shape())) {
            throw new ShapeException(loss + ": prediction " + prediction.shape() + " and target " + target.shape() + " differ");
        }
    }

    String NAMES = "mse, mae, huber, huber(DELTA), bce, bce(W0,W1), bce_logits, bce_logits(W0,W1), ce, ce(W0,W1,...)";

    /**
     * Parses a loss name; also accepts the long forms (binary_crossentropy, categorical_crossentropy…).
     * Arguments in parentheses: Huber's δ ({@code huber(2.0)}) and class weights
     * ({@code ce(1,5,2)}, {@code bce(1,4)}).
     */
    static Loss parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        List<Float> args = new ArrayList<>();
        int open = s.indexOf('(');
        if (open >= 0) {
            if (!s.endsWith(")")) throw new IllegalArgumentException("loss \"" + text + "\": missing ')'");
            for (String a : s.substring(open + 1, s.length() - 1).split(",")) {
                try {
                    args.add(Float.parseFloat(a.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("loss \"" + text + "\": \"" + a.trim() + "\" is not a number");
                }
            }
            s = s.substring(0, open).trim();
        }
        // '-' may be written for '_' in the name only: in the arguments it is a minus sign
        Loss loss = switch (s.replace('-', '_')) {
            case "mse", "mean_squared_error" -> new MeanSquaredError();
            case "mae", "mean_absolute_error" -> new MeanAbsoluteError();
            case "huber", "huber_loss" -> args.size() == 1 ? new Huber(args.getFirst()) : new Huber();
            case "bce", "binary_crossentropy", "binary_cross_entropy", "log_loss" -> new BinaryCrossEntropy(args);
            case "bce_logits", "bce_with_logits" -> new BinaryCrossEntropyWithLogits(args);
            case "ce", "cross_entropy", "categorical_crossentropy", "categorical_cross_entropy",
                 "sparse_categorical_crossentropy" -> new CrossEntropy(args);
            default -> throw new IllegalArgumentException("unknown loss \"" + text + "\"; known: " + NAMES);
        };
        boolean argsAllowed = loss instanceof Huber ? args.size() <= 1
                : loss instanceof BinaryCrossEntropy || loss instanceof BinaryCrossEntropyWithLogits || loss instanceof CrossEntropy;
        if (!args.isEmpty() && !argsAllowed) {
            throw new IllegalArgumentException("loss \"" + text + "\" takes " + (loss instanceof Huber ? "one parameter (delta)" : "no parameters"));
        }
        return loss;
    }
}
