package dev.ganglion.optim.schedule;

import dev.ganglion.optim.Optimizer;

/**
 * Linear warm-up, then cosine annealing from the base rate η₀ down to η_min (Loshchilov &amp;
 * Hutter, "SGDR", 2017, without restarts). Over steps s = 0 … T − 1 with W warm-up steps:
 * <pre>
 *   s &lt; W:       η_s = η₀ · (s + 1) / (W + 1)
 *   W ≤ s &lt; T:   η_s = η_min + (η₀ − η_min) · ½ · (1 + cos(π · (s − W) / (T − W)))
 *   s ≥ T:       η_s = η_min
 * </pre>
 * The warm-up is PyTorch's {@code LinearLR(start_factor = 1/(W+1), total_iters = W)}, followed by
 * {@code CosineAnnealingLR(T_max = T − W, eta_min)}. A step is an epoch ({@link #perEpoch}: s = e − 1,
 * T = epochs, W = warm-up epochs) or a batch ({@link #perBatch}: the same curve at batch resolution,
 * s = (e − 1)·B + b − 1, T = epochs·B, W = warm-up epochs·B for B batches per epoch).
 */
public final class CosineAnnealing extends LearningRateSchedule {
    private final int epochs;
    private final int warmupEpochs;
    private final double minLearningRate;
    private final boolean perBatch;

    private CosineAnnealing(Optimizer optimizer, int epochs, int warmupEpochs, float minLearningRate, boolean perBatch) {
        super(optimizer);
        if (epochs < 1) throw new IllegalArgumentException("cosine annealing: epochs must be >= 1, got " + epochs);
        if (warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new IllegalArgumentException("cosine annealing: warm-up epochs must be in [0, " + epochs + "), got " + warmupEpochs);
        }
        if (!(minLearningRate >= 0) || !Float.isFinite(minLearningRate)) {
            throw new IllegalArgumentException("cosine annealing: minimum learning rate must be >= 0, got " + minLearningRate);
        }
        this.epochs = epochs;
        this.warmupEpochs = warmupEpochs;
        this.minLearningRate = minLearningRate;
        this.perBatch = perBatch;
    }

    /**
     * Updated once per epoch.
     *
     * @param epochs          T, the length of the schedule in epochs (usually the training epochs)
     * @param warmupEpochs    W, 0 for none
     * @param minLearningRate η_min, reached after T epochs (0 is the usual choice)
     */
    public static CosineAnnealing perEpoch(Optimizer optimizer, int epochs, int warmupEpochs, float minLearningRate) {
        return new CosineAnnealing(optimizer, epochs, warmupEpochs, minLearningRate, false);
    }

    /** Updated before every batch; the same parameters as {@link #perEpoch}, still counted in epochs. */
    public static CosineAnnealing perBatch(Optimizer optimizer, int epochs, int warmupEpochs, float minLearningRate) {
        return new CosineAnnealing(optimizer, epochs, warmupEpochs, minLearningRate, true);
    }

    @Override
    public void onEpochStart(int epoch) {
        checkEpoch(epoch);
        if (!perBatch) apply(epoch - 1, epochs, warmupEpochs);
    }

    @Override
    public void onBatchStart(int epoch, int batch, int batches) {
        checkEpoch(epoch);
        if (batch < 1 || batch > batches) throw new IllegalArgumentException("batch " + batch + " is outside 1.." + batches);
        if (perBatch) apply((long) (epoch - 1) * batches + batch - 1, (long) epochs * batches, (long) warmupEpochs * batches);
    }

    private void apply(long s, long total, long warmup) {
        setFromBase(base -> rate(base, s, total, warmup));
    }

    private double rate(double base, long s, long total, long warmup) {
        if (s < warmup) return base * (s + 1) / (warmup + 1);
        if (s >= total) return minLearningRate;
        return minLearningRate + (base - minLearningRate) * 0.5 * (1 + Math.cos(Math.PI * (s - warmup) / (total - warmup)));
    }
}
