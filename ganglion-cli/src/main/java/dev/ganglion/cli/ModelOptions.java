package dev.ganglion.cli;

import dev.ganglion.data.Imputer;
import dev.ganglion.io.TabularData;
import dev.ganglion.model.Layer;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Initializer;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options that describe data, network and training, shared by {@code train} and {@code cv}. */
final class ModelOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Read the run from a YAML or JSON file (or a saved model's config.json); options given here override it.")
    Path config;

    @Option(names = "--data", paramLabel = "FILE", description = "Training data: CSV with a header row, or IDX images (with --labels). Required unless --config gives it.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels file (gzip or plain) for IDX images in --data.")
    Path labels;

    @Option(names = "--label", paramLabel = "COLUMN[,COLUMN...]",
            description = "The CSV column to predict. Several columns: one sigmoid output per column (multi-label, 0/1 "
                    + "columns, --loss bce) or one linear output per column (regression, --loss mse|mae).")
    String label;

    @Option(names = "--features", split = ",", paramLabel = "COLUMN",
            description = "Feature columns (default: every column but the label).")
    List<String> features;

    @Option(names = "--categorical", split = ",", paramLabel = "COLUMN",
            description = "Feature columns holding categories, one-hot encoded; the categories are stored with the model.")
    List<String> categorical;

    @Option(names = "--impute", paramLabel = "STRATEGY",
            description = "Fill missing feature values (empty, NA, NaN) with the training part's mean, median or most_frequent "
                    + "value (categorical columns: most_frequent); stored with the model. Default: missing values are an error.")
    String impute;

    @Option(names = "--layers", paramLabel = "UNITS:ACT,...",
            description = "Layers after the input, e.g. 3:relu,1:sigmoid or 128:relu,batchnorm,dropout(0.2),10:softmax. The input width comes from the data. "
                    + "Required unless --config gives them.")
    String layers;

    /** The layers of a --config file, used when --layers is not given. */
    List<Layer> configLayers;

    @Option(names = "--loss", paramLabel = "NAME",
            description = "mse, bce, bce_logits, ce or mae (default: ce after softmax, bce after sigmoid, else mse).")
    String loss;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME",
            description = "sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad or lbfgs (full batch) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.1 for sgd, 1 for lbfgs, 0.01 otherwise).")
    Float learningRate;

    @Option(names = "--epochs", defaultValue = "100", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B",
            description = "Mini-batch size; 1 = per-sample updates, 0 = full batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for the split, the initial weights and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scale", paramLabel = "X", description = "Divide every feature by X, e.g. 255 for RGB values.")
    Float scale;

    @Option(names = "--normalize", paramLabel = "KIND", description = "minmax or standard, fitted on the training part.")
    String normalize;

    @Option(names = "--init", paramLabel = "NAME", description = "Weight initializer for every layer (default: by activation).")
    String init;

    @Option(names = "--class-weights", paramLabel = "balanced|W0,W1,...",
            description = "Weight each class in the cross-entropy (bce, bce_logits, ce): balanced = n / (classes × count of the class) "
                    + "from --data, or one weight per class in class order (multi-label: W0,W1 for every label's 0 and 1).")
    String classWeights;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "X",
            description = "Weight decay on the weight matrices (decoupled for adamw, whose default is 0.01).")
    float weightDecay;

    @Option(names = "--momentum", paramLabel = "X", description = "Momentum for sgd/momentum/nesterov (default 0.9 for the last two) and rmsprop.")
    Float momentum;

    @Option(names = "--schedule", defaultValue = "none", paramLabel = "NAME",
            description = "Learning-rate schedule: none, step(EPOCHS,GAMMA), exp(GAMMA), cosine, cosine(MIN_LR), plateau (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "EPOCHS", description = "Linear warm-up epochs for --schedule cosine.")
    int warmup;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Clip the gradients' global L2 norm to X.")
    Double clipNorm;

    @Option(names = "--clip-value", paramLabel = "X", description = "Clip every gradient element to [-X, X].")
    Double clipValue;

    @Option(names = "--l1", defaultValue = "0", paramLabel = "LAMBDA", description = "L1 penalty λ·Σ|w| on the weight matrices.")
    float l1;

    @Option(names = "--l2", defaultValue = "0", paramLabel = "LAMBDA", description = "L2 penalty λ/2·Σw² on the weight matrices.")
    float l2;

    @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "PATIENCE",
            description = "Stop after PATIENCE epochs without improvement of --monitor and restore the best weights (needs --val-split).")
    int earlyStopping;

    @Option(names = "--monitor", defaultValue = "val_loss", paramLabel = "NAME",
            description = "What --early-stopping and --schedule plateau watch: val_loss, val_accuracy, loss, accuracy (default: ${DEFAULT-VALUE}).")
    String monitor;

    @Option(names = "--val-split", defaultValue = "0", paramLabel = "F",
            description = "Fraction of the training part held out (stratified) for validation during training.")
    double valSplit;

    /** The training regimen the options describe. */
    Regimen regimen() {
        float lr = learningRate != null ? learningRate : Regimen.defaultLearningRate(optimizer);
        Regimen r = new Regimen(optimizer, lr, weightDecay, momentum, schedule, warmup, clipNorm, clipValue, l1, l2,
                earlyStopping, monitor, valSplit);
        r.validate(batch);
        return r;
    }

    /** The parsed choices and the loaded data. */
    record Prepared(List<Layer> layers, Loss loss, TabularData.Target target, boolean classify,
                    TabularData.Labeled data, Regimen regimen, Imputer.Strategy impute) {
        TrainingRun.Settings settings(ModelOptions o, double testSplit) {
            return new TrainingRun.Settings(layers, loss, regimen, o.epochs, o.batch, o.seed, testSplit,
                    o.scale, o.normalize, impute);
        }

        /** Whether splits keep the class shares (single-label classification). */
        boolean stratify() {
            return classify && target != TabularData.Target.MULTI_LABEL;
        }

        /** How to read another file of the same data (e.g. --test-data). */
        TabularData.Features featuresLike() {
            return TabularData.Features.like(data.encoding(), impute != Imputer.Strategy.NONE);
        }
    }

    /** Validates the options and reads the data. */
    Prepared prepare() {
        if (data == null) throw new UserError("Missing required option: '--data=FILE' (or \"training.data\" in --config)");
        if (layers == null && configLayers == null) {
            throw new UserError("Missing required option: '--layers=UNITS:ACT,...' (or \"layers\" in --config)");
        }
        if (scale != null && normalize != null) throw new UserError("use either --scale or --normalize, not both");
        if (epochs < 1) throw new UserError("--epochs must be >= 1, got " + epochs);
        if (batch < 0) throw new UserError("--batch must be >= 0 (0 = full batch), got " + batch);
        Imputer.Strategy imputeStrategy = impute == null ? Imputer.Strategy.NONE : Imputer.Strategy.parse(impute);
        if (labels != null && (categorical != null || impute != null)) {
            throw new UserError("--categorical and --impute apply to CSV data, not to IDX images");
        }
        List<String> labelColumns = label == null ? null : DataSource.labelColumns(label);
        Regimen regimen = regimen();
        List<Layer> layerList = layers != null ? Layer.parseList(layers, init == null ? null : Initializer.parse(init))
                : RunConfigOptions.withInit(configLayers, init == null ? null : Initializer.parse(init));
        if (!(layerList.getLast() instanceof LayerSpec last)) {
            throw new UserError("--layers must end with a dense layer (units:activation), got " + layerList.getLast());
        }
        Activation outAct = last.activation();
        Loss lossFn = loss != null ? Loss.parse(loss) : defaultLoss(outAct);
        int outputs = last.units();
        boolean classify = isClassification(lossFn, outAct);
        boolean severalLabels = labels == null && labelColumns != null && labelColumns.size() > 1;
        TabularData.Target target;
        if (severalLabels && classify) {
            if (lossFn instanceof Loss.CrossEntropy || outAct instanceof Activation.Softmax) {
                throw new UserError("--label names " + labelColumns.size() + " columns: each is a separate yes/no label"
                        + " (multi-label), so end --layers with " + labelColumns.size() + ":sigmoid and use --loss bce;"
                        + " softmax and ce pick one class of one label");
            }
            target = TabularData.Target.MULTI_LABEL;
        } else {
            target = !classify ? TabularData.Target.VALUE
                    : outputs == 1 || lossFn instanceof Loss.CrossEntropy ? TabularData.Target.CLASS_INDEX
                    : TabularData.Target.ONE_HOT;
        }
        TabularData.Labeled d = DataSource.load(data, labels, labelColumns,
                TabularData.Features.discover(features, categorical, imputeStrategy != Imputer.Strategy.NONE), target, null, null);
        checkOutputs(d, outputs, classify, lossFn, target);
        if (classWeights != null) lossFn = weighted(lossFn, d, target);
        return new Prepared(layerList, lossFn, target, classify, d, regimen, imputeStrategy);
    }

    /** {@code loss} with the class weights of {@code --class-weights}. */
    private Loss weighted(Loss loss, TabularData.Labeled d, TabularData.Target target) {
        List<Float> already = switch (loss) {
            case Loss.BinaryCrossEntropy b -> b.classWeights();
            case Loss.BinaryCrossEntropyWithLogits b -> b.classWeights();
            case Loss.CrossEntropy c -> c.classWeights();
            default -> throw new UserError("--class-weights needs a cross-entropy loss (bce, bce_logits or ce), not " + loss.name());
        };
        if (!already.isEmpty()) throw new UserError("--loss " + loss.name() + " already has class weights; drop --class-weights");
        boolean multiLabel = target == TabularData.Target.MULTI_LABEL;
        List<String> classes = multiLabel ? List.of("0", "1") : d.classNames();
        int k = classes.size();
        long[] counts = new long[k];
        Tensor y = d.data().targets();
        if (multiLabel) {
            for (float v : y.data()) counts[(int) v]++;
        } else if (y.shape().dim(1) == 1) {
            for (float v : y.data()) counts[(int) v]++;
        } else {
            for (int c : y.argmaxRows()) counts[c]++;
        }
        List<Float> w = new ArrayList<>();
        if (classWeights.strip().equalsIgnoreCase("balanced")) {
            long n = 0;
            for (long c : counts) n += c;
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    throw new UserError("--class-weights balanced: class \"" + classes.get(c) + "\" does not occur in " + data
                            + "; give the weights instead, e.g. --class-weights " + "1,".repeat(k - 1) + "1");
                }
                w.add((float) ((double) n / ((double) k * counts[c])));
            }
        } else {
            String[] parts = classWeights.split(",", -1);
            if (parts.length != k) {
                throw new UserError("--class-weights has " + parts.length + " weight(s), but " + (multiLabel
                        ? "multi-label training takes 2 (for every label's 0 and 1)"
                        : "\"" + d.labelName() + "\" has " + k + " classes " + classes) + "; or use --class-weights balanced");
            }
            for (String p : parts) {
                try {
                    float v = Float.parseFloat(p.strip());
                    if (!(v >= 0f) || !Float.isFinite(v)) throw new NumberFormatException();
                    w.add(v);
                } catch (NumberFormatException e) {
                    throw new UserError("--class-weights \"" + classWeights + "\": \"" + p.strip() + "\" is not a weight >= 0");
                }
            }
        }
        return switch (loss) {
            case Loss.BinaryCrossEntropy b -> {
                if (k != 2) throw new UserError("--loss bce with " + k + " classes; use ce");
                yield new Loss.BinaryCrossEntropy(w);
            }
            case Loss.BinaryCrossEntropyWithLogits b -> {
                if (k != 2) throw new UserError("--loss bce_logits with " + k + " classes; use ce");
                yield new Loss.BinaryCrossEntropyWithLogits(w);
            }
            default -> new Loss.CrossEntropy(w);
        };
    }

    static Loss defaultLoss(Activation out) {
        return switch (out) {
            case Activation.Softmax s -> new Loss.CrossEntropy();
            case Activation.Sigmoid s -> new Loss.BinaryCrossEntropy();
            default -> new Loss.MeanSquaredError();
        };
    }

    static boolean isClassification(Loss loss, Activation out) {
        return loss instanceof Loss.CrossEntropy || loss instanceof Loss.BinaryCrossEntropy
                || loss instanceof Loss.BinaryCrossEntropyWithLogits
                || out instanceof Activation.Sigmoid || out instanceof Activation.Softmax || out instanceof Activation.Step;
    }

    private void checkOutputs(TabularData.Labeled d, int outputs, boolean classify, Loss loss, TabularData.Target target) {
        int labelCount = d.labelNames().size();
        if (!classify) {
            if (outputs != labelCount) {
                throw new UserError("--layers ends with " + outputs + " units, but regression on \"" + d.labelName() + "\" needs "
                        + labelCount + (labelCount > 1 ? " (one per label column)" : ""));
            }
            return;
        }
        if (target == TabularData.Target.MULTI_LABEL) {
            if (outputs != labelCount) {
                throw new UserError("--layers ends with " + outputs + " units, but the " + labelCount + " labels \"" + d.labelName()
                        + "\" need " + labelCount + " (one sigmoid per label), e.g. " + labelCount + ":sigmoid");
            }
            return;
        }
        int classes = d.classNames().size();
        if (outputs == 1 && classes != 2) {
            throw new UserError("--layers ends with 1 unit (binary), but \"" + d.labelName() + "\" has " + classes
                    + " classes " + d.classNames() + "; end with " + classes + ":softmax and use --loss ce");
        }
        if (outputs > 1 && outputs != classes) {
            throw new UserError("--layers ends with " + outputs + " units, but \"" + d.labelName() + "\" has " + classes
                    + " classes " + d.classNames());
        }
        if (outputs > 1 && (loss instanceof Loss.BinaryCrossEntropy || loss instanceof Loss.BinaryCrossEntropyWithLogits)) {
            throw new UserError("--loss " + loss.name() + " needs 1 output unit; with " + outputs + " classes use --loss ce"
                    + " (or, for several yes/no labels, name one column per output in --label)");
        }
    }
}
