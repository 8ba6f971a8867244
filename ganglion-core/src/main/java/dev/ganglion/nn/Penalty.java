package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A regularisation term added to the loss over chosen parameters, e.g. the weights but not the
 * biases ({@link #weightsOf}):
 * <pre>{@code
 * Tensor loss = lossFn.compute(model.forward(x), y).add(new Penalty.L2(1e-4f, Penalty.weightsOf(model)).compute());
 * }</pre>
 * The {@code Trainer} adds the penalties it is given to every batch's loss.
 */
public sealed interface Penalty {

    /** The penalty, a scalar that takes part in back-propagation. */
    Tensor compute();

    /** L1 (lasso): λ·Σ|w|; its gradient λ·sign(w) pushes weights to exactly zero. */
    record L1(float lambda, List<Tensor> parameters) implements Penalty {
        public L1 {
            parameters = check("l1", lambda, parameters);
        }

        public Tensor compute() {
            Tensor sum = null;
            for (Tensor p : parameters) sum = sum == null ? p.abs().sum() : sum.add(p.abs().sum());
            return sum.mul(lambda);
        }
    }

    /**
     * L2 (ridge, weight decay): λ/2·Σw²; its gradient is λ·w, the same as an optimiser's coupled
     * weight decay λ with plain SGD.
     */
    record L2(float lambda, List<Tensor> parameters) implements Penalty {
        public L2 {
            parameters = check("l2", lambda, parameters);
        }

        public Tensor compute() {
            Tensor sum = null;
            for (Tensor p : parameters) sum = sum == null ? p.mul(p).sum() : sum.add(p.mul(p).sum());
            return sum.mul(lambda / 2f);
        }
    }

    /**
     * The parameters of {@code module} with two or more dimensions: the weight matrices, not the
     * biases or the normalisation scales and shifts.
     */
    static List<Tensor> weightsOf(Module module) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : module.parameters()) if (p.rank() >= 2) out.add(p);
        return out;
    }

    private static List<Tensor> check(String name, float lambda, List<Tensor> parameters) {
        if (!(lambda >= 0f) || !Float.isFinite(lambda)) {
            throw new IllegalArgumentException(name + " penalty: lambda must be >= 0, got " + lambda);
        }
        if (parameters.isEmpty()) throw new IllegalArgumentException(name + " penalty: no parameters to penalise");
        return List.copyOf(parameters);
    }
}
