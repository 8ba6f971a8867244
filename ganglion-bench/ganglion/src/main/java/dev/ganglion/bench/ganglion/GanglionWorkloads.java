package dev.ganglion.bench.ganglion;

import dev.ganglion.Ganglion;
import dev.ganglion.bench.LibraryMain;
import dev.ganglion.bench.Measure;
import dev.ganglion.bench.Result;
import dev.ganglion.bench.Spec;
import dev.ganglion.bench.SyntheticData;
import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.tensor.kernel.Gemm;
import dev.ganglion.train.FusedDenseStep;
import dev.ganglion.train.Trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Ganglion's side of every benchmark workload, on ganglion-core's public API only. Each static
 * method runs one workload in this JVM and returns its {@link Result}; {@link #main} is the
 * command line the benchmark driver starts ({@code --workload w1|w2|w3|w4|gemm|ceilings [--json] [--quick]}),
 * and a {@code ganglion bench} command can call {@link #run} directly.
 *
 * <p>Training is the loop {@code Trainer.fit} runs, without its per-epoch evaluation:
 * {@code zeroGrad → FusedDenseStep (forward, loss and backward without a graph; autograd through
 * Trainer.lossOf where it does not apply) → step}, over the batches in the fixed order of {@link Spec.Train}; the peers do the same.
 */
public final class GanglionWorkloads {
    public static final String LIBRARY = "ganglion";

    private GanglionWorkloads() {
    }

    public static void main(String[] args) {
        LibraryMain.run(LIBRARY, Set.copyOf(Spec.WORKLOADS), args, GanglionWorkloads::run);
    }

    /** Runs {@code workload} (w1, w2, w3, w4, gemm or ceilings); {@code quick} shrinks it for a smoke test. */
    public static Result run(String workload, boolean quick) {
        Result r = switch (workload) {
            case "w1", "w2", "w3" -> train(Spec.train(workload, quick));
            case "w4" -> infer(Spec.w4(quick));
            case "gemm" -> gemm(Spec.gemm(quick));
            case "ceilings" -> ceilings(Spec.ceilings(quick));
            default -> throw new IllegalArgumentException("unknown workload " + workload + "; known: " + Spec.WORKLOADS);
        };
        return r.with("version", Ganglion.version())
                .with("gemm_backend", Gemm.backend())
                .with("threads", System.getProperty("ganglion.threads",
                        "default (" + Runtime.getRuntime().availableProcessors() + " cores)"));
    }

    /** The network of a spec, with the shared initial weights. */
    static Sequential network(Spec.Train spec) {
        int[] l = spec.layers();
        List<SyntheticData.Layer> init = SyntheticData.initialWeights(l, spec.seed());
        List<Dense> layers = new ArrayList<>();
        SplittableRandom unused = new SplittableRandom(0);   // the initial values are overwritten below
        for (int i = 1; i < l.length; i++) {
            Activation act = i < l.length - 1 ? new Activation.Relu()
                    : spec.output() == Spec.Output.SIGMOID_BCE ? new Activation.Sigmoid() : new Activation.Softmax();
            Dense d = new Dense(l[i - 1], l[i], act, unused);
            SyntheticData.Layer w = init.get(i - 1);
            System.arraycopy(w.weight(), 0, d.weight().data(), 0, w.weight().length);
            System.arraycopy(w.bias(), 0, d.bias().data(), 0, w.bias().length);
            layers.add(d);
        }
        return new Sequential(layers);
    }

    static Loss loss(Spec.Train spec) {
        return spec.output() == Spec.Output.SIGMOID_BCE ? new Loss.BinaryCrossEntropy() : new Loss.CrossEntropy();
    }

    /** W1, W2, W3: training throughput. */
    public static Result train(Spec.Train spec) {
        SyntheticData.Data data = SyntheticData.forSpec(spec);
        Sequential net = network(spec);
        Loss loss = loss(spec);
        Sgd sgd = new Sgd(net.parameters(), spec.lr());
        FusedDenseStep fused = FusedDenseStep.tryCreate(net, loss).orElse(null);   // as Trainer.fit chooses
        int batches = spec.batches();
        Tensor[] xs = new Tensor[batches], ys = new Tensor[batches];
        for (int b = 0; b < batches; b++) {
            int from = b * spec.batch(), to = Math.min(spec.samples(), from + spec.batch());
            xs[b] = Tensor.of(data.rows(from, to), to - from, data.d());
            ys[b] = Tensor.of(data.labelColumn(from, to), to - from, 1);   // 0/1, or the class index
        }
        LibraryMain.log(LIBRARY, spec.workload() + ": " + spec.describe());
        long warm = System.nanoTime();
        for (int s = 0; s < spec.warmupSteps(); s++) step(net, loss, fused, sgd, xs, ys, s);
        LibraryMain.log(LIBRARY, String.format("warm-up: %d steps in %.1f s", spec.warmupSteps(), (System.nanoTime() - warm) / 1e9));
        long start = System.nanoTime();
        for (int s = spec.warmupSteps(); s < spec.warmupSteps() + spec.timedSteps(); s++) step(net, loss, fused, sgd, xs, ys, s);
        double seconds = (System.nanoTime() - start) / 1e9;
        LibraryMain.log(LIBRARY, String.format("timed: %d steps in %.1f s", spec.timedSteps(), seconds));
        int n = spec.lossSamples();
        Dataset first = new Dataset(Tensor.of(data.rows(0, n), n, data.d()), Tensor.of(data.labelColumn(0, n), n, 1));
        double after = Trainer.evaluate(net, loss, first).loss();
        return Result.training(LIBRARY, spec, seconds, after);
    }

    private static void step(Sequential net, Loss loss, FusedDenseStep fused, Sgd sgd, Tensor[] xs, Tensor[] ys, int s) {
        int b = s % xs.length;
        sgd.zeroGrad();
        if (fused != null) {
            fused.lossAndGradients(xs[b], ys[b]);
        } else {
            Tensor l = Trainer.lossOf(net, loss, xs[b], ys[b]);
            l.backward();
        }
        sgd.step();
    }

    /** W4: one-sample latency and batched throughput of the W2 network (softmax outputs). */
    public static Result infer(Spec.Infer spec) {
        Spec.Train netSpec = spec.network();
        Sequential net = network(netSpec);
        net.train(false);
        SyntheticData.Data data = SyntheticData.forSpec(netSpec);
        int d = data.d();
        int distinct = Math.min(data.n(), spec.latencyCalls());
        float[][] samples = new float[distinct][];
        for (int i = 0; i < distinct; i++) samples[i] = data.rows(i, i + 1);
        double[] lat = Measure.timeCalls(i -> {
            try (var scope = NoGrad.enter()) {
                float[] out = net.forward(Tensor.of(samples[i % distinct], 1, d)).data();
                Measure.consume(out[0]);
            }
        }, spec.latencyWarmupCalls(), spec.latencyCalls(), 0);
        // the warm-up calls are not in lat; exactly latencyCalls timed calls
        double latencyUs = Measure.median(lat) * 1e6;

        int per = spec.batchSize(), nb = spec.batchesPerPass();
        float[][] batches = new float[nb][];
        for (int b = 0; b < nb; b++) batches[b] = data.rows(b * per, (b + 1) * per);
        double[] passes = Measure.timeCallsAfterWarmup(p -> {
            try (var scope = NoGrad.enter()) {
                for (float[] x : batches) {
                    float[] out = net.forward(Tensor.of(x, per, d)).data();
                    Measure.consume(out[0]);
                }
            }
        }, spec.batchedWarmupPasses(), spec.batchedWarmupSeconds(), spec.batchedTimedPasses());
        double batched = spec.batchedSamples() / Measure.median(passes);
        return Result.inference(LIBRARY, spec, latencyUs, batched)
                .with("latency_p90_us", percentile(lat, 0.9) * 1e6);
    }

    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(q * s.length))];
    }

    /** The machine's ceilings: FMA peak and per-core read bandwidth ({@link Ceilings}). */
    public static Result ceilings(Spec.Ceilings spec) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("the ceilings are measured with the Vector API: run with "
                    + "--add-modules jdk.incubator.vector (the ganglion launcher does)");
        }
        int threads = Runtime.getRuntime().availableProcessors();
        Ceilings.Result c = Ceilings.measure(spec, threads);
        LibraryMain.log(LIBRARY, String.format("FMA peak %.1f GFLOP/s on 1 thread, %.1f on %d; reads %.1f GB/s per core from %d KiB, %.1f from %d MiB",
                c.fmaPeakGflops1t(), c.fmaPeakGflops(), threads, c.cacheReadGbsPerCore(), c.cacheKib(),
                c.memoryReadGbsPerCore(), c.memoryMib()));
        return Result.fields(LIBRARY, "ceilings")
                .with("fma_peak_gflops_1t", round1(c.fmaPeakGflops1t()))
                .with("fma_peak_gflops", round1(c.fmaPeakGflops()))
                .with("cache_read_gbs_per_core", round1(c.cacheReadGbsPerCore()))
                .with("memory_read_gbs_per_core", round1(c.memoryReadGbsPerCore()))
                .with("cache_kib", c.cacheKib())
                .with("memory_mib", c.memoryMib())
                .with("vector_lanes", c.lanes())
                .with("cores", c.threads());
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    /** GEMM: GFLOP/s of {@link Gemm#gemm} per case (C overwritten, not accumulated). */
    public static Result gemm(Spec.Gemm spec) {
        List<Result.GemmPoint> points = new ArrayList<>();
        for (Spec.GemmCase c : spec.cases()) {
            float[] a = SyntheticData.uniformMatrix(c.m() * c.k(), 1);
            float[] b = SyntheticData.uniformMatrix(c.k() * c.n(), 2);
            float[] out = new float[c.m() * c.n()];
            double[] t = Measure.timeCallsWarm(i -> Gemm.gemm(c.transA(), c.transB(), c.m(), c.n(), c.k(),
                    a, 0, b, 0, out, 0, false), spec.minCalls(), spec.minSeconds());
            Result.GemmPoint point = Result.GemmPoint.of(c, t);
            points.add(point);
            LibraryMain.log(LIBRARY, String.format("gemm %-30s %8.2f GFLOP/s (median), %8.2f (best)", c.key(), point.gflops(), point.bestGflops()));
        }
        return Result.gemm(LIBRARY, points);
    }
}
