package dev.ganglion.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The workloads of issue 3, one definition shared by every library. Every process (Ganglion, PyTorch,
 * Deeplearning4j, Encog, OpenBLAS) builds its work from these records, so the sizes, learning rates,
 * step counts, data and initial weights agree by construction.
 *
 * <p>Training visits the batches in a fixed order (no shuffling): step {@code s} trains on batch
 * {@code s mod batches}, the samples {@code [from(s), to(s))}. The same order everywhere means the
 * libraries follow the same trajectory, so their losses after training should agree (a check that
 * they did the same work).
 */
public final class Spec {
    private Spec() {
    }

    /** The base seed of all data and weights. */
    public static final long SEED = 20_240_503L;

    /** The output layer and loss. */
    public enum Output {
        /** one sigmoid output, binary cross-entropy (computed from the logit where the library can) */
        SIGMOID_BCE,
        /** softmax outputs, categorical cross-entropy (from the logits where the library can) */
        SOFTMAX_CE
    }

    /**
     * A training workload: a dense network {@code layers[0] -> ... -> layers[last]}, ReLU on every
     * hidden layer, plain SGD (no momentum, no weight decay) on the mean loss of each batch.
     *
     * @param samples     size of the synthetic training set
     * @param warmupSteps untimed steps first (JIT, allocator, thread pools)
     * @param timedSteps  timed steps after the warm-up
     * @param lossSamples how many samples (the first ones) the loss after training is measured on
     */
    public record Train(String workload, String title, int[] layers, Output output, float lr, int batch,
                        int samples, int warmupSteps, int timedSteps, int lossSamples, long seed) {
        public int batches() {
            return (samples + batch - 1) / batch;
        }

        public int from(long step) {
            return (int) (step % batches()) * batch;
        }

        public int to(long step) {
            return Math.min(samples, from(step) + batch);
        }

        /** Samples in the timed steps (the last batch of an epoch may be short). */
        public long timedSamples() {
            long n = 0;
            for (long s = warmupSteps; s < (long) warmupSteps + timedSteps; s++) n += to(s) - from(s);
            return n;
        }

        /** Number of weights (biases not counted), for 6 x weights x samples FLOPs per step. */
        public long weights() {
            return Spec.weights(layers);
        }

        public int inputs() {
            return layers[0];
        }

        public int outputs() {
            return layers[layers.length - 1];
        }

        public String describe() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < layers.length; i++) {
                if (i > 0) b.append(" -> ");
                b.append(layers[i]);
                if (i > 0) b.append(i == layers.length - 1 ? (output == Output.SIGMOID_BCE ? " sigmoid" : " softmax") : " relu");
            }
            return b + ", " + (output == Output.SIGMOID_BCE ? "bce" : "ce") + ", sgd lr " + lr + ", batch " + batch
                    + ", " + samples + " samples, " + warmupSteps + " warm-up + " + timedSteps + " timed steps";
        }
    }

    /**
     * Inference on a trained-shape network (W4): one-sample latency, and throughput in batches.
     * Each timed call starts from a Java {@code float[]} (Encog: {@code double[]}) and ends with the
     * outputs in a Java array, as a caller would use it.
     */
    public record Infer(String workload, Train network, int latencyWarmupCalls, int latencyCalls,
                        int batchedSamples, int batchSize, int batchedWarmupPasses, double batchedWarmupSeconds,
                        int batchedTimedPasses) {
        public int batchesPerPass() {
            return batchedSamples / batchSize;
        }
    }

    /** One matrix multiply: C[m×n] = op(A)·op(B), op(A) m×k, op(B) k×n (row-major, as Ganglion's Gemm). */
    public record GemmCase(String label, boolean transA, boolean transB, int m, int n, int k) {
        public String form() {
            return (transA ? "t" : "n") + (transB ? "t" : "n");
        }

        public double flops() {
            return 2.0 * m * n * k;
        }

        /** e.g. {@code nn 256x256x256 square}. */
        public String key() {
            return form() + " " + m + "x" + n + "x" + k + " " + label;
        }
    }

    /** The GEMM workload: every case timed for at least {@code minSeconds} and {@code minCalls} calls. */
    public record Gemm(String workload, List<GemmCase> cases, double minSeconds, int minCalls) {
    }

    /**
     * The machine's ceilings (Ganglion's JVM only): FMA peak and per-core read bandwidth, each
     * measured for {@code seconds}; the cache test streams {@code cacheKib} per core (W2's weights
     * split over two cores are 459 KiB each), the memory test {@code memoryMib} per core.
     */
    public record Ceilings(String workload, double seconds, int cacheKib, int memoryMib) {
    }

    public static final List<String> WORKLOADS = List.of("w1", "w2", "w3", "w4", "gemm", "ceilings");

    public static Ceilings ceilings(boolean quick) {
        return quick ? new Ceilings("ceilings", 0.2, 256, 16) : new Ceilings("ceilings", 2.0, 512, 64);
    }

    /** W1 "seed net": 3 -> 3 ReLU -> 1 sigmoid, bce, SGD lr 0.1, batch 32, 10,000 samples, 20 epochs timed (2 warm-up). */
    public static Train w1(boolean quick) {
        int samples = 10_000, batch = 32;
        int epoch = (samples + batch - 1) / batch;
        return new Train("w1", "seed net", new int[]{3, 3, 1}, Output.SIGMOID_BCE, 0.1f, batch, samples,
                (quick ? 1 : 2) * epoch, (quick ? 5 : 20) * epoch, samples, SEED + 1);
    }

    /** W2 "MNIST MLP": 784 -> 256 -> 128 -> 10 softmax, ce, SGD lr 0.05, batch 128, 60,000 samples, 1 warm-up + 3 timed epochs. */
    public static Train w2(boolean quick) {
        int samples = quick ? 12_800 : 60_000, batch = 128;
        int epoch = (samples + batch - 1) / batch;
        return new Train("w2", "MNIST MLP", new int[]{784, 256, 128, 10}, Output.SOFTMAX_CE, 0.05f, batch, samples,
                epoch, (quick ? 1 : 3) * epoch, 10_000, SEED + 2);
    }

    /**
     * W3 "wide MLP": 1024 -> 4096 -> 4096 -> 10, ce, batch 512 (8 distinct batches, cycled), SGD lr 0.01;
     * the loss after training on the first batch only (a forward pass over all 4,096 samples costs
     * more than a timed step where GEMM is slow).
     */
    public static Train w3(boolean quick) {
        return new Train("w3", "wide MLP", new int[]{1024, 4096, 4096, 10}, Output.SOFTMAX_CE, 0.01f, 512, 4096,
                1, quick ? 1 : 5, 512, SEED + 3);
    }

    /** W4: inference on the W2 network; latency over 10,000 one-sample calls, 10,000 samples in batches of 1,000. */
    public static Infer w4(boolean quick) {
        Train net = new Train("w4", "W2 network inference", new int[]{784, 256, 128, 10}, Output.SOFTMAX_CE,
                0.05f, 1000, 10_000, 0, 0, 0, SEED + 4);
        return quick ? new Infer("w4", net, 500, 2_000, 10_000, 1000, 1, 0.2, 2)
                : new Infer("w4", net, 2_000, 10_000, 10_000, 1000, 2, 1.0, 5);
    }

    /**
     * GEMM: square n = 256, 512, 1024, 2048 in the three forms (nn, nt, tn), then the multiplies one
     * training step of W2 (batch 128) and W3 (batch 512) makes per layer: forward x·Wᵀ (nt),
     * backward dZ·W (nn, not for the first layer) and dZᵀ·x (tn).
     */
    public static Gemm gemm(boolean quick) {
        List<GemmCase> cases = new ArrayList<>();
        int[] squares = quick ? new int[]{256, 512} : new int[]{256, 512, 1024, 2048};
        for (int s : squares) {
            cases.add(new GemmCase("square", false, false, s, s, s));
            cases.add(new GemmCase("square", false, true, s, s, s));
            cases.add(new GemmCase("square", true, false, s, s, s));
        }
        layerCases(cases, "w2", new int[]{784, 256, 128, 10}, 128);
        if (!quick) layerCases(cases, "w3", new int[]{1024, 4096, 4096, 10}, 512);
        return new Gemm("gemm", List.copyOf(cases), quick ? 0.1 : 0.5, 3);
    }

    private static void layerCases(List<GemmCase> cases, String w, int[] layers, int batch) {
        for (int l = 1; l < layers.length; l++) {
            int in = layers[l - 1], out = layers[l];
            String name = w + " L" + l;
            cases.add(new GemmCase(name + " fwd", false, true, batch, out, in));       // x[b,in] · W[out,in]ᵀ
            if (l > 1) cases.add(new GemmCase(name + " dX", false, false, batch, in, out)); // dZ[b,out] · W[out,in]
            cases.add(new GemmCase(name + " dW", true, false, out, in, batch));       // dZ[b,out]ᵀ · x[b,in]
        }
    }

    public static Train train(String workload, boolean quick) {
        return switch (workload) {
            case "w1" -> w1(quick);
            case "w2" -> w2(quick);
            case "w3" -> w3(quick);
            default -> throw new IllegalArgumentException("not a training workload: " + workload);
        };
    }

    public static long weights(int[] layers) {
        long n = 0;
        for (int i = 1; i < layers.length; i++) n += (long) layers[i - 1] * layers[i];
        return n;
    }
}
