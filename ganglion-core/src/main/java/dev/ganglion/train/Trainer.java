package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.Split;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Optimizer;
import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training loop, kept visible: for each epoch, shuffle, then for each mini-batch
 * {@code zeroGrad → forward → loss → backward → step}, then measure and tell the listeners.
 * Stops with {@link TrainingDivergedException} as soon as the loss is NaN or infinite.
 *
 * <p>When the loss pairs with the output activation (softmax + cross-entropy, sigmoid + binary
 * cross-entropy), it is computed from the last layer's logits, which is stable for any logit.
 */
public final class Trainer {
    private final Sequential model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final TrainOptions options;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private volatile boolean stopRequested;

    public Trainer(Sequential model, Loss loss, Optimizer optimizer, TrainOptions options) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.options = options;
    }

    /** Adds a listener; returns this. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Ends training after the current epoch. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Trains on {@code train}; {@code validation} (nullable) is measured after every epoch. */
    public History fit(Dataset train, Dataset validation) {
        int n = train.size();
        if (n == 0) throw new IllegalArgumentException("training set is empty");
        int batch = options.batchSize() == 0 ? n : Math.min(options.batchSize(), n);
        int batches = (n + batch - 1) / batch;
        SplittableRandom rng = new SplittableRandom(options.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        List<EpochStats> history = new ArrayList<>();
        stopRequested = false;
        model.train(true);
        for (int epoch = 1; epoch <= options.epochs() && !stopRequested; epoch++) {
            long start = System.nanoTime();
            if (options.shuffle()) Split.shuffle(order, rng);
            for (int b = 0; b < batches; b++) {
                int from = b * batch, to = Math.min(n, from + batch);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                Dataset mb = (from == 0 && to == n && !options.shuffle()) ? train : train.rows(idx);
                optimizer.zeroGrad();
                Tensor l = lossOn(mb.features(), mb.targets());
                double value = l.item();
                if (!Double.isFinite(value)) {
                    throw new TrainingDivergedException("training diverged: the loss became " + value
                            + " at epoch " + epoch + ", batch " + (b + 1) + " of " + batches
                            + "; try a smaller learning rate (now " + optimizer.learningRate() + ")");
                }
                l.backward();
                optimizer.step();
                for (TrainingListener li : listeners) li.onBatchEnd(epoch, b + 1, batches, value);
            }
            Evaluation tr = evaluate(model, loss, train);
            Evaluation va = validation == null ? null : evaluate(model, loss, validation);
            if (!Double.isFinite(tr.loss())) {
                throw new TrainingDivergedException("training diverged: the loss became " + tr.loss()
                        + " after epoch " + epoch + "; try a smaller learning rate (now " + optimizer.learningRate() + ")");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats = new EpochStats(epoch, tr.loss(), tr.accuracy(),
                    va == null ? Double.NaN : va.loss(), va == null ? Double.NaN : va.accuracy(),
                    optimizer.learningRate(), seconds);
            history.add(stats);
            for (TrainingListener li : listeners) li.onEpochEnd(stats, this);
        }
        model.train(false);
        return new History(history);
    }

    private Tensor lossOn(Tensor x, Tensor y) {
        return lossOf(model, loss, x, y);
    }

    /** The loss of {@code model} on a batch, fused with the output activation where that is stabler. */
    public static Tensor lossOf(Sequential model, Loss loss, Tensor x, Tensor y) {
        if (model.layers().getLast() instanceof Dense last && loss.fusesWith(last.activation())) {
            return loss.computeFromLogits(model.forwardLogits(x), y);
        }
        return loss.compute(model.forward(x), y);
    }

    /** Loss and accuracy of a model on a data set. */
    public record Evaluation(double loss, double accuracy, int samples) {
    }

    /** Measures {@code model} on {@code data} without recording a graph, in chunks of 4096 samples. */
    public static Evaluation evaluate(Sequential model, Loss loss, Dataset data) {
        int n = data.size();
        if (n == 0) return new Evaluation(Double.NaN, Double.NaN, 0);
        double lossSum = 0, correct = 0;
        boolean accuracyApplies = true;
        try (var scope = NoGrad.enter()) {
            int chunk = 4096;
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                Dataset part = from == 0 && to == n ? data : data.slice(from, to);
                Tensor outputs, l;
                if (model.layers().getLast() instanceof Dense last && loss.fusesWith(last.activation())) {
                    Tensor z = model.forwardLogits(part.features());
                    l = loss.computeFromLogits(z, part.targets());
                    outputs = last.activation().apply(z);
                } else {
                    outputs = model.forward(part.features());
                    l = loss.compute(outputs, part.targets());
                }
                lossSum += l.item() * (to - from);
                double acc = Metrics.accuracy(outputs, part.targets(), loss);
                if (Double.isNaN(acc)) accuracyApplies = false;
                else correct += acc * (to - from);
            }
        }
        return new Evaluation(lossSum / n, accuracyApplies ? correct / n : Double.NaN, n);
    }
}
