package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Inverted dropout (Srivastava et al., JMLR 2014): in training mode each element is zeroed with
 * probability p and the survivors are scaled by 1/(1 − p), so the expected output equals the
 * input; in evaluation mode ({@code train(false)}) it is the identity.
 * <pre>
 *   training:   y = x ⊙ m / (1 − p),   m_i ~ Bernoulli(1 − p), a fresh mask every forward pass
 *   evaluation: y = x
 * </pre>
 * The gradient is the same mask: ∂y/∂x = m / (1 − p). Any input shape. No parameters.
 *
 * <p>It counts the random numbers it has drawn ({@link #draws()}), so a resumed training run can
 * bring a freshly seeded layer to the same position ({@link #advanceTo}) and draw the same masks.
 */
public final class Dropout extends Module {
    private final float rate;
    private final RandomGenerator rng;
    private long draws;

    /**
     * @param rate p, the probability of dropping an element, in [0, 1)
     * @param rng  draws the masks (seed it for reproducible training)
     */
    public Dropout(float rate, RandomGenerator rng) {
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
        this.rate = rate;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || rate == 0f) return input;
        float keep = 1f / (1f - rate);
        float[] mask = new float[input.size()];
        for (int i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() >= rate ? keep : 0f;
        draws += mask.length;
        return input.mul(Tensor.of(mask, input.shape().dims()));
    }

    /** How many random numbers this layer has drawn since it was made. */
    public long draws() {
        return draws;
    }

    /**
     * Draws and discards numbers until {@link #draws()} is {@code position}: a layer made with the
     * same generator then continues with the same masks as the one that had drawn that many.
     *
     * @throws IllegalArgumentException if this layer has already drawn more than {@code position}
     */
    public void advanceTo(long position) {
        if (position < draws) {
            throw new IllegalArgumentException("Dropout: cannot go back from " + draws + " draws to " + position);
        }
        for (; draws < position; draws++) rng.nextFloat();
    }

    public float rate() {
        return rate;
    }

    @Override
    public String toString() {
        return "Dropout(" + rate + ")";
    }
}
