package dev.ganglion.nn;

import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

/**
 * Layer normalisation over the last dimension (Ba, Kiros &amp; Hinton, 2016), as PyTorch's
 * {@code LayerNorm(features)}: each sample is normalised by its own statistics, so it behaves the
 * same in training and evaluation and for any batch size.
 * <pre>
 *   μ = mean over the last dimension, σ² = mean((x − μ)²) over it (biased)
 *   y = γ ⊙ (x − μ) / √(σ² + ε) + β
 * </pre>
 * Built from tensor primitives. Defaults: ε = 1e-5, γ = 1, β = 0.
 *
 * <h2>Shapes</h2>
 * <ul>
 *   <li>input and output {@code [..., features]}</li>
 *   <li>parameters {@code weight} (γ) and {@code bias} (β), {@code [features]}</li>
 * </ul>
 */
public final class LayerNorm extends Module {
    private final int features;
    private final float epsilon;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(int features) {
        this(features, 1e-5f);
    }

    public LayerNorm(int features, float epsilon) {
        if (features <= 0) throw new IllegalArgumentException("LayerNorm: features must be > 0, got " + features);
        if (!(epsilon > 0f)) throw new IllegalArgumentException("LayerNorm: epsilon must be > 0, got " + epsilon);
        this.features = features;
        this.epsilon = epsilon;
        this.weight = registerParameter("weight", Tensor.ones(features));
        this.bias = registerParameter("bias", Tensor.zeros(features));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 1 || x.shape().dim(-1) != features) {
            throw new ShapeException("LayerNorm(" + features + "): expected input [..., " + features + "], got " + x.shape());
        }
        Tensor centred = x.sub(x.mean(-1, true));
        Tensor variance = centred.mul(centred).mean(-1, true);
        return centred.div(variance.add(epsilon).sqrt()).mul(weight).add(bias);
    }

    public int features() {
        return features;
    }

    /** ε, added to the variance before the square root. */
    public float epsilon() {
        return epsilon;
    }

    /** γ, the learned scale. */
    public Tensor weight() {
        return weight;
    }

    /** β, the learned shift. */
    public Tensor bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "LayerNorm(" + features + ")";
    }
}
