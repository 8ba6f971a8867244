package dev.ganglion.bench.encog;

import dev.ganglion.bench.LibraryMain;
import dev.ganglion.bench.Measure;
import dev.ganglion.bench.Result;
import dev.ganglion.bench.Spec;
import dev.ganglion.bench.SyntheticData;
import org.encog.Encog;
import org.encog.engine.network.activation.ActivationReLU;
import org.encog.engine.network.activation.ActivationSigmoid;
import org.encog.engine.network.activation.ActivationSoftMax;
import org.encog.ml.data.basic.BasicMLDataSet;
import org.encog.neural.error.CrossEntropyErrorFunction;
import org.encog.neural.networks.BasicNetwork;
import org.encog.neural.networks.layers.BasicLayer;
import org.encog.neural.networks.training.propagation.back.Backpropagation;

import java.util.List;
import java.util.Set;

/**
 * Encog 3.4 (pure Java, double precision, one thread in mini-batch mode). Training is Encog's own
 * {@link Backpropagation} with momentum 0, the cross-entropy error function (its output error is
 * y − p, the gradient of binary / categorical cross-entropy with respect to the logits, as with the
 * other libraries) and no flat-spot fix. Two things differ from the others and are corrected for:
 * <ul>
 *   <li>Encog sums the gradients over a batch instead of averaging them, so its learning rate is
 *       lr / batch (the same update as the mean-loss SGD of the others; the short last batch of an
 *       epoch gets a slightly smaller step).</li>
 *   <li>Encog 3.4's {@code Propagation.processBatches} advances its batch counter twice per sample,
 *       so {@code setBatchSize(B)} updates every ⌈(B+1)/2⌉ samples; {@code setBatchSize(2·batch − 1)}
 *       gives an update every {@code batch} samples, as asked.</li>
 * </ul>
 * And one Encog bug is worked around: 3.4 applies the derivative of the layer above to each hidden
 * layer (issue #243), see {@link OutputWithReluBelow}.
 *
 * <p>One {@code iteration()} is one epoch over the whole data set in order, so the timed steps must
 * be whole epochs (they are for W1 and W2).
 */
public final class EncogBench {
    static final String LIBRARY = "encog";

    private EncogBench() {
    }

    public static void main(String[] args) {
        LibraryMain.run(LIBRARY, Set.of("w1", "w2", "w4"), args, EncogBench::run);
    }

    static Result run(String workload, boolean quick) {
        Result r = switch (workload) {
            case "w1", "w2" -> train(Spec.train(workload, quick));
            case "w4" -> infer(Spec.w4(quick));
            default -> throw new IllegalArgumentException(workload);
        };
        r.with("version", "encog-core " + Encog.VERSION);
        r.with("threads", 1);
        r.with("precision", "float64");
        Encog.getInstance().shutdown();
        return r;
    }

    static BasicNetwork network(Spec.Train spec) {
        int[] l = spec.layers();
        BasicNetwork net = new BasicNetwork();
        net.addLayer(new BasicLayer(null, true, l[0]));
        for (int i = 1; i < l.length; i++) {
            boolean last = i == l.length - 1;
            net.addLayer(new BasicLayer(!last ? new ActivationReLU()
                    : new OutputWithReluBelow(spec.output() == Spec.Output.SIGMOID_BCE ? new ActivationSigmoid() : new ActivationSoftMax()),
                    !last, l[i]));
        }
        net.getStructure().finalizeStructure();
        net.reset();
        List<SyntheticData.Layer> init = SyntheticData.initialWeights(l, spec.seed());
        for (int i = 0; i < init.size(); i++) {
            SyntheticData.Layer layer = init.get(i);
            for (int o = 0; o < layer.out(); o++) {
                for (int in = 0; in < layer.in(); in++) net.setWeight(i, in, o, layer.weight()[o * layer.in() + in]);
                net.setWeight(i, layer.in(), o, layer.bias()[o]);   // the bias neuron comes after the inputs
            }
        }
        return net;
    }

    static double[][] inputs(SyntheticData.Data data, int from, int to) {
        double[][] x = new double[to - from][data.d()];
        for (int i = from; i < to; i++) for (int j = 0; j < data.d(); j++) x[i - from][j] = data.x()[i * data.d() + j];
        return x;
    }

    static double[][] ideals(Spec.Train spec, SyntheticData.Data data, int from, int to) {
        int k = spec.output() == Spec.Output.SIGMOID_BCE ? 1 : data.classes();
        double[][] y = new double[to - from][k];
        for (int i = from; i < to; i++) {
            if (k == 1) y[i - from][0] = data.label()[i];
            else y[i - from][data.label()[i]] = 1;
        }
        return y;
    }

    static Result train(Spec.Train spec) {
        int epoch = spec.batches();
        if (spec.warmupSteps() % epoch != 0 || spec.timedSteps() % epoch != 0) {
            throw new IllegalArgumentException("Encog trains whole epochs; " + spec.workload() + " is not whole epochs");
        }
        SyntheticData.Data data = SyntheticData.forSpec(spec);
        BasicNetwork net = network(spec);
        BasicMLDataSet set = new BasicMLDataSet(inputs(data, 0, data.n()), ideals(spec, data, 0, data.n()));
        Backpropagation train = new Backpropagation(net, set, spec.lr() / spec.batch(), 0.0);
        train.setBatchSize(2 * spec.batch() - 1);   // = an update every spec.batch() samples (see the class comment)
        train.setErrorFunction(new CrossEntropyErrorFunction());
        train.fixFlatSpot(false);
        train.setThreadCount(1);
        LibraryMain.log(LIBRARY, spec.workload() + ": " + spec.describe());
        for (int e = 0; e < spec.warmupSteps() / epoch; e++) train.iteration();
        long start = System.nanoTime();
        for (int e = 0; e < spec.timedSteps() / epoch; e++) train.iteration();
        double seconds = (System.nanoTime() - start) / 1e9;
        train.finishTraining();
        return Result.training(LIBRARY, spec, seconds, meanLoss(net, spec, data, spec.lossSamples()));
    }

    /** Mean binary / categorical cross-entropy on the first n samples (p clamped to [1e-7, 1-1e-7]). */
    static double meanLoss(BasicNetwork net, Spec.Train spec, SyntheticData.Data data, int n) {
        double[][] x = inputs(data, 0, n);
        double[] out = new double[spec.outputs()];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            net.compute(x[i], out);
            int y = data.label()[i];
            if (spec.output() == Spec.Output.SIGMOID_BCE) {
                double p = Math.min(1 - 1e-7, Math.max(1e-7, out[0]));
                sum -= y == 1 ? Math.log(p) : Math.log(1 - p);
            } else {
                sum -= Math.log(Math.max(1e-7, out[y]));
            }
        }
        return sum / n;
    }

    static Result infer(Spec.Infer spec) {
        Spec.Train netSpec = spec.network();
        SyntheticData.Data data = SyntheticData.forSpec(netSpec);
        BasicNetwork net = network(netSpec);
        int distinct = Math.min(data.n(), spec.latencyCalls());
        double[][] samples = inputs(data, 0, distinct);
        double[] lat = Measure.timeCalls(i -> {
            double[] out = new double[netSpec.outputs()];
            net.compute(samples[i % distinct], out);
            Measure.consume((float) out[0]);
        }, spec.latencyWarmupCalls(), spec.latencyCalls(), 0);
        double[][] all = inputs(data, 0, spec.batchedSamples());
        double[][] allOut = new double[spec.batchedSamples()][netSpec.outputs()];
        double[] passes = Measure.timeCallsAfterWarmup(p -> {
            // Encog has no batched forward pass: a batch of 1,000 is 1,000 single-sample calls
            for (int i = 0; i < all.length; i++) net.compute(all[i], allOut[i]);
            Measure.consume((float) allOut[0][0]);
        }, spec.batchedWarmupPasses(), spec.batchedWarmupSeconds(), spec.batchedTimedPasses());
        return Result.inference(LIBRARY, spec, Measure.median(lat) * 1e6, spec.batchedSamples() / Measure.median(passes));
    }
}
