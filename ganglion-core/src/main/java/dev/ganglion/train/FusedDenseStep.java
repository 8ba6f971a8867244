package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Module;
import dev.ganglion.nn.Sequential;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.tensor.kernel.Gemm;

import java.util.Arrays;
import java.util.Optional;

/**
 * One mini-batch's loss and parameter gradients for a stack of {@link Dense} layers, computed by
 * hand-written forward and backward passes over reused buffers instead of an autograd graph.
 *
 * <p>It computes what {@code Trainer.lossOf(model, loss, x, y).backward()} computes (same kernels,
 * same order of operations up to float rounding in the loss value), without allocating per batch:
 * the activations, their gradients and the gradient buffers are kept and grown when a larger batch
 * arrives. On small networks the autograd graph's bookkeeping is most of the time of a step; this
 * path removes it, and on large ones it removes the garbage of a graph per batch.
 *
 * <p>It applies when every layer is {@code Dense}, the hidden activations are linear, step, ReLU,
 * leaky ReLU, sigmoid or tanh, and the loss is mean squared error after one of those, binary
 * cross-entropy after a sigmoid, binary cross-entropy with logits after a linear output, or
 * cross-entropy after a softmax — all without class weights. {@link #tryCreate} says whether it
 * applies; otherwise the trainer uses autograd.
 *
 * <p>Gradients are handed to the parameters as tensors over this object's buffers: a gradient read
 * through {@code parameter.grad()} stays valid until the next call. When a parameter already holds
 * a gradient (no {@code zeroGrad} in between), the new gradient is added to it, as autograd does.
 * Not thread-safe: one instance per training loop.
 */
public final class FusedDenseStep {
    private final Dense[] layers;
    private final LossKind lossKind;
    /** Per layer: activations (z overwritten by a in place), then dL/dz. */
    private float[][] act, delta;
    private final float[][] gradWeight, gradBias;
    private float[] input, target;
    private int capacity;
    /** Whether the current batch's cross-entropy targets are class indices rather than rows. */
    private boolean classIndices;

    private enum LossKind { MSE, BCE_LOGITS, CE_LOGITS }

    private FusedDenseStep(Dense[] layers, LossKind lossKind) {
        this.layers = layers;
        this.lossKind = lossKind;
        this.gradWeight = new float[layers.length][];
        this.gradBias = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            gradWeight[l] = new float[layers[l].weight().size()];
            gradBias[l] = new float[layers[l].bias().size()];
        }
        this.act = new float[layers.length][];
        this.delta = new float[layers.length][];
    }

    /** The fused step for {@code model} and {@code loss}, or empty where it does not apply. */
    public static Optional<FusedDenseStep> tryCreate(Sequential model, Loss loss) {
        var modules = model.layers();
        if (modules.isEmpty()) return Optional.empty();
        Dense[] dense = new Dense[modules.size()];
        for (int i = 0; i < dense.length; i++) {
            Module m = modules.get(i);
            if (!(m instanceof Dense d) || !d.weight().requiresGrad() || !d.bias().requiresGrad()) return Optional.empty();
            dense[i] = d;
        }
        for (int i = 0; i < dense.length - 1; i++) {
            if (!elementwise(dense[i].activation())) return Optional.empty();
        }
        Activation out = dense[dense.length - 1].activation();
        LossKind kind = switch (loss) {
            case Loss.MeanSquaredError mse when elementwise(out) -> LossKind.MSE;
            case Loss.BinaryCrossEntropy bce when bce.classWeights().isEmpty() && out instanceof Activation.Sigmoid -> LossKind.BCE_LOGITS;
            case Loss.BinaryCrossEntropyWithLogits bce when bce.classWeights().isEmpty() && out instanceof Activation.Linear -> LossKind.BCE_LOGITS;
            case Loss.CrossEntropy ce when ce.classWeights().isEmpty() && out instanceof Activation.Softmax -> LossKind.CE_LOGITS;
            default -> null;
        };
        return kind == null ? Optional.empty() : Optional.of(new FusedDenseStep(dense, kind));
    }

    /** Activations whose derivative follows from their output alone. */
    private static boolean elementwise(Activation a) {
        return a instanceof Activation.Linear || a instanceof Activation.Relu || a instanceof Activation.LeakyRelu
                || a instanceof Activation.Sigmoid || a instanceof Activation.Tanh || a instanceof Activation.Step;
    }

    /** Loss of the batch {@code x [n, in]}, {@code y}; the gradients go to the layers' parameters. */
    public float lossAndGradients(Tensor x, Tensor y) {
        int n = checkBatch(x.shape().dims(), y.shape().dims());
        ensureCapacity(n);
        return run(x.data(), y.data(), n);
    }

    /**
     * Loss of the samples {@code order[from..to)} of {@code data}, gathered into reused buffers;
     * the gradients go to the layers' parameters.
     */
    public float lossAndGradients(Dataset data, int[] order, int from, int to) {
        int n = to - from;
        if (n <= 0) throw new IllegalArgumentException("training step: empty batch [" + from + ", " + to + ")");
        checkBatch(new int[]{n, data.featureCount()}, new int[]{n, data.targets().shape().dim(1)});
        int width = data.featureCount(), targetWidth = data.targets().shape().dim(1);
        ensureCapacity(n);
        float[] xs = data.features().data(), ys = data.targets().data();
        for (int i = 0; i < n; i++) {
            int r = order[from + i];
            System.arraycopy(xs, r * width, input, i * width, width);
            System.arraycopy(ys, r * targetWidth, target, i * targetWidth, targetWidth);
        }
        return run(input, target, n);
    }

    /** Checks the shapes of a batch; returns its number of rows. */
    private int checkBatch(int[] xShape, int[] yShape) {
        Dense first = layers[0], last = layers[layers.length - 1];
        if (xShape.length != 2 || xShape[1] != first.inFeatures()) {
            throw new ShapeException("layer 0: " + first + ": expected input [batch, " + first.inFeatures()
                    + "], got " + Arrays.toString(xShape));
        }
        int n = xShape[0];
        if (n == 0) throw new ShapeException("training step: empty batch " + Arrays.toString(xShape));
        int rows = yShape.length == 0 ? -1 : yShape[0];
        int width = yShape.length == 1 ? 1 : yShape.length == 2 ? yShape[1] : -1;
        boolean ok = rows == n && switch (lossKind) {
            case MSE, BCE_LOGITS -> width == last.units();
            case CE_LOGITS -> width == 1 || (width == last.units() && last.units() > 1);
        };
        classIndices = width == 1;
        if (!ok) {
            throw new ShapeException(lossName() + ": outputs [" + n + ", " + last.units() + "] and targets "
                    + Arrays.toString(yShape) + " do not match");
        }
        return n;
    }

    private String lossName() {
        return switch (lossKind) {
            case MSE -> "mse";
            case BCE_LOGITS -> "bce";
            case CE_LOGITS -> "ce";
        };
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) return;
        capacity = n;
        for (int l = 0; l < layers.length; l++) {
            act[l] = new float[n * layers[l].units()];
            delta[l] = new float[n * layers[l].units()];
        }
        input = new float[n * layers[0].inFeatures()];
        int last = layers[layers.length - 1].units();
        target = new float[n * last];
    }

    private float run(float[] x, float[] y, int n) {
        // forward: z = x·Wᵀ + b, then the activation in place (the logits stay for a fused loss)
        float[] in = x;
        for (int l = 0; l < layers.length; l++) {
            Dense d = layers[l];
            int out = d.units();
            float[] a = act[l], b = d.bias().data();
            for (int i = 0; i < n; i++) System.arraycopy(b, 0, a, i * out, out);
            Gemm.gemm(false, true, n, out, d.inFeatures(), in, 0, d.weight().data(), 0, a, 0, true);
            boolean logits = l == layers.length - 1 && lossKind != LossKind.MSE;
            if (!logits) activate(d.activation(), a, n * out);
            in = a;
        }
        int L = layers.length - 1;
        float loss = outputGradient(act[L], y, delta[L], n, layers[L].units());
        // backward: dW = dZᵀ·A_prev, db = Σ dZ, dA_prev = dZ·W, dZ_prev = dA_prev ⊙ f'(A_prev)
        for (int l = L; l >= 0; l--) {
            Dense d = layers[l];
            int out = d.units(), inF = d.inFeatures();
            float[] dz = delta[l], prev = l == 0 ? x : act[l - 1];
            float[] gw = target(d.weight(), l, true), gb = target(d.bias(), l, false);
            Gemm.gemm(true, false, out, inF, n, dz, 0, prev, 0, gw, 0, false);
            Arrays.fill(gb, 0f);
            for (int i = 0; i < n; i++) {
                int off = i * out;
                for (int j = 0; j < out; j++) gb[j] += dz[off + j];
            }
            hand(d.weight(), gw);
            hand(d.bias(), gb);
            if (l > 0) {
                float[] dPrev = delta[l - 1];
                Gemm.gemm(false, false, n, inF, out, dz, 0, d.weight().data(), 0, dPrev, 0, false);
                derivative(layers[l - 1].activation(), act[l - 1], dPrev, n * inF);
            }
        }
        return loss;
    }

    /**
     * The buffer to compute a parameter's gradient into: this step's own, unless the parameter
     * still holds it from the previous call (no zeroGrad), in which case a fresh one.
     */
    private float[] target(Tensor parameter, int layer, boolean weight) {
        float[][] bufs = weight ? gradWeight : gradBias;
        Tensor g = parameter.grad();
        if (g != null && g.data() == bufs[layer]) bufs[layer] = new float[bufs[layer].length];
        return bufs[layer];
    }

    /** Gives {@code grad} to the parameter, adding it to a gradient already there. */
    private static void hand(Tensor parameter, float[] grad) {
        parameter.accumulateGrad(Tensor.of(grad, parameter.shape().dims()));
    }

    /** Writes dL/dz of the output layer into {@code dz}; returns the mean loss. */
    private float outputGradient(float[] a, float[] y, float[] dz, int n, int out) {
        int size = n * out;
        double sum = 0;
        switch (lossKind) {
            case MSE -> {
                float scale = 2f / size;
                for (int i = 0; i < size; i++) {
                    float diff = a[i] - y[i];
                    sum += diff * diff;
                    dz[i] = scale * diff;
                }
                derivative(layers[layers.length - 1].activation(), a, dz, size);
            }
            case BCE_LOGITS -> {
                float scale = 1f / size;
                for (int i = 0; i < size; i++) {
                    float z = a[i];
                    // softplus(z) − y·z = max(z, 0) + ln(1 + e^−|z|) − y·z, and σ(z), from one exponential
                    double e = Math.exp(-Math.abs(z));
                    double log1pE = e < 1e-4 ? e * (1 - e * (0.5 - e / 3)) : Math.log(1 + e);
                    sum += Math.max(z, 0f) + log1pE - z * y[i];
                    float sigma = (float) (z >= 0f ? 1 / (1 + e) : e / (1 + e));
                    dz[i] = (sigma - y[i]) * scale;
                }
            }
            case CE_LOGITS -> {
                boolean indices = classIndices;
                float scale = 1f / n;
                for (int i = 0; i < n; i++) {
                    int off = i * out;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < out; j++) max = Math.max(max, a[off + j]);
                    double s = 0;
                    for (int j = 0; j < out; j++) s += Math.exp(a[off + j] - max);
                    double lse = max + Math.log(s);
                    if (indices) {
                        int label = classIndex(y[i], out, i);
                        sum += lse - a[off + label];
                        for (int j = 0; j < out; j++) dz[off + j] = (float) Math.exp(a[off + j] - lse) * scale;
                        dz[off + label] -= scale;
                    } else {
                        double mass = 0;
                        for (int j = 0; j < out; j++) {
                            sum += y[off + j] * (lse - a[off + j]);
                            mass += y[off + j];
                        }
                        for (int j = 0; j < out; j++) {
                            dz[off + j] = (float) ((Math.exp(a[off + j] - lse) * mass - y[off + j]) * scale);
                        }
                    }
                }
                return (float) (sum / n);
            }
        }
        return (float) (sum / size);
    }

    private static int classIndex(float v, int classes, int row) {
        int c = (int) v;
        if (c != v || c < 0 || c >= classes) {
            throw new IllegalArgumentException("ce: target " + v + " at row " + row + " is not a class index in 0.." + (classes - 1));
        }
        return c;
    }

    private static void activate(Activation f, float[] a, int size) {
        switch (f) {
            case Activation.Relu r -> {
                for (int i = 0; i < size; i++) a[i] = a[i] > 0f ? a[i] : 0f;
            }
            case Activation.LeakyRelu lr -> {
                float s = lr.slope();
                for (int i = 0; i < size; i++) a[i] = a[i] > 0f ? a[i] : s * a[i];
            }
            case Activation.Sigmoid s -> {
                for (int i = 0; i < size; i++) a[i] = sigmoid(a[i]);
            }
            case Activation.Tanh t -> {
                for (int i = 0; i < size; i++) a[i] = (float) Math.tanh(a[i]);
            }
            case Activation.Step s -> {
                for (int i = 0; i < size; i++) a[i] = a[i] >= 0f ? 1f : 0f;
            }
            case Activation.Linear lin -> {
            }
            default -> throw new IllegalStateException("not a fused activation: " + f.name());
        }
    }

    /** {@code d ← d ⊙ f'(z)}, with f'(z) written in terms of the output a = f(z). */
    private static void derivative(Activation f, float[] a, float[] d, int size) {
        switch (f) {
            case Activation.Relu r -> {
                for (int i = 0; i < size; i++) d[i] = a[i] > 0f ? d[i] : 0f;
            }
            case Activation.LeakyRelu lr -> {
                float s = lr.slope();
                // a > 0 exactly where z > 0, for slopes in [0, 1)
                for (int i = 0; i < size; i++) d[i] = a[i] > 0f ? d[i] : s * d[i];
            }
            case Activation.Sigmoid s -> {
                for (int i = 0; i < size; i++) d[i] *= a[i] * (1f - a[i]);
            }
            case Activation.Tanh t -> {
                for (int i = 0; i < size; i++) d[i] *= 1f - a[i] * a[i];
            }
            case Activation.Step s -> Arrays.fill(d, 0, size, 0f);
            case Activation.Linear lin -> {
            }
            default -> throw new IllegalStateException("not a fused activation: " + f.name());
        }
    }

    /** The logistic function, computed as {@link Tensor#sigmoid()} does. */
    private static float sigmoid(float x) {
        if (x >= 0f) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
