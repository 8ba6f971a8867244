package dev.ganglion.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The data and initial weights every library gets, generated from fixed seeds (so each process
 * makes bit-identical copies; nothing is written to disk).
 */
public final class SyntheticData {
    private SyntheticData() {
    }

    /**
     * {@code n} samples of {@code d} features, row-major in {@code x}; {@code label[i]} is 0/1 for a
     * binary task (one sigmoid output) or a class index in {@code 0..classes-1}.
     */
    public record Data(int n, int d, int classes, float[] x, int[] label) {
        /** The features of samples {@code [from, to)} as a new row-major array. */
        public float[] rows(int from, int to) {
            float[] out = new float[(to - from) * d];
            System.arraycopy(x, from * d, out, 0, out.length);
            return out;
        }

        /** Targets {@code [to-from, 1]}: the label as a float (0/1, or the class index). */
        public float[] labelColumn(int from, int to) {
            float[] out = new float[to - from];
            for (int i = from; i < to; i++) out[i - from] = label[i];
            return out;
        }

        /** One-hot targets {@code [to-from, classes]}. */
        public float[] oneHot(int from, int to) {
            float[] out = new float[(to - from) * classes];
            for (int i = from; i < to; i++) out[(i - from) * classes + label[i]] = 1f;
            return out;
        }
    }

    /** The training data of a workload: W1 the luma task, W2/W3/W4 the class-prototype task. */
    public static Data forSpec(Spec.Train spec) {
        if (spec.output() == Spec.Output.SIGMOID_BCE) return luma(spec.samples(), spec.seed());
        return prototypes(spec.samples(), spec.inputs(), spec.outputs(), spec.seed());
    }

    /**
     * W1's task (Ganglion's font demo, scaled): a background colour (r, g, b) in [0, 1)³ is labelled 1
     * (light font) when its luma 0.299 r + 0.587 g + 0.114 b is below 0.5.
     */
    public static Data luma(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            float r = uniform(rng), g = uniform(rng), b = uniform(rng);
            x[3 * i] = r;
            x[3 * i + 1] = g;
            x[3 * i + 2] = b;
            y[i] = 0.299f * r + 0.587f * g + 0.114f * b < 0.5f ? 1 : 0;
        }
        return new Data(n, 3, 2, x, y);
    }

    /**
     * A stand-in for MNIST: {@code classes} random prototype vectors in [0, 1)^d; a sample of class c is
     * 0.6·prototype_c + 0.4·noise, noise uniform in [0, 1). Dense: unlike MNIST (about 80 % zero
     * pixels) no feature is zero, so a kernel that skips zeros gains nothing here. A fifth of the labels
     * are then replaced by a random class: without that noise the task is so easy that the networks
     * grow very confident, and softmax probabilities and gradients sink into subnormal floats, which
     * slow some CPUs' arithmetic and would make the timings depend on that.
     */
    public static Data prototypes(int n, int d, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] proto = new float[classes][d];
        for (float[] p : proto) for (int j = 0; j < d; j++) p[j] = uniform(rng);
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(classes);
            y[i] = c;
            float[] p = proto[c];
            int o = i * d;
            for (int j = 0; j < d; j++) x[o + j] = 0.6f * p[j] + 0.4f * uniform(rng);
        }
        for (int i = 0; i < n; i++) {
            if (rng.nextInt(5) == 0) y[i] = rng.nextInt(classes);
        }
        return new Data(n, d, classes, x, y);
    }

    /** Weights and biases of one dense layer: {@code weight[out*in]} row-major [out][in] (PyTorch's layout). */
    public record Layer(int in, int out, float[] weight, float[] bias) {
        /** The weights as [in][out] row-major (DL4J's W is nIn x nOut). */
        public float[] weightInByOut() {
            float[] t = new float[in * out];
            for (int o = 0; o < out; o++) for (int i = 0; i < in; i++) t[i * out + o] = weight[o * in + i];
            return t;
        }
    }

    /**
     * Initial weights for {@code layers}: He uniform U(±√(6/in)) for the hidden (ReLU) layers, Glorot
     * uniform U(±√(6/(in+out))) for the output layer, biases zero — the defaults Ganglion picks.
     */
    public static List<Layer> initialWeights(int[] layers, long seed) {
        List<Layer> out = new ArrayList<>();
        for (int l = 1; l < layers.length; l++) {
            int in = layers[l - 1], units = layers[l];
            boolean last = l == layers.length - 1;
            double limit = last ? Math.sqrt(6.0 / (in + units)) : Math.sqrt(6.0 / in);
            SplittableRandom rng = new SplittableRandom(seed * 31 + l);
            float[] w = new float[in * units];
            for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
            out.add(new Layer(in, units, w, new float[units]));
        }
        return out;
    }

    /** {@code n} floats uniform in [-1, 1), for GEMM operands. */
    public static float[] uniformMatrix(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextDouble() * 2 - 1);
        return a;
    }

    private static float uniform(SplittableRandom rng) {
        return (float) rng.nextDouble();
    }
}
