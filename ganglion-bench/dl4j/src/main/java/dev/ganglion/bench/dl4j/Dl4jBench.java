package dev.ganglion.bench.dl4j;

import dev.ganglion.bench.LibraryMain;
import dev.ganglion.bench.Measure;
import dev.ganglion.bench.Result;
import dev.ganglion.bench.Spec;
import dev.ganglion.bench.SyntheticData;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Set;

/**
 * Deeplearning4j (MultiLayerNetwork on nd4j-native, float32). One training step is
 * {@code net.fit(DataSet)} on a batch made before timing: forward, loss (XENT after a sigmoid output,
 * MCXENT after softmax, averaged over the batch), backward, SGD update.
 */
public final class Dl4jBench {
    static final String LIBRARY = "dl4j";

    private Dl4jBench() {
    }

    public static void main(String[] args) {
        LibraryMain.run(LIBRARY, Set.of("w1", "w2", "w3", "w4"), args, Dl4jBench::run);
    }

    static Result run(String workload, boolean quick) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Result r = switch (workload) {
            case "w1", "w2", "w3" -> train(Spec.train(workload, quick));
            case "w4" -> infer(Spec.w4(quick));
            default -> throw new IllegalArgumentException(workload);
        };
        r.with("version", "deeplearning4j-nn " + Measure.mavenVersion("org.deeplearning4j", "deeplearning4j-nn")
                + ", nd4j-native " + Measure.mavenVersion("org.nd4j", "nd4j-native"));
        try {
            r.with("blas", Nd4j.factory().blas().getBlasVendor() + ", " + Nd4j.factory().blas().getMaxThreads() + " threads");
        } catch (Throwable e) {
            r.with("blas", "unknown (" + e + ")");
        }
        return r;
    }

    static MultiLayerNetwork network(Spec.Train spec) {
        int[] l = spec.layers();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .updater(new Sgd(spec.lr()))
                .list();
        for (int i = 1; i < l.length; i++) {
            if (i < l.length - 1) {
                list.layer(new DenseLayer.Builder().nIn(l[i - 1]).nOut(l[i]).activation(Activation.RELU).build());
            } else if (spec.output() == Spec.Output.SIGMOID_BCE) {
                list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(l[i - 1]).nOut(l[i])
                        .activation(Activation.SIGMOID).build());
            } else {
                list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(l[i - 1]).nOut(l[i])
                        .activation(Activation.SOFTMAX).build());
            }
        }
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<SyntheticData.Layer> init = SyntheticData.initialWeights(l, spec.seed());
        for (int i = 0; i < init.size(); i++) {
            SyntheticData.Layer layer = init.get(i);
            net.setParam(i + "_W", Nd4j.create(layer.weightInByOut(), new long[]{layer.in(), layer.out()}, 'c'));
            net.setParam(i + "_b", Nd4j.create(layer.bias(), new long[]{1, layer.out()}, 'c'));
        }
        return net;
    }

    private static INDArray labels(Spec.Train spec, SyntheticData.Data data, int from, int to) {
        if (spec.output() == Spec.Output.SIGMOID_BCE) return Nd4j.create(data.labelColumn(from, to), new long[]{to - from, 1}, 'c');
        return Nd4j.create(data.oneHot(from, to), new long[]{to - from, data.classes()}, 'c');
    }

    static Result train(Spec.Train spec) {
        SyntheticData.Data data = SyntheticData.forSpec(spec);
        MultiLayerNetwork net = network(spec);
        int batches = spec.batches();
        DataSet[] ds = new DataSet[batches];
        for (int b = 0; b < batches; b++) {
            int from = b * spec.batch(), to = Math.min(spec.samples(), from + spec.batch());
            ds[b] = new DataSet(Nd4j.create(data.rows(from, to), new long[]{to - from, data.d()}, 'c'), labels(spec, data, from, to));
        }
        LibraryMain.log(LIBRARY, spec.workload() + ": " + spec.describe());
        for (int s = 0; s < spec.warmupSteps(); s++) net.fit(ds[s % batches]);
        long start = System.nanoTime();
        for (int s = spec.warmupSteps(); s < spec.warmupSteps() + spec.timedSteps(); s++) net.fit(ds[s % batches]);
        double seconds = (System.nanoTime() - start) / 1e9;
        int n = spec.lossSamples();
        DataSet first = new DataSet(Nd4j.create(data.rows(0, n), new long[]{n, data.d()}, 'c'), labels(spec, data, 0, n));
        double after = net.score(first, false);
        return Result.training(LIBRARY, spec, seconds, after);
    }

    static Result infer(Spec.Infer spec) {
        Spec.Train netSpec = spec.network();
        SyntheticData.Data data = SyntheticData.forSpec(netSpec);
        MultiLayerNetwork net = network(netSpec);
        int d = data.d();
        int distinct = Math.min(data.n(), spec.latencyCalls());
        float[][] samples = new float[distinct][];
        for (int i = 0; i < distinct; i++) samples[i] = data.rows(i, i + 1);
        long[] one = {1, d};
        double[] lat = Measure.timeCalls(i -> {
            INDArray out = net.output(Nd4j.create(samples[i % distinct], one, 'c'), false);
            Measure.consume(out.toFloatMatrix()[0][0]);
        }, spec.latencyWarmupCalls(), spec.latencyCalls(), 0);
        int per = spec.batchSize(), nb = spec.batchesPerPass();
        float[][] batches = new float[nb][];
        for (int b = 0; b < nb; b++) batches[b] = data.rows(b * per, (b + 1) * per);
        long[] shape = {per, d};
        double[] passes = Measure.timeCallsAfterWarmup(p -> {
            for (float[] xb : batches) {
                INDArray out = net.output(Nd4j.create(xb, shape, 'c'), false);
                Measure.consume(out.toFloatMatrix()[0][0]);
            }
        }, spec.batchedWarmupPasses(), spec.batchedWarmupSeconds(), spec.batchedTimedPasses());
        return Result.inference(LIBRARY, spec, Measure.median(lat) * 1e6, spec.batchedSamples() / Measure.median(passes));
    }
}
