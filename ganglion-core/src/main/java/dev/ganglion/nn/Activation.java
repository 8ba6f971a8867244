package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;

import java.util.Locale;

/**
 * The non-linearity a = f(z) applied after a layer's affine map. A closed set: each has a
 * canonical name used in configuration files and on the command line, e.g. {@code relu} or
 * {@code leaky_relu(0.2)}.
 */
public sealed interface Activation {

    /** Applies the activation element-wise (softmax: along the last axis). */
    Tensor apply(Tensor z);

    /** The canonical name, parseable by {@link #parse}. */
    String name();

    /** f(z) = z. */
    record Linear() implements Activation {
        public Tensor apply(Tensor z) {
            return z;
        }

        public String name() {
            return "linear";
        }
    }

    /** Heaviside step, 1 for z ≥ 0 else 0, as in the classic perceptron. Its gradient is zero. */
    record Step() implements Activation {
        public Tensor apply(Tensor z) {
            return z.step();
        }

        public String name() {
            return "step";
        }
    }

    /** The logistic function 1 / (1 + e^−z). */
    record Sigmoid() implements Activation {
        public Tensor apply(Tensor z) {
            return z.sigmoid();
        }

        public String name() {
            return "sigmoid";
        }
    }

    record Tanh() implements Activation {
        public Tensor apply(Tensor z) {
            return z.tanh();
        }

        public String name() {
            return "tanh";
        }
    }

    /** max(0, z). */
    record Relu() implements Activation {
        public Tensor apply(Tensor z) {
            return z.relu();
        }

        public String name() {
            return "relu";
        }
    }

    /** z for z &gt; 0, else slope·z (default slope 0.01). */
    record LeakyRelu(float slope) implements Activation {
        public LeakyRelu {
            if (!(slope >= 0f && slope < 1f)) {
                throw new IllegalArgumentException("leaky_relu: slope must be in [0, 1), got " + slope);
            }
        }

        public Tensor apply(Tensor z) {
            return z.leakyRelu(slope);
        }

        public String name() {
            return slope == 0.01f ? "leaky_relu" : "leaky_relu(" + slope + ")";
        }
    }

    /** e^z / Σ e^z along the last axis (numerically stable). */
    record Softmax() implements Activation {
        public Tensor apply(Tensor z) {
            return z.softmax();
        }

        public String name() {
            return "softmax";
        }
    }

    /** z·Φ(z), the exact Gaussian error linear unit. */
    record Gelu() implements Activation {
        public Tensor apply(Tensor z) {
            return z.gelu();
        }

        public String name() {
            return "gelu";
        }
    }

    /** z for z &gt; 0, else alpha·(e^z − 1) (default alpha 1). */
    record Elu(float alpha) implements Activation {
        public Elu {
            if (!(alpha > 0f)) throw new IllegalArgumentException("elu: alpha must be > 0, got " + alpha);
        }

        public Tensor apply(Tensor z) {
            return z.elu(alpha);
        }

        public String name() {
            return alpha == 1f ? "elu" : "elu(" + alpha + ")";
        }
    }

    /** z·σ(z), also called Swish. */
    record Silu() implements Activation {
        public Tensor apply(Tensor z) {
            return z.silu();
        }

        public String name() {
            return "silu";
        }
    }

    /** ln(1 + e^z). */
    record Softplus() implements Activation {
        public Tensor apply(Tensor z) {
            return z.softplus();
        }

        public String name() {
            return "softplus";
        }
    }

    /** Every accepted name, for help texts and error messages. */
    String NAMES = "linear, step, sigmoid, tanh, relu, leaky_relu, leaky_relu(SLOPE), softmax, gelu, elu, elu(ALPHA), silu, softplus";

    /**
     * Parses a name such as {@code relu}, {@code logistic} (= sigmoid), {@code swish} (= silu),
     * {@code identity} (= linear) or {@code leaky_relu(0.2)}.
     */
    static Activation parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        String arg = null;
        int open = s.indexOf('(');
        if (open >= 0 && s.endsWith(")")) {
            arg = s.substring(open + 1, s.length() - 1).trim();
            s = s.substring(0, open).trim();
        }
        // '-' may be written for '_' in the name only: in the argument it is a minus sign (1e-3)
        s = s.replace('-', '_');
        Activation a = switch (s) {
            case "linear", "identity", "none" -> new Linear();
            case "step", "heaviside" -> new Step();
            case "sigmoid", "logistic" -> new Sigmoid();
            case "tanh" -> new Tanh();
            case "relu" -> new Relu();
            case "leaky_relu", "leakyrelu" -> new LeakyRelu(arg == null ? 0.01f : number(text, arg));
            case "softmax" -> new Softmax();
            case "gelu" -> new Gelu();
            case "elu" -> new Elu(arg == null ? 1f : number(text, arg));
            case "silu", "swish" -> new Silu();
            case "softplus" -> new Softplus();
            default -> throw new IllegalArgumentException("unknown activation \"" + text + "\"; known: " + NAMES);
        };
        if (arg != null && !(a instanceof LeakyRelu) && !(a instanceof Elu)) {
            throw new IllegalArgumentException("activation \"" + text + "\" takes no parameter");
        }
        return a;
    }

    private static float number(String text, String arg) {
        try {
            return Float.parseFloat(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("activation \"" + text + "\": \"" + arg + "\" is not a number");
        }
    }
}
