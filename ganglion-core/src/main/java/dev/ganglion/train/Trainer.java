package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.Split;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Penalty;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.GradientClipping;
import dev.ganglion.optim.Lbfgs;
import dev.ganglion.optim.Optimizer;
import dev.ganglion.optim.schedule.LearningRateSchedule;
import dev.ganglion.tensor.NoGrad;
import dev.ganglion.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training loop, kept visible: for each epoch, shuffle, then for each mini-batch
 * {@code zeroGrad → forward → loss (+ penalties) → backward → clip → step}, then measure and tell
 * the schedule and the listeners. Stops with {@link TrainingDivergedException} as soon as the loss
 * is NaN or infinite.
 *
 * <p>When the loss pairs with the output activation (softmax + cross-entropy, sigmoid + binary
 * cross-entropy), it is computed from the last layer's logits, which is stable for any logit.
 *
 * <p>Optional settings: a {@linkplain #setSchedule learning-rate schedule}, {@linkplain #addPenalty
 * penalties} added to each batch's loss, and {@linkplain #setGradientClipping gradient clipping}.
 * {@link Lbfgs} is driven through its closure, one L-BFGS step per epoch, on the full batch only.
 * The network is in training mode during the updates and in evaluation mode while it is measured
 * (dropout off, batch normalisation on its running statistics), and in evaluation mode afterwards.
 */
public final class Trainer {
    private final Sequential model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final TrainOptions options;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<Penalty> penalties = new ArrayList<>();
    private LearningRateSchedule schedule;
    private Monitor scheduleMonitor;
    private GradientClipping clipping;
    private volatile boolean stopRequested;
    private boolean fusedKernels = true;

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

    /**
     * Adds a penalty (e.g. {@link Penalty.L2}) to the loss of every batch; returns this. The
     * reported epoch losses are the data loss alone, without penalties.
     */
    public Trainer addPenalty(Penalty penalty) {
        penalties.add(penalty);
        return this;
    }

    /**
     * Sets the learning-rate schedule; returns this. Plateau schedules watch the validation loss
     * when {@code fit} has a validation set, else the training loss.
     */
    public Trainer setSchedule(LearningRateSchedule schedule) {
        return setSchedule(schedule, null);
    }

    /** Sets the learning-rate schedule and the figure it is told after each epoch; returns this. */
    public Trainer setSchedule(LearningRateSchedule schedule, Monitor monitor) {
        this.schedule = schedule;
        this.scheduleMonitor = monitor;
        return this;
    }

    /** Clips the gradients between backward and step (null: no clipping); returns this. */
    public Trainer setGradientClipping(GradientClipping clipping) {
        this.clipping = clipping;
        return this;
    }

    /**
     * Whether stacks of Dense layers train through {@link FusedDenseStep} (the default) rather than
     * autograd; both compute the same gradients. Returns this.
     */
    public Trainer setFusedKernels(boolean enabled) {
        this.fusedKernels = enabled;
        return this;
    }

    /** Ends training after the current epoch. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether a stop was requested during the current (or last) {@link #fit}. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The network being trained. */
    public Sequential model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Trains on {@code train}; {@code validation} (nullable) is measured after every epoch. */
    public History fit(Dataset train, Dataset validation) {
        int n = train.size();
        if (n == 0) throw new IllegalArgumentException("training set is empty");
        int batch = options.batchSize() == 0 ? n : Math.min(options.batchSize(), n);
        if (optimizer instanceof Lbfgs && batch < n) {
            throw new IllegalArgumentException("L-BFGS is a full-batch method: use batch size 0 (the whole training set), got "
                    + options.batchSize() + " for " + n + " samples");
        }
        int batches = (n + batch - 1) / batch;
        Monitor monitor = scheduleMonitor != null ? scheduleMonitor
                : validation == null ? Monitor.TRAIN_LOSS : Monitor.VALIDATION_LOSS;
        if (schedule != null && monitor.needsValidation() && validation == null) {
            throw new IllegalArgumentException("the schedule monitors " + monitor.key() + " but fit was given no validation set");
        }
        SplittableRandom rng = new SplittableRandom(options.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        List<EpochStats> history = new ArrayList<>();
        stopRequested = false;
        FusedDenseStep fused = fusedKernels && penalties.isEmpty() ? FusedDenseStep.tryCreate(model, loss).orElse(null) : null;
        model.train(true);
        try {
            for (TrainingListener li : listeners) li.onTrainStart(this);
            for (int epoch = 1; epoch <= options.epochs() && !stopRequested; epoch++) {
                long start = System.nanoTime();
                if (schedule != null) schedule.onEpochStart(epoch);
                if (options.shuffle()) Split.shuffle(order, rng);
                for (int b = 0; b < batches; b++) {
                    int from = b * batch, to = Math.min(n, from + batch);
                    if (schedule != null) schedule.onBatchStart(epoch, b + 1, batches);
                    double value;
                    if (optimizer instanceof Lbfgs) {
                        value = optimizer.step(() -> {
                            optimizer.zeroGrad();
                            return lossAndGradients(fused, train, order, from, to);
                        });
                        checkFinite(value, epoch, b, batches);
                    } else {
                        optimizer.zeroGrad();
                        value = lossAndGradients(fused, train, order, from, to);
                        checkFinite(value, epoch, b, batches);
                        if (clipping != null) clipping.apply(model.parameters());
                        optimizer.step();
                    }
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
                if (schedule != null) schedule.onEpochEnd(epoch, monitor.value(stats));
                for (TrainingListener li : listeners) li.onEpochEnd(stats, this);
            }
        } finally {
            model.train(false);   // also when training stops with an exception
        }
        History result = new History(history);
        for (TrainingListener li : listeners) li.onTrainEnd(result, this);
        return result;
    }

    private void checkFinite(double value, int epoch, int b, int batches) {
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException("training diverged: the loss became " + value
                    + " at epoch " + epoch + ", batch " + (b + 1) + " of " + batches
                    + "; try a smaller learning rate (now " + optimizer.learningRate() + ")");
        }
    }

    /**
     * The loss of the samples {@code order[from..to)} and its gradients, added to the parameters'
     * by the fused step where one applies, else by autograd.
     */
    private float lossAndGradients(FusedDenseStep fused, Dataset train, int[] order, int from, int to) {
        if (fused != null) return fused.lossAndGradients(train, order, from, to);
        int n = train.size();
        Dataset mb = (from == 0 && to == n && !options.shuffle()) ? train : train.rows(Arrays.copyOfRange(order, from, to));
        Tensor l = objective(mb.features(), mb.targets());
        l.backward();
        return l.item();
    }

    /** The loss of a batch plus the penalties: what the updates minimise. */
    private Tensor objective(Tensor x, Tensor y) {
        Tensor l = lossOf(model, loss, x, y);
        for (Penalty p : penalties) l = l.add(p.compute());
        return l;
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

    /**
     * Measures {@code model} on {@code data} in evaluation mode (restored afterwards) without
     * recording a graph, in chunks of 4096 samples.
     */
    public static Evaluation evaluate(Sequential model, Loss loss, Dataset data) {
        int n = data.size();
        if (n == 0) return new Evaluation(Double.NaN, Double.NaN, 0);
        double lossSum = 0, correct = 0;
        boolean accuracyApplies = true;
        boolean wasTraining = model.isTraining();
        model.train(false);
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
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / n, accuracyApplies ? correct / n : Double.NaN, n);
    }
}
