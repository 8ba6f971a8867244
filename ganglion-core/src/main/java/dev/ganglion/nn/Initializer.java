package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How a parameter's first values are drawn. {@code fanIn} and {@code fanOut} are the layer's input
 * and output widths; the scaled schemes (Glorot, He) use them to keep activations' variance stable
 * from layer to layer.
 */
public sealed interface Initializer {

    /** A tensor of {@code shape} with initial values. */
    Tensor create(RandomGenerator rng, int fanIn, int fanOut, int... shape);

    /** The canonical name, parseable by {@link #parse}. */
    String name();

    /** Uniform on [low, high); {@code Uniform(0, 1)} is NumPy's {@code np.random.rand}, as the classic tutorials use. */
    record Uniform(float low, float high) implements Initializer {
        public Uniform {
            if (!(low < high)) throw new IllegalArgumentException("uniform: need low < high, got " + low + ", " + high);
        }

        public Tensor create(RandomGenerator rng, int fanIn, int fanOut, int... shape) {
            return Tensor.uniform(rng, low, high, shape);
        }

        public String name() {
            return low == 0f && high == 1f ? "rand" : "uniform(" + low + "," + high + ")";
        }
    }

    /** Normal with the given mean and standard deviation. */
    record Normal(float mean, float std) implements Initializer {
        public Normal {
            if (!(std >= 0f)) throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        }

        public Tensor create(RandomGenerator rng, int fanIn, int fanOut, int... shape) {
            return Tensor.normal(rng, mean, std, shape);
        }

        public String name() {
            return "normal(" + mean + "," + std + ")";
        }
    }

    /** Glorot/Xavier uniform: U(±√(6 / (fanIn + fanOut))). Suits tanh, sigmoid, softmax and linear layers. */
    record XavierUniform() implements Initializer {
        public Tensor create(RandomGenerator rng, int fanIn, int fanOut, int... shape) {
            float limit = (float) Math.sqrt(6.0 / Math.max(1, fanIn + fanOut));
            return Tensor.uniform(rng, -limit, limit, shape);
        }

        public String name() {
            return "xavier_uniform";
        }
    }

    /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
    record XavierNormal() implements Initializer {
        public Tensor create(RandomGenerator rng, int fanIn, int fanOut, int... shape) {
            return Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / Math.max(1, fanIn + fanOut)), shape);
        }

        public String name() {
            return "xavier_normal";
        }
    }

    /** He/Kaiming uniform: U(±√(6 / fanIn)). Suits ReLU-family layers. */
    record HeUniform() implements Initializer {
        public Tensor create(RandomGenerator rng, int fanIn, int fanOut, int... shape) {
            float limit = (float) Math.sqrt(6.0 / Math.max(1, fanIn));
            return Tensor.uniform(rng, -limit, limit, shape);
        }

        public String name() {
            return "he_uniform";
        }
    }

    /** He/Kaiming normal: N(0, 2 / fanIn). */
    record HeNormal() implements Initializer {
        public Tensor create(RandomGenerator rng, int fanIn, int fanOut, int... shape) {
            return Tensor.normal(rng, 0f, (float) Math.sqrt(2.0 / Math.max(1, fanIn)), shape);
        }

        public String name() {
            return "he_normal";
        }
    }

    /** Every value equal to {@code value} ({@code zeros} is 0). */
    record Constant(float value) implements Initializer {
        public Tensor create(RandomGenerator rng, int fanIn, int fanOut, int... shape) {
            return Tensor.full(value, shape);
        }

        public String name() {
            return value == 0f ? "zeros" : "constant(" + value + ")";
        }
    }

    /** The default weight initializer for a layer followed by {@code activation}. */
    static Initializer defaultFor(Activation activation) {
        return switch (activation) {
            case Activation.Relu r -> new HeUniform();
            case Activation.LeakyRelu r -> new HeUniform();
            case Activation.Elu e -> new HeUniform();
            case Activation.Gelu g -> new HeUniform();
            case Activation.Silu s -> new HeUniform();
            case Activation.Softplus s -> new HeUniform();
            default -> new XavierUniform();
        };
    }

    String NAMES = "rand, uniform(LOW,HIGH), normal(MEAN,STD), xavier_uniform, xavier_normal, he_uniform, he_normal, zeros, constant(V)";

    /** Parses e.g. {@code he_normal}, {@code glorot_uniform}, {@code kaiming_uniform}, {@code rand}, {@code uniform(-0.5,0.5)}. */
    static Initializer parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        String[] args = new String[0];
        int open = s.indexOf('(');
        if (open >= 0 && s.endsWith(")")) {
            args = s.substring(open + 1, s.length() - 1).split(",");
            s = s.substring(0, open);
        }
        // '-' may be written for '_' in the name only: in the arguments it is a minus sign
        s = s.replace('-', '_');
        Initializer init = switch (s) {
            case "rand", "uniform01" -> new Uniform(0f, 1f);
            case "uniform" -> args.length == 2 ? new Uniform(num(text, args[0]), num(text, args[1])) : bad(text);
            case "normal" -> args.length == 2 ? new Normal(num(text, args[0]), num(text, args[1])) : bad(text);
            case "xavier_uniform", "glorot_uniform", "xavier", "glorot" -> new XavierUniform();
            case "xavier_normal", "glorot_normal" -> new XavierNormal();
            case "he_uniform", "kaiming_uniform", "he", "kaiming" -> new HeUniform();
            case "he_normal", "kaiming_normal" -> new HeNormal();
            case "zeros", "zero" -> new Constant(0f);
            case "constant" -> args.length == 1 ? new Constant(num(text, args[0])) : bad(text);
            default -> bad(text);
        };
        boolean takesArguments = s.equals("uniform") || s.equals("normal") || s.equals("constant");
        if (args.length > 0 && !takesArguments) {
            throw new IllegalArgumentException("initializer \"" + text + "\" takes no parameter; known: " + NAMES);
        }
        return init;
    }

    private static Initializer bad(String text) {
        throw new IllegalArgumentException("unknown initializer \"" + text + "\"; known: " + NAMES);
    }

    private static float num(String text, String arg) {
        try {
            return Float.parseFloat(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("initializer \"" + text + "\": \"" + arg + "\" is not a number");
        }
    }
}
