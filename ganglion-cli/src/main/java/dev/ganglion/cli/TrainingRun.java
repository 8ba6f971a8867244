package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Imputer;
import dev.ganglion.data.Scaler;
import dev.ganglion.data.Split;
import dev.ganglion.io.TabularData;
import dev.ganglion.model.Layer;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Loss;
import dev.ganglion.optim.Adam;
import dev.ganglion.optim.Optimizer;
import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.History;
import dev.ganglion.train.TrainOptions;
import dev.ganglion.train.Trainer;
import dev.ganglion.train.TrainingListener;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The steps shared by {@code train} and {@code demo}: split, fit the scaling on the training part,
 * build the model, train with per-epoch progress on stderr, and measure on the test part.
 */
final class TrainingRun {

    /** Everything the user chose. */
    record Settings(List<? extends Layer> layers, Loss loss, Regimen regimen, int epochs,
                    int batchSize, long seed, double testSplit, Float scale, String normalize, Imputer.Strategy impute) {
        Settings(List<? extends Layer> layers, Loss loss, Regimen regimen, int epochs,
                 int batchSize, long seed, double testSplit, Float scale, String normalize) {
            this(layers, loss, regimen, epochs, batchSize, seed, testSplit, scale, normalize, Imputer.Strategy.NONE);
        }
    }

    /** What came out. */
    record Result(Model model, History history, Trainer.Evaluation untrainedTest, Trainer.Evaluation train,
                  Trainer.Evaluation test, Dataset testRaw, String optimizerDescription, double seconds) {
    }

    static Result run(Dataset data, List<String> featureNames, String labelName, List<String> classNames,
                      Settings s, PrintWriter err, boolean quiet) {
        return run(data, null, new TabularData.Labeled(data, featureNames, labelName, classNames), s, err, quiet);
    }

    /**
     * As above, for any columns and labels: {@code names} gives the feature encoding (categories),
     * the label and class names; a non-null {@code explicitTest} is the test set instead of a
     * split of {@code data}. Imputation and scaling are fitted on the training part.
     */
    static Result run(Dataset data, Dataset explicitTest, TabularData.Labeled names, Settings s, PrintWriter err, boolean quiet) {
        List<String> classNames = names.classNames();
        Dataset train = data, testRaw = explicitTest;
        if (explicitTest == null && s.testSplit() > 0) {
            Split.TrainTest tt = Split.trainTest(data, s.testSplit(), s.seed(), !classNames.isEmpty());
            train = tt.train();
            testRaw = tt.test();
        }
        Dataset validationRaw = null;
        if (s.regimen().valSplit() > 0) {
            Split.TrainTest tv = Split.trainTest(train, s.regimen().valSplit(), s.seed() + 1, !classNames.isEmpty());
            train = tv.train();
            validationRaw = tv.test();
        }
        FeatureEncoding encoding = names.encoding().fitImputer(s.impute(), train.features());
        Tensor numericTrain = encoding.numericPart(encoding.impute(train.features()));
        Scaler scaler = s.scale() != null ? new Scaler.Divide(s.scale())
                : s.normalize() != null && numericTrain.shape().dim(1) > 0 ? Scaler.fit(s.normalize(), numericTrain)
                : new Scaler.None();
        Model model = new Model(encoding, s.layers(), s.loss(), scaler, names.labelNames(), classNames, names.labelClasses(), s.seed());
        Dataset trainScaled = model.scale(train);
        Dataset testScaled = testRaw == null ? null : model.scale(testRaw);
        Trainer.Evaluation untrained = testScaled == null ? null : Trainer.evaluate(model.network(), s.loss(), testScaled);

        Dataset validationScaled = validationRaw == null ? null : model.scale(validationRaw);
        Optimizer optimizer = s.regimen().optimizerFor(model.network().parameters());
        Trainer trainer = new Trainer(model.network(), s.loss(), optimizer,
                new TrainOptions(s.epochs(), s.batchSize(), true, s.seed()));
        s.regimen().applyTo(trainer, model.network(), s.epochs());
        TrainingListener progress = TrainingProgress.create(TrainingProgress.choose(System.getenv(TrainingProgress.ENV), quiet,
                TrainingProgress.stderrIsTerminal()), err, s.epochs(), validationScaled != null ? "val" : "test", trainScaled.size(), s.batchSize());
        if (progress != null) trainer.addListener(progress);
        long start = System.nanoTime();
        History history = trainer.fit(trainScaled, validationScaled != null ? validationScaled : testScaled);
        double seconds = (System.nanoTime() - start) / 1e9;
        Trainer.Evaluation trainEval = Trainer.evaluate(model.network(), s.loss(), trainScaled);
        Trainer.Evaluation testEval = testScaled == null ? null : Trainer.evaluate(model.network(), s.loss(), testScaled);
        return new Result(model, history, untrained, trainEval, testEval, testRaw, s.regimen().describe(optimizer), seconds);
    }

    /** One line per epoch (about 20 lines for long runs, always the first and last epoch). */
    static final class Progress implements TrainingListener {
        private final PrintWriter err;
        private final int epochs;
        private final int every;
        private final String validation;

        /** {@code validation} names the set measured after each epoch: "val" or "test". */
        Progress(PrintWriter err, int epochs, String validation) {
            this.err = err;
            this.epochs = epochs;
            this.every = Math.max(1, epochs / 20);
            this.validation = validation;
        }

        @Override
        public void onEpochEnd(EpochStats e, Trainer trainer) {
            String line = line(e, trainer);
            if (line == null) return;
            err.println(line);
            err.flush();
        }

        /** The log line for epoch {@code e}, or null for an epoch the log skips. */
        String line(EpochStats e, Trainer trainer) {
            if (e.epoch() != 1 && e.epoch() != epochs && e.epoch() % every != 0 && !trainer.stopRequested()) return null;
            StringBuilder sb = new StringBuilder();
            int width = Integer.toString(epochs).length();
            sb.append(String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.4f", e.epoch(), epochs, e.trainLoss()));
            if (!Double.isNaN(e.trainAccuracy())) sb.append(String.format(Locale.ROOT, "  accuracy %.4f", e.trainAccuracy()));
            if (!Double.isNaN(e.validationLoss())) sb.append(String.format(Locale.ROOT, "  %s loss %.4f", validation, e.validationLoss()));
            if (!Double.isNaN(e.validationAccuracy())) sb.append(String.format(Locale.ROOT, "  %s accuracy %.4f", validation, e.validationAccuracy()));
            sb.append(String.format(Locale.ROOT, "  (%.2fs)", e.seconds()));
            return sb.toString();
        }
    }
}
