package dev.ganglion.nn;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

import java.util.Locale;

/**
 * A scalar measure of how far predictions are from targets, averaged over the batch. A closed set.
 * Targets are {@code [batch, outputs]} floats, except that {@link CrossEntropy} also takes class
 * indices {@code [batch]} or {@code [batch, 1]}.
 */
public sealed interface Loss {

    /** The mean loss of {@code prediction} against {@code target}. */
    Tensor compute(Tensor prediction, Tensor target);

    /** The canonical name: mse, mae, bce, bce_logits, ce. */
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
     * Binary cross-entropy from probabilities: −mean(y·ln p + (1 − y)·ln(1 − p)), with p clamped to
     * [1e-7, 1 − 1e-7] so a confident mistake costs a large finite loss. After a sigmoid output it is
     * computed from the logits instead (the same value, without the clamp).
     */
    record BinaryCrossEntropy() implements Loss {
        static final float EPS = 1e-7f;

        public Tensor compute(Tensor prediction, Tensor target) {
            checkSame("bce", prediction, target);
            Tensor p = prediction.clamp(EPS, 1f - EPS);
            return target.mul(p.log()).add(target.rsub(1f).mul(p.rsub(1f).log())).mean().neg();
        }

        public boolean fusesWith(Activation outputActivation) {
            return outputActivation instanceof Activation.Sigmoid;
        }

        public Tensor computeFromLogits(Tensor logits, Tensor target) {
            return new BinaryCrossEntropyWithLogits().compute(logits, target);
        }

        public String name() {
            return "bce";
        }
    }

    /** Binary cross-entropy from logits z: mean(softplus(z) − y·z), stable for any z. */
    record BinaryCrossEntropyWithLogits() implements Loss {
        public Tensor compute(Tensor logits, Tensor target) {
            checkSame("bce_logits", logits, target);
            return logits.softplus().sub(logits.mul(target)).mean();
        }

        public String name() {
            return "bce_logits";
        }
    }

    /**
     * Categorical cross-entropy from logits, fused with softmax: −mean Σ_c y_c·log softmax(z)_c.
     * Targets are class indices ({@code [batch]} or {@code [batch, 1]}) or one-hot / probability rows
     * ({@code [batch, classes]}). After a softmax output it is computed from the logits.
     */
    record CrossEntropy() implements Loss {
        public Tensor compute(Tensor logits, Tensor target) {
            if (logits.rank() != 2) {
                throw new ShapeException("ce: logits must be [batch, classes], got " + logits.shape());
            }
            int n = logits.shape().dim(0), classes = logits.shape().dim(1);
            if (target.rank() == 2 && target.shape().dim(1) == classes && classes > 1) {
                checkSame("ce", logits, target);
                return logits.logSoftmax().mul(target).sum().div(n).neg();
            }
            if (target.size() != n || target.rank() > 2) {
                throw new ShapeException("ce: logits " + logits.shape() + " need targets [" + n + "] (class indices) or ["
                        + n + ", " + classes + "] (one-hot), got " + target.shape());
            }
            return logits.softmaxCrossEntropy(classIndices(target, classes));
        }

        public boolean fusesWith(Activation outputActivation) {
            return outputActivation instanceof Activation.Softmax;
        }

        public Tensor computeFromLogits(Tensor logits, Tensor target) {
            return compute(logits, target);
        }

        public String name() {
            return "ce";
        }
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

    String NAMES = "mse, mae, bce, bce_logits, ce";

    /** Parses a loss name; also accepts the long forms (binary_crossentropy, categorical_crossentropy…). */
    static Loss parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "mse", "mean_squared_error" -> new MeanSquaredError();
            case "mae", "mean_absolute_error" -> new MeanAbsoluteError();
            case "bce", "binary_crossentropy", "binary_cross_entropy", "log_loss" -> new BinaryCrossEntropy();
            case "bce_logits", "bce_with_logits" -> new BinaryCrossEntropyWithLogits();
            case "ce", "cross_entropy", "categorical_crossentropy", "categorical_cross_entropy",
                 "sparse_categorical_crossentropy" -> new CrossEntropy();
            default -> throw new IllegalArgumentException("unknown loss \"" + text + "\"; known: " + NAMES);
        };
    }
}
