package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.ActivationKernels;
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
    /** The gradient buffers as tensors of the parameters' shapes, handed over each step. */
    private final Tensor[] gradWeightTensor, gradBiasTensor;
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
        this.gradWeightTensor = new Tensor[layers.length];
        this.gradBiasTensor = new Tensor[layers.length];
        for (int l = 0; l < layers.length; l++) {
            gradWeight[l] = new float[layers[l].weight().size()];
            gradBias[l] = new float[layers[l].bias().size()];
            gradWeightTensor[l] = Tensor.of(gradWeight[l], layers[l].weight().shape().dims());
            gradBiasTensor[l] = Tensor.of(gradBias[l], layers[l].bias().shape().dims());
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
            if (!ActivationKernels.supports(dense[i].activation())) return Optional.empty();
        }
        Activation out = dense[dense.length - 1].activation();
        LossKind kind = switch (loss) {
            case Loss.MeanSquaredError mse when ActivationKernels.supports(out) -> LossKind.MSE;
            case Loss.BinaryCrossEntropy bce when bce.classWeights().isEmpty() && out instanceof Activation.Sigmoid -> LossKind.BCE_LOGITS;
            case Loss.BinaryCrossEntropyWithLogits bce when bce.classWeights().isEmpty() && out instanceof Activation.Linear -> LossKind.BCE_LOGITS;
            case Loss.CrossEntropy ce when ce.classWeights().isEmpty() && out instanceof Activation.Softmax -> LossKind.CE_LOGITS;
            default -> null;
        };
        return kind == null ? Optional.empty() : Optional.of(new FusedDenseStep(dense, kind));
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
            float[] a = act[l];
            broadcastRows(d.bias().data(), a, n, out);
            Gemm.gemm(false, true, n, out, d.inFeatures(), in, 0, d.weight().data(), 0, a, 0, true);
            boolean logits = l == layers.length - 1 && lossKind != LossKind.MSE;
            if (!logits) ActivationKernels.apply(d.activation(), a, n * out);
            in = a;
        }
        int L = layers.length - 1;
        float loss = outputGradient(act[L], y, delta[L], n, layers[L].units());
        // backward: dW = dZᵀ·A_prev, db = Σ dZ, dA_prev = dZ·W, dZ_prev = dA_prev ⊙ f'(A_prev)
        for (int l = L; l >= 0; l--) {
            Dense d = layers[l];
            int out = d.units(), inF = d.inFeatures();
            float[] dz = delta[l], prev = l == 0 ? x : act[l - 1];
            Tensor gw = target(d.weight(), l, true), gb = target(d.bias(), l, false);
            Gemm.gemm(true, false, out, inF, n, dz, 0, prev, 0, gw.data(), 0, false);
            sumRows(dz, gb.data(), n, out);
            d.weight().accumulateGrad(gw);
            d.bias().accumulateGrad(gb);
            if (l > 0) {
                float[] dPrev = delta[l - 1];
                Gemm.gemm(false, false, n, inF, out, dz, 0, d.weight().data(), 0, dPrev, 0, false);
                ActivationKernels.multiplyByDerivative(layers[l - 1].activation(), act[l - 1], dPrev, n * inF);
            }
        }
        return loss;
    }

    /**
     * The buffer to compute a parameter's gradient into, as a tensor of its shape: this step's
     * own, unless the parameter still holds it from the previous call (no zeroGrad), in which
     * case a fresh one (which is this step's own from then on).
     */
    private Tensor target(Tensor parameter, int layer, boolean weight) {
        float[][] bufs = weight ? gradWeight : gradBias;
        Tensor[] tensors = weight ? gradWeightTensor : gradBiasTensor;
        Tensor g = parameter.grad();
        if (g != null && g.data() == bufs[layer]) {
            bufs[layer] = new float[bufs[layer].length];
            tensors[layer] = Tensor.of(bufs[layer], parameter.shape().dims());
        }
        return tensors[layer];
    }

    /** Each of the {@code n} rows of {@code rows [n, width]} set to {@code row}. */
    private static void broadcastRows(float[] row, float[] rows, int n, int width) {
        for (int i = 0; i < n; i++) {
            int off = i * width;
            for (int j = 0; j < width; j++) rows[off + j] = row[j];   // rows are short: no arraycopy call each
        }
    }

    /** {@code sum[j] = Σᵢ rows[i, j]} over the {@code n} rows of {@code rows [n, width]}. */
    private static void sumRows(float[] rows, float[] sum, int n, int width) {
        Arrays.fill(sum, 0, width, 0f);
        for (int i = 0; i < n; i++) {
            int off = i * width;
            for (int j = 0; j < width; j++) sum[j] += rows[off + j];
        }
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
                ActivationKernels.multiplyByDerivative(layers[layers.length - 1].activation(), a, dz, size);
            }
            case BCE_LOGITS -> {
                float scale = 1f / size;
                // softplus(z) − y·z = max(z, 0) + ln(1 + e^−|z|) − y·z, and σ(z), from one exponential;
                // the logarithms are taken of products of up to 512 factors in (1, 2] (at most 2^512,
                // well inside a double), one call per 512 samples instead of one per sample
                double product = 1;
                for (int i = 0; i < size; i++) {
                    float z = a[i];
                    double e = Math.exp(-Math.abs(z));
                    product *= 1 + e;
                    if ((i & 511) == 511) {
                        sum += Math.log(product);
                        product = 1;
                    }
                    sum += Math.max(z, 0f) - z * y[i];
                    float sigma = (float) (z >= 0f ? 1 / (1 + e) : e / (1 + e));
                    dz[i] = (sigma - y[i]) * scale;
                }
                sum += Math.log(product);
            }
            case CE_LOGITS -> {
                boolean indices = classIndices;
                float scale = 1f / n;
                for (int i = 0; i < n; i++) {
                    int off = i * out;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < out; j++) max = Math.max(max, a[off + j]);
                    // e^(z − max) once per element, kept in dz until the probabilities are known
                    double s = 0;
                    for (int j = 0; j < out; j++) {
                        double e = Math.exp(a[off + j] - max);
                        dz[off + j] = (float) e;
                        s += e;
                    }
                    double lse = max + Math.log(s), inv = 1 / s;
                    if (indices) {
                        int label = classIndex(y[i], out, i);
                        sum += lse - a[off + label];
                        for (int j = 0; j < out; j++) dz[off + j] = (float) (dz[off + j] * inv) * scale;
                        dz[off + label] -= scale;
                    } else {
                        double mass = 0;
                        for (int j = 0; j < out; j++) {
                            sum += y[off + j] * (lse - a[off + j]);
                            mass += y[off + j];
                        }
                        for (int j = 0; j < out; j++) {
                            dz[off + j] = (float) ((dz[off + j] * inv * mass - y[off + j]) * scale);
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

}
