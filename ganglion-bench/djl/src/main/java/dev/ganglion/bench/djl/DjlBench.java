package dev.ganglion.bench.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.ganglion.bench.LibraryMain;
import dev.ganglion.bench.Measure;
import dev.ganglion.bench.Result;
import dev.ganglion.bench.Spec;
import dev.ganglion.bench.SyntheticData;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PyTorch through DJL (engine ai.djl.pytorch, CPU). Training is DJL's own loop, written out as
 * EasyTrain does it minus its metrics: a GradientCollector around forward + loss + backward, then
 * {@code trainer.step()} (SGD update, which also zeroes the gradients). The network outputs logits;
 * the loss applies the sigmoid / softmax (sigmoidBinaryCrossEntropyLoss, softmaxCrossEntropyLoss with
 * sparse labels), as Ganglion fuses them. Each step's temporaries live in a sub-manager closed after
 * the step; the batches are made before timing and only attached to it.
 */
public final class DjlBench {
    static final String LIBRARY = "pytorch";

    private DjlBench() {
    }

    public static void main(String[] args) {
        LibraryMain.run(LIBRARY, Set.of("w1", "w2", "w3", "w4", "gemm"), args, DjlBench::run);
    }

    static Result run(String workload, boolean quick) throws Exception {
        Result r = switch (workload) {
            case "w1", "w2", "w3" -> train(Spec.train(workload, quick));
            case "w4" -> infer(Spec.w4(quick));
            case "gemm" -> gemm(Spec.gemm(quick));
            default -> throw new IllegalArgumentException(workload);
        };
        Engine engine = Engine.getInstance();
        r.with("version", "DJL " + Engine.getDjlVersion() + ", " + engine.getEngineName() + " " + engine.getVersion());
        try {
            r.with("threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
        } catch (Throwable e) {
            r.with("threads", "unknown");
        }
        return r;
    }

    static SequentialBlock block(Spec.Train spec) {
        SequentialBlock block = new SequentialBlock();
        int[] l = spec.layers();
        for (int i = 1; i < l.length; i++) {
            block.add(Linear.builder().setUnits(l[i]).build());
            if (i < l.length - 1) block.add(Activation.reluBlock());
        }
        return block;
    }

    /** Copies the shared initial weights into an initialised block (Linear: weight [out, in], bias [out]). */
    static void load(SequentialBlock block, Spec.Train spec) {
        List<SyntheticData.Layer> init = SyntheticData.initialWeights(spec.layers(), spec.seed());
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) params.add(p.getValue());
        if (params.size() != 2 * init.size()) throw new IllegalStateException("unexpected parameters " + block.getParameters().keys());
        for (int i = 0; i < init.size(); i++) {
            NDArray w = params.get(2 * i).getArray(), b = params.get(2 * i + 1).getArray();
            SyntheticData.Layer layer = init.get(i);
            if (w.getShape().get(0) != layer.out() || w.getShape().get(1) != layer.in()) {
                throw new IllegalStateException("weight shape " + w.getShape() + " for layer " + layer.in() + "->" + layer.out());
            }
            w.set(layer.weight());
            b.set(layer.bias());
        }
    }

    static Result train(Spec.Train spec) {
        SyntheticData.Data data = SyntheticData.forSpec(spec);
        try (Model model = Model.newInstance(spec.workload(), Device.cpu());
             NDManager dataManager = NDManager.newBaseManager(Device.cpu())) {
            SequentialBlock block = block(spec);
            model.setBlock(block);
            Loss loss = spec.output() == Spec.Output.SIGMOID_BCE ? Loss.sigmoidBinaryCrossEntropyLoss()
                    : Loss.softmaxCrossEntropyLoss();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(spec.lr())).build())
                    .optDevices(new Device[]{Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(spec.batch(), spec.inputs()));
                load(block, spec);
                int batches = spec.batches();
                NDArray[] xs = new NDArray[batches], ys = new NDArray[batches];
                for (int b = 0; b < batches; b++) {
                    int from = b * spec.batch(), to = Math.min(spec.samples(), from + spec.batch());
                    xs[b] = dataManager.create(data.rows(from, to), new Shape(to - from, data.d()));
                    ys[b] = labels(dataManager, spec, data, from, to);
                }
                LibraryMain.log(LIBRARY, spec.workload() + ": " + spec.describe());
                for (int s = 0; s < spec.warmupSteps(); s++) step(trainer, dataManager, xs, ys, s);
                long start = System.nanoTime();
                for (int s = spec.warmupSteps(); s < spec.warmupSteps() + spec.timedSteps(); s++) step(trainer, dataManager, xs, ys, s);
                double seconds = (System.nanoTime() - start) / 1e9;

                int n = spec.lossSamples();
                double after;
                try (NDManager sub = dataManager.newSubManager()) {
                    NDArray x = sub.create(data.rows(0, n), new Shape(n, data.d()));
                    NDArray y = labels(sub, spec, data, 0, n);
                    NDList out = block.forward(new ParameterStore(sub, false), new NDList(x), false);
                    after = loss.evaluate(new NDList(y), out).getFloat();
                }
                return Result.training(LIBRARY, spec, seconds, after);
            }
        }
    }

    private static NDArray labels(NDManager m, Spec.Train spec, SyntheticData.Data data, int from, int to) {
        if (spec.output() == Spec.Output.SIGMOID_BCE) return m.create(data.labelColumn(from, to), new Shape(to - from, 1));
        long[] idx = new long[to - from];
        for (int i = from; i < to; i++) idx[i - from] = data.label()[i];
        return m.create(idx, new Shape(to - from));
    }

    private static void step(Trainer trainer, NDManager dataManager, NDArray[] xs, NDArray[] ys, int s) {
        int b = s % xs.length;
        try (NDManager sub = dataManager.newSubManager()) {
            xs[b].tempAttach(sub);
            ys[b].tempAttach(sub);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(xs[b]));
                NDArray l = trainer.getLoss().evaluate(new NDList(ys[b]), pred);
                gc.backward(l);
            }
            trainer.step();
        }
    }

    static Result infer(Spec.Infer spec) {
        Spec.Train netSpec = spec.network();
        SyntheticData.Data data = SyntheticData.forSpec(netSpec);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            SequentialBlock block = block(netSpec);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, netSpec.inputs()));
            load(block, netSpec);
            ParameterStore ps = new ParameterStore(manager, false);
            int d = data.d();
            int distinct = Math.min(data.n(), spec.latencyCalls());
            float[][] samples = new float[distinct][];
            for (int i = 0; i < distinct; i++) samples[i] = data.rows(i, i + 1);
            Shape one = new Shape(1, d);
            double[] lat = Measure.timeCalls(i -> {
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = sub.create(samples[i % distinct], one);
                    float[] out = block.forward(ps, new NDList(x), false).singletonOrThrow().softmax(1).toFloatArray();
                    Measure.consume(out[0]);
                }
            }, spec.latencyWarmupCalls(), spec.latencyCalls(), 0);
            int per = spec.batchSize(), nb = spec.batchesPerPass();
            float[][] batches = new float[nb][];
            for (int b = 0; b < nb; b++) batches[b] = data.rows(b * per, (b + 1) * per);
            Shape batchShape = new Shape(per, d);
            double[] passes = Measure.timeCallsAfterWarmup(p -> {
                for (float[] xb : batches) {
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray x = sub.create(xb, batchShape);
                        float[] out = block.forward(ps, new NDList(x), false).singletonOrThrow().softmax(1).toFloatArray();
                        Measure.consume(out[0]);
                    }
                }
            }, spec.batchedWarmupPasses(), spec.batchedWarmupSeconds(), spec.batchedTimedPasses());
            return Result.inference(LIBRARY, spec, Measure.median(lat) * 1e6, spec.batchedSamples() / Measure.median(passes));
        }
    }

    /** torch matmul on DJL arrays; transposed operands are transposed views (no copy). */
    static Result gemm(Spec.Gemm spec) {
        List<Result.GemmPoint> points = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (Spec.GemmCase c : spec.cases()) {
                try (NDManager m = manager.newSubManager()) {
                    Shape sa = c.transA() ? new Shape(c.k(), c.m()) : new Shape(c.m(), c.k());
                    Shape sb = c.transB() ? new Shape(c.n(), c.k()) : new Shape(c.k(), c.n());
                    NDArray a0 = m.create(SyntheticData.uniformMatrix(c.m() * c.k(), 1), sa);
                    NDArray b0 = m.create(SyntheticData.uniformMatrix(c.k() * c.n(), 2), sb);
                    NDArray a = c.transA() ? a0.transpose() : a0;
                    NDArray b = c.transB() ? b0.transpose() : b0;
                    double[] t = Measure.timeCallsWarm(i -> {
                        try (NDManager call = m.newSubManager()) {
                            a.tempAttach(call);
                            NDArray out = a.matMul(b);
                            out.getShape();
                        }
                    }, spec.minCalls(), spec.minSeconds());
                    Result.GemmPoint point = Result.GemmPoint.of(c, t);
                    points.add(point);
                    LibraryMain.log(LIBRARY, String.format("gemm %-30s %8.2f GFLOP/s (median), %8.2f (best)", c.key(), point.gflops(), point.bestGflops()));
                }
            }
        }
        return Result.gemm(LIBRARY, points);
    }
}
