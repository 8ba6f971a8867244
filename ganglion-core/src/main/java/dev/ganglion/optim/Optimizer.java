package dev.ganglion.optim;

import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Updates parameters from their gradients. It sees a flat, ordered list of tensors, never the
 * model. The cycle each batch is: {@link #zeroGrad()}, forward, {@code loss.backward()},
 * {@link #step()}. Per-parameter state (momentum, moments) is created on first use.
 *
 * <p>Parameters may come in {@linkplain ParameterGroup groups}, each with its own learning rate and
 * weight decay (PyTorch's parameter groups); the simple constructors make one group. Weight decay
 * is L2 regularisation added to the gradient ({@code g ← g + λ·w}) in {@link Sgd}, {@link Adam},
 * {@link RmsProp} and {@link Adagrad}, and decoupled from it in {@link AdamW}.
 */
public abstract class Optimizer {
    protected final List<Tensor> parameters;
    /** {@link #parameters} as an array: walked twice per step, without an iterator. */
    private final Tensor[] parameterArray;
    private final Group[] groups;
    private final int[] groupOf;
    private final float weightDecay;
    private long steps;

    /** A group's mutable settings; its parameters are {@code parameters[from, to)}. */
    private static final class Group {
        final int from, to;
        float learningRate;
        final float weightDecay;

        Group(int from, int to, float learningRate, float weightDecay) {
            this.from = from;
            this.to = to;
            this.learningRate = learningRate;
            this.weightDecay = weightDecay;
        }
    }

    /** One group with the given learning rate and no weight decay. */
    protected Optimizer(List<Tensor> parameters, float learningRate) {
        this(ParameterGroup.single(parameters), learningRate, 0f);
    }

    /**
     * @param groups       the parameters, in groups; a group without its own settings takes these
     * @param learningRate the default learning rate (&gt; 0)
     * @param weightDecay  the default weight decay (≥ 0)
     */
    protected Optimizer(List<ParameterGroup> groups, float learningRate, float weightDecay) {
        String name = getClass().getSimpleName();
        checkLearningRate(learningRate, false);
        if (!(weightDecay >= 0f) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException(name + ": weight decay must be >= 0, got " + weightDecay);
        }
        List<Tensor> all = new ArrayList<>();
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        this.groups = new Group[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            ParameterGroup g = groups.get(gi);
            int from = all.size();
            for (Tensor p : g.parameters()) {
                Integer before = seen.put(p, gi);
                if (before != null) {
                    throw new IllegalArgumentException(name + ": a parameter " + p.shape() + " appears in groups "
                            + before + " and " + gi + "; each parameter may be in one group only");
                }
                all.add(p);
            }
            float lr = (float) g.learningRate().orElse(learningRate);
            float wd = (float) g.weightDecay().orElse(weightDecay);
            this.groups[gi] = new Group(from, all.size(), lr, wd);
        }
        if (all.isEmpty()) throw new IllegalArgumentException(name + ": got an empty parameter list");
        this.parameters = Collections.unmodifiableList(all);
        this.parameterArray = all.toArray(Tensor[]::new);
        this.groupOf = new int[all.size()];
        for (int gi = 0; gi < this.groups.length; gi++) {
            for (int i = this.groups[gi].from; i < this.groups[gi].to; i++) groupOf[i] = gi;
        }
        this.weightDecay = weightDecay;
    }

    private static void checkLearningRate(float lr, boolean zeroAllowed) {
        if (!(zeroAllowed ? lr >= 0f : lr > 0f) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a " + (zeroAllowed ? "non-negative" : "positive")
                    + " number, got " + lr);
        }
    }

    /** Applies one update to every parameter that has a gradient. */
    public void step() {
        Tensor[] params = parameterArray;
        boolean any = false;
        for (Tensor p : params) any |= p.grad() != null;
        if (!any) {
            // checked before anything changes: a failed step must not count as a step
            throw new IllegalStateException("no gradients found; call loss.backward() before optimizer.step()");
        }
        steps++;
        for (int i = 0; i < params.length; i++) {
            Tensor p = params[i];
            Tensor g = p.grad();
            if (g == null) continue;
            Group group = groups[groupOf[i]];
            update(i, p.data(), g.data(), group.learningRate, group.weightDecay);
        }
    }

    /**
     * Evaluates {@code lossAndGradients} (which must clear the gradients, compute the loss, call
     * {@code backward()} and return the loss) and then updates the parameters; returns that loss.
     * First-order optimisers call it once; {@link Lbfgs} calls it again at every trial point.
     */
    public float step(Supplier<Float> lossAndGradients) {
        float loss = lossAndGradients.get();
        step();
        return loss;
    }

    /**
     * Updates parameter {@code index} in place: {@code w} its values, {@code g} ∂L/∂w (not to be
     * modified), with the learning rate and weight decay of its group.
     */
    protected abstract void update(int index, float[] w, float[] g, float learningRate, float weightDecay);

    /** {@code g + λ·w} in a new array, or {@code g} itself when λ = 0 (coupled L2 weight decay). */
    protected static float[] withWeightDecay(float[] g, float[] w, float weightDecay) {
        if (weightDecay == 0f) return g;
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) out[i] = g[i] + weightDecay * w[i];
        return out;
    }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Tensor p : parameterArray) p.zeroGrad();
    }

    /** The parameters in order, all groups after one another. */
    public final List<Tensor> parameters() {
        return parameters;
    }

    /** The learning rate (of the first group, where there are several). */
    public final float learningRate() {
        return groups[0].learningRate;
    }

    /** Sets the learning rate of every group (≥ 0; schedules may reach 0). */
    public final void setLearningRate(float lr) {
        checkLearningRate(lr, true);
        for (Group g : groups) g.learningRate = lr;
    }

    /** The number of parameter groups. */
    public final int groupCount() {
        return groups.length;
    }

    /** The learning rate of group {@code group}. */
    public final float learningRate(int group) {
        return groups[group].learningRate;
    }

    /** Sets the learning rate of group {@code group} (≥ 0). */
    public final void setLearningRate(int group, float lr) {
        checkLearningRate(lr, true);
        groups[group].learningRate = lr;
    }

    /** The weight decay of group {@code group}. */
    public final float weightDecay(int group) {
        return groups[group].weightDecay;
    }

    /** The default weight decay given to the constructor. */
    public final float weightDecay() {
        return weightDecay;
    }

    /** How many times {@link #step()} has run (1 during the first update). */
    protected final long stepCount() {
        return steps;
    }

    /** ", weight_decay=λ" when the default weight decay is not 0, for {@link #describe()}. */
    protected final String weightDecayText() {
        return weightDecay == 0f ? "" : ", weight_decay=" + weightDecay;
    }

    /** A short description with the hyperparameters, for logs and saved configs. */
    public abstract String describe();

    // ------------------------------------------------------------------ checkpoints

    /**
     * The optimiser's state for a checkpoint: the step count, each group's learning rate and weight
     * decay, and the per-parameter state of the algorithm (moments, velocities, histories), copied.
     * Loading it into an optimiser of the same kind over parameters of the same sizes with
     * {@link #loadStateDict} continues the run bit for bit.
     */
    public final StateDict stateDict() {
        StateDict.Builder b = StateDict.builder(kind());
        b.number("steps", steps);
        b.number("parameters", parameters.size());
        b.number("groups", groups.length);
        for (int g = 0; g < groups.length; g++) {
            b.number("group." + g + ".lr", groups[g].learningRate);
            b.number("group." + g + ".weight_decay", groups[g].weightDecay);
        }
        saveState(b);
        return b.build();
    }

    /**
     * Restores a state from {@link #stateDict()}.
     *
     * @throws IllegalArgumentException if it was written by another kind of optimiser or for other
     *                                  parameters (count, groups or sizes); nothing is changed then
     */
    public final void loadStateDict(StateDict state) {
        state.requireKind(kind());
        if (state.count("parameters") != parameters.size() || state.count("groups") != groups.length) {
            throw new IllegalArgumentException(kind() + " state: written for " + state.count("parameters") + " parameters in "
                    + state.count("groups") + " groups, this optimiser has " + parameters.size() + " in " + groups.length);
        }
        for (int g = 0; g < groups.length; g++) {
            if ((float) state.number("group." + g + ".weight_decay") != groups[g].weightDecay) {
                throw new IllegalArgumentException(kind() + " state: group " + g + " has weight decay "
                        + state.number("group." + g + ".weight_decay") + ", this optimiser " + groups[g].weightDecay);
            }
        }
        loadState(state);   // checks sizes first, so a failure leaves the optimiser as it was
        steps = state.count("steps");
        for (int g = 0; g < groups.length; g++) {
            float lr = (float) state.number("group." + g + ".lr");
            checkLearningRate(lr, true);
            groups[g].learningRate = lr;
        }
    }

    /** The name that tags this optimiser's state: its class name in lower case. */
    protected String kind() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** Adds the algorithm's own state to {@code b}; none by default. */
    protected void saveState(StateDict.Builder b) {
    }

    /** Restores what {@link #saveState} wrote; validate everything before changing anything. */
    protected void loadState(StateDict state) {
    }

    /** Per-parameter arrays named {@code prefix.i} (absent: not created yet), checked against the parameter sizes. */
    protected final float[][] loadPerParameter(StateDict state, String prefix) {
        float[][] out = new float[parameters.size()][];
        for (int i = 0; i < out.length; i++) out[i] = state.floatsOrNull(prefix + "." + i, parameters.get(i).size());
        return out;
    }

    /** Adds the non-null arrays of {@code perParameter} as {@code prefix.i}. */
    protected static void savePerParameter(StateDict.Builder b, String prefix, float[][] perParameter) {
        for (int i = 0; i < perParameter.length; i++) b.floats(prefix + "." + i, perParameter[i]);
    }
}
