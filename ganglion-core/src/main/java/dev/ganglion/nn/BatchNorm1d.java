package dev.ganglion.nn;

import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;

/**
 * Batch normalisation over a batch of feature vectors (Ioffe &amp; Szegedy, ICML 2015), as PyTorch's
 * {@code BatchNorm1d}:
 * <pre>
 *   training:   μ = mean over the batch, σ² = mean((x − μ)²) over the batch (biased)
 *               y = γ ⊙ (x − μ) / √(σ² + ε) + β
 *               running_mean ← (1 − m)·running_mean + m·μ
 *               running_var  ← (1 − m)·running_var  + m·σ²·n/(n − 1)   (unbiased)
 *   evaluation: y = γ ⊙ (x − running_mean) / √(running_var + ε) + β
 * </pre>
 * Built from tensor primitives, so in training mode the gradient flows through μ and σ² as well.
 * Defaults: ε = 1e-5, momentum m = 0.1, γ = 1, β = 0, running mean 0, running variance 1.
 *
 * <h2>Shapes and state</h2>
 * <ul>
 *   <li>input and output {@code [batch, features]}; training needs a batch of at least 2</li>
 *   <li>parameters {@code weight} (γ) and {@code bias} (β), {@code [features]}</li>
 *   <li>buffers {@code running_mean} and {@code running_var}, {@code [features]}</li>
 * </ul>
 * The names are PyTorch's, so a state dict loads into {@code torch.nn.BatchNorm1d} (which also
 * expects {@code num_batches_tracked}; load with {@code strict=False}).
 */
public final class BatchNorm1d extends Module {
    private final int features;
    private final float epsilon;
    private final float momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;

    public BatchNorm1d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    /**
     * @param features the width of the input
     * @param epsilon  ε &gt; 0, added to the variance
     * @param momentum m in [0, 1], the weight of the current batch in the running statistics
     */
    public BatchNorm1d(int features, float epsilon, float momentum) {
        if (features <= 0) throw new IllegalArgumentException("BatchNorm1d: features must be > 0, got " + features);
        if (!(epsilon > 0f)) throw new IllegalArgumentException("BatchNorm1d: epsilon must be > 0, got " + epsilon);
        if (!(momentum >= 0f && momentum <= 1f)) throw new IllegalArgumentException("BatchNorm1d: momentum must be in [0, 1], got " + momentum);
        this.features = features;
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.weight = registerParameter("weight", Tensor.ones(features));
        this.bias = registerParameter("bias", Tensor.zeros(features));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(features));
        this.runningVar = registerBuffer("running_var", Tensor.ones(features));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.shape().dim(1) != features) {
            throw new ShapeException("BatchNorm1d(" + features + "): expected input [batch, " + features + "], got " + x.shape());
        }
        Tensor normalised;
        if (isTraining()) {
            int n = x.shape().dim(0);
            if (n < 2) {
                throw new ShapeException("BatchNorm1d(" + features + "): training needs more than one sample per batch to "
                        + "estimate a variance, got " + x.shape() + "; use a larger batch or evaluation mode");
            }
            Tensor mean = x.mean(0, true);
            Tensor centred = x.sub(mean);
            Tensor variance = centred.mul(centred).mean(0, true);
            normalised = centred.div(variance.add(epsilon).sqrt());
            updateRunningStatistics(mean, variance, n);
        } else {
            normalised = x.sub(runningMean).div(runningVar.add(epsilon).sqrt());
        }
        return normalised.mul(weight).add(bias);
    }

    private void updateRunningStatistics(Tensor mean, Tensor variance, int n) {
        try (var scope = NoGrad.enter()) {
            float[] rm = runningMean.data(), rv = runningVar.data(), mu = mean.data(), var = variance.data();
            float unbias = (float) n / (n - 1);
            for (int j = 0; j < features; j++) {
                rm[j] = (1f - momentum) * rm[j] + momentum * mu[j];
                rv[j] = (1f - momentum) * rv[j] + momentum * var[j] * unbias;
            }
        }
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

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public String toString() {
        return "BatchNorm1d(" + features + ")";
    }
}
