package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;

import java.util.List;

/**
 * Limits gradients in place, between {@code loss.backward()} and {@code optimizer.step()}, to tame
 * exploding gradients:
 * <pre>{@code
 * loss.backward();
 * GradientClipping.clipByGlobalNorm(model.parameters(), 1.0);
 * optimizer.step();
 * }</pre>
 * or as a setting the {@code Trainer} applies, e.g. {@code new GradientClipping.ByNorm(1.0)}.
 * Parameters without a gradient are skipped.
 */
public sealed interface GradientClipping {

    /** Clips the gradients of {@code parameters} in place. */
    void apply(List<Tensor> parameters);

    /** Clip by global norm ({@link #clipByGlobalNorm}). */
    record ByNorm(double maxNorm) implements GradientClipping {
        public ByNorm {
            if (!(maxNorm > 0) || !Double.isFinite(maxNorm)) {
                throw new IllegalArgumentException("clip by norm: maxNorm must be a positive number, got " + maxNorm);
            }
        }

        public void apply(List<Tensor> parameters) {
            clipByGlobalNorm(parameters, maxNorm);
        }
    }

    /** Clip by value ({@link #clipByValue}). */
    record ByValue(double maxValue) implements GradientClipping {
        public ByValue {
            if (!(maxValue > 0) || !Double.isFinite(maxValue)) {
                throw new IllegalArgumentException("clip by value: maxValue must be a positive number, got " + maxValue);
            }
        }

        public void apply(List<Tensor> parameters) {
            clipByValue(parameters, maxValue);
        }
    }

    /**
     * Scales all gradients together so that their global norm ‖g‖ = √(Σ over every parameter of
     * Σ g²) is at most {@code maxNorm}: g ← g · maxNorm / (‖g‖ + 1e-6) when that factor is below 1
     * (PyTorch's {@code clip_grad_norm_}). The direction of the whole gradient is kept.
     *
     * @return the global norm before clipping
     */
    static double clipByGlobalNorm(List<Tensor> parameters, double maxNorm) {
        double sum = 0;
        for (Tensor p : parameters) {
            if (p.grad() == null) continue;
            for (float v : p.grad().data()) sum += (double) v * v;
        }
        double norm = Math.sqrt(sum);
        double scale = maxNorm / (norm + 1e-6);
        if (scale < 1) {
            for (Tensor p : parameters) {
                if (p.grad() == null) continue;
                float[] g = p.grad().data();
                for (int i = 0; i < g.length; i++) g[i] = (float) (g[i] * scale);
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient component into [−maxValue, maxValue] (PyTorch's
     * {@code clip_grad_value_}). Unlike {@link #clipByGlobalNorm} this can change the direction.
     */
    static void clipByValue(List<Tensor> parameters, double maxValue) {
        float limit = (float) maxValue;
        for (Tensor p : parameters) {
            if (p.grad() == null) continue;
            float[] g = p.grad().data();
            for (int i = 0; i < g.length; i++) g[i] = Math.max(-limit, Math.min(limit, g[i]));
        }
    }
}
