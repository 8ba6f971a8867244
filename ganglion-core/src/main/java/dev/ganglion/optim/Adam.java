package dev.ganglion.optim;

import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.tensor.kernel.Parallel;

import java.util.List;

/**
 * Adam (Kingma &amp; Ba, 2015): per-parameter step sizes from running moments of the gradient.
 * <pre>
 *   g ← g + λ·w            (L2 weight decay λ, default 0; see {@link AdamW} for the decoupled form)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   w ← w − η · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 * Defaults β1 = 0.9, β2 = 0.999, ε = 1e-8, as in the paper, PyTorch and Keras. The step {@code t}
 * is counted per parameter (as PyTorch does): a parameter that had no gradient in some steps has
 * had fewer moment updates, and its bias correction must match that number.
 */
public final class Adam extends Optimizer {
    private final Moments moments;

    public Adam(List<Tensor> parameters, float learningRate) {
        this(parameters, learningRate, 0.9f, 0.999f, 1e-8f);
    }

    public Adam(List<Tensor> parameters, float learningRate, float beta1, float beta2, float epsilon) {
        this(ParameterGroup.single(parameters), learningRate, beta1, beta2, epsilon, 0f);
    }

    /**
     * @param groups       the parameters, in groups with their own learning rate or weight decay
     * @param learningRate η, for groups that do not set their own
     * @param beta1        β1 in [0, 1)
     * @param beta2        β2 in [0, 1)
     * @param epsilon      ε &gt; 0
     * @param weightDecay  λ ≥ 0 (added to the gradient), for groups that do not set their own
     */
    public Adam(List<ParameterGroup> groups, float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        super(groups, learningRate, weightDecay);
        this.moments = new Moments("adam", parameters.size(), beta1, beta2, epsilon);
    }

    @Override
    protected void update(int index, float[] w, float[] g, float lr, float weightDecay) {
        moments.update(index, w, withWeightDecay(g, w, weightDecay), lr);
    }

    @Override
    protected void saveState(StateDict.Builder b) {
        moments.save(b);
    }

    @Override
    protected void loadState(StateDict state) {
        moments.load(state, parameters);
    }

    @Override
    public String describe() {
        return "adam(lr=" + learningRate() + ", " + moments.describe() + weightDecayText() + ")";
    }

    /** Adam's moment estimates and its bias-corrected update, shared with {@link AdamW}. */
    static final class Moments {
        private final float beta1;
        private final float beta2;
        private final float epsilon;
        private final float[][] m;
        private final float[][] v;
        private final long[] t;

        Moments(String name, int count, float beta1, float beta2, float epsilon) {
            if (!(beta1 >= 0f && beta1 < 1f)) throw new IllegalArgumentException(name + ": beta1 must be in [0, 1), got " + beta1);
            if (!(beta2 >= 0f && beta2 < 1f)) throw new IllegalArgumentException(name + ": beta2 must be in [0, 1), got " + beta2);
            if (!(epsilon > 0f)) throw new IllegalArgumentException(name + ": epsilon must be > 0, got " + epsilon);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
            this.m = new float[count][];
            this.v = new float[count][];
            this.t = new long[count];
        }

        /** Updates the moments of parameter {@code index} with {@code g} and moves {@code w}. */
        void update(int index, float[] w, float[] g, float lr) {
            if (m[index] == null) {
                m[index] = new float[w.length];
                v[index] = new float[w.length];
            }
            float[] mi = m[index], vi = v[index];
            long step = ++t[index];
            float c1 = (float) (1.0 - Math.pow(beta1, step));
            float c2 = (float) (1.0 - Math.pow(beta2, step));
            // as PyTorch computes it: w -= (lr / c1) · m / (√v / √c2 + ε), one division per element
            float b1 = beta1, b2 = beta2, eps = epsilon;
            float stepSize = lr / c1, invSqrtC2 = (float) (1.0 / Math.sqrt(c2));
            Parallel.forRange(w.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float gi = g[i];
                    mi[i] = b1 * mi[i] + (1f - b1) * gi;
                    vi[i] = b2 * vi[i] + (1f - b2) * gi * gi;
                    float denom = (float) Math.sqrt(vi[i]) * invSqrtC2 + eps;
                    w[i] -= stepSize * mi[i] / denom;
                }
            });
        }

        void save(StateDict.Builder b) {
            savePerParameter(b, "m", m);
            savePerParameter(b, "v", v);
            double[] steps = new double[t.length];
            for (int i = 0; i < t.length; i++) steps[i] = t[i];
            b.numbers("t", steps);
        }

        void load(StateDict state, List<Tensor> parameters) {
            float[][] mm = new float[m.length][], vv = new float[v.length][];
            for (int i = 0; i < m.length; i++) {
                mm[i] = state.floatsOrNull("m." + i, parameters.get(i).size());
                vv[i] = state.floatsOrNull("v." + i, parameters.get(i).size());
                if ((mm[i] == null) != (vv[i] == null)) {
                    throw new IllegalArgumentException(state.kind() + " state: parameter " + i + " has only one of m and v");
                }
            }
            double[] steps = state.numbersOrNull("t");
            if (steps == null || steps.length != t.length) {
                throw new IllegalArgumentException(state.kind() + " state: \"t\" must hold one step count per parameter (" + t.length + ")");
            }
            for (int i = 0; i < t.length; i++) {
                if (steps[i] < 0 || steps[i] != Math.rint(steps[i])) {
                    throw new IllegalArgumentException(state.kind() + " state: step count t." + i + " is " + steps[i]);
                }
            }
            for (int i = 0; i < t.length; i++) {
                m[i] = mm[i];
                v[i] = vv[i];
                t[i] = (long) steps[i];
            }
        }

        String describe() {
            return "beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon;
        }
    }
}
