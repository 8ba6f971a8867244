package dev.ganglion.optim;

import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Parameters that share a learning rate and a weight decay, as PyTorch's parameter groups. A group
 * that sets neither takes the optimiser's values. The typical use is no weight decay on biases and
 * normalisation scales:
 * <pre>{@code
 * new AdamW(ParameterGroup.decayMatricesOnly(model.parameters()), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f);
 * }</pre>
 *
 * @param parameters   the tensors of this group
 * @param learningRate this group's learning rate; empty = the optimiser's
 * @param weightDecay  this group's weight decay; empty = the optimiser's
 */
public record ParameterGroup(List<Tensor> parameters, OptionalDouble learningRate, OptionalDouble weightDecay) {
    public ParameterGroup {
        parameters = List.copyOf(parameters);
        learningRate.ifPresent(lr -> {
            if (!(lr > 0) || !Double.isFinite(lr)) {
                throw new IllegalArgumentException("parameter group: learning rate must be a positive number, got " + lr);
            }
        });
        weightDecay.ifPresent(wd -> {
            if (!(wd >= 0) || !Double.isFinite(wd)) {
                throw new IllegalArgumentException("parameter group: weight decay must be >= 0, got " + wd);
            }
        });
    }

    /** A group that takes the optimiser's learning rate and weight decay. */
    public static ParameterGroup of(List<Tensor> parameters) {
        return new ParameterGroup(parameters, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** This group with its own learning rate. */
    public ParameterGroup withLearningRate(float lr) {
        return new ParameterGroup(parameters, OptionalDouble.of(lr), weightDecay);
    }

    /** This group with its own weight decay (0 = none). */
    public ParameterGroup withWeightDecay(float wd) {
        return new ParameterGroup(parameters, learningRate, OptionalDouble.of(wd));
    }

    /** One group holding all of {@code parameters}, with the optimiser's settings. */
    public static List<ParameterGroup> single(List<Tensor> parameters) {
        return List.of(of(parameters));
    }

    /**
     * Two groups: tensors with two or more dimensions (the weight matrices), which take the
     * optimiser's weight decay, and the others (biases, normalisation scales and shifts) with no
     * weight decay. Empty groups are left out.
     */
    public static List<ParameterGroup> decayMatricesOnly(List<Tensor> parameters) {
        List<Tensor> matrices = new ArrayList<>(), vectors = new ArrayList<>();
        for (Tensor p : parameters) (p.rank() >= 2 ? matrices : vectors).add(p);
        List<ParameterGroup> groups = new ArrayList<>();
        if (!matrices.isEmpty()) groups.add(of(matrices));
        if (!vectors.isEmpty()) groups.add(of(vectors).withWeightDecay(0f));
        return groups;
    }
}
