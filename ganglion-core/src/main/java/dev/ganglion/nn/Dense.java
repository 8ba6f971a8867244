package dev.ganglion.nn;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * A fully-connected layer of {@code units} neurons: {@code z = x·Wᵀ + b}, {@code a = activation(z)}.
 * Neuron j computes {@code z_j = Σ_i W[j,i]·x_i + b_j}.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input {@code [batch, inFeatures]}, output {@code [batch, units]}</li>
 *   <li>{@code weight [units, inFeatures]} (PyTorch's layout), {@code bias [units]}</li>
 * </ul>
 */
public final class Dense extends Module {
    private final int inFeatures;
    private final int units;
    private final Activation activation;
    private final Tensor weight;
    private final Tensor bias;

    /** The values a forward pass computed, for inspection: Z before and A after the activation. */
    public record Trace(Tensor z, Tensor a) {
    }

    /**
     * @param inFeatures width of the input
     * @param units      number of neurons (width of the output)
     * @param activation applied to z
     * @param weightInit initial weights; {@link Initializer#defaultFor} picks by activation
     * @param biasInit   initial biases, usually zeros
     * @param rng        source of randomness for the initial values
     */
    public Dense(int inFeatures, int units, Activation activation, Initializer weightInit,
                 Initializer biasInit, RandomGenerator rng) {
        if (inFeatures <= 0) throw new IllegalArgumentException("Dense: inFeatures must be > 0, got " + inFeatures);
        if (units <= 0) throw new IllegalArgumentException("Dense: units must be > 0, got " + units);
        this.inFeatures = inFeatures;
        this.units = units;
        this.activation = activation;
        this.weight = registerParameter("weight", weightInit.create(rng, inFeatures, units, units, inFeatures));
        this.bias = registerParameter("bias", biasInit.create(rng, inFeatures, units, units));
    }

    /** A layer with the default initializer for its activation and zero biases. */
    public Dense(int inFeatures, int units, Activation activation, RandomGenerator rng) {
        this(inFeatures, units, activation, Initializer.defaultFor(activation), new Initializer.Constant(0f), rng);
    }

    /**
     * {@code activation(x·Wᵀ + b)}. Without a graph to record (inference, {@code NoGrad}), the
     * activation is applied in place on z's fresh storage: one array and one pass fewer per layer.
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor z = preActivation(input);
        if (!z.requiresGrad() && ActivationKernels.supports(activation)) {
            ActivationKernels.apply(activation, z.data(), z.size());
            return z;
        }
        return activation.apply(z);
    }

    /** z = x·Wᵀ + b, before the activation. */
    public Tensor preActivation(Tensor input) {
        if (input.rank() != 2 || input.shape().dim(1) != inFeatures) {
            throw new ShapeException("Dense(" + inFeatures + " -> " + units + "): expected input [batch, "
                    + inFeatures + "], got " + input.shape());
        }
        return Tensor.linear(input, weight, bias);
    }

    /** Both Z and A for {@code input}. */
    public Trace trace(Tensor input) {
        Tensor z = preActivation(input);
        return new Trace(z, activation.apply(z));
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "Dense(" + inFeatures + " -> " + units + ", " + activation.name() + ")";
    }
}
