package dev.ganglion.cli;

import dev.ganglion.io.RunConfig;
import dev.ganglion.model.Layer;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.nn.Initializer;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins a run configuration file ({@code --config}, {@link RunConfig}) with the command line: each
 * value of the file fills the matching option unless that option was given on the command line,
 * which always wins. Also turns the options actually used back into the {@code training} section
 * that a saved model's {@code config.json} holds, so that the model can be retrained from it.
 */
final class RunConfigOptions {
    private RunConfigOptions() {
    }

    /** Whether {@code option} was typed on the command line (not a default, not from a file). */
    static boolean given(CommandLine.ParseResult parsed, String option) {
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /**
     * Reads {@code o.config} (if set) and fills every model and training option of {@code o} that
     * the command line did not give; returns the configuration, or null without {@code --config}.
     */
    static RunConfig apply(ModelOptions o, CommandLine.ParseResult parsed) {
        if (o.config == null) return null;
        // a model directory stands for its config.json
        Path file = java.nio.file.Files.isDirectory(o.config) ? o.config.resolve(dev.ganglion.io.ModelStore.CONFIG_FILE) : o.config;
        RunConfig c = RunConfig.read(file);
        RunConfig.Training t = c.training();
        if (!given(parsed, "--data") && t.data() != null) o.data = t.data();
        if (!given(parsed, "--labels") && !given(parsed, "--data") && t.dataLabels() != null) o.labels = t.dataLabels();
        boolean idx = o.labels != null;
        if (!given(parsed, "--label") && c.labels() != null && !idx) o.label = String.join(",", c.labels());
        if (!given(parsed, "--features") && c.inputs() != null && !idx) o.features = new ArrayList<>(c.inputs());
        if (!given(parsed, "--categorical") && c.categorical() != null && !c.categorical().isEmpty()) o.categorical = new ArrayList<>(c.categorical());
        if (!given(parsed, "--impute") && c.impute() != null) o.impute = c.impute();
        if (!given(parsed, "--layers") && c.layers() != null) {
            o.layers = null;
            o.configLayers = c.layers();
        }
        if (!given(parsed, "--loss") && c.loss() != null) o.loss = c.loss();
        if (!given(parsed, "--scale") && !given(parsed, "--normalize")) {
            if (c.scale() != null) o.scale = c.scale();
            if (c.normalize() != null) o.normalize = c.normalize();
        }
        if (!given(parsed, "--class-weights") && t.classWeights() != null) o.classWeights = t.classWeights();
        if (!given(parsed, "--epochs") && t.epochs() != null) o.epochs = t.epochs();
        if (!given(parsed, "--batch") && t.batchSize() != null) o.batch = t.batchSize();
        if (!given(parsed, "--seed") && t.seed() != null) o.seed = t.seed();
        if (!given(parsed, "--optimizer") && t.optimizer() != null) o.optimizer = t.optimizer();
        if (!given(parsed, "--lr") && t.learningRate() != null) o.learningRate = t.learningRate();
        if (!given(parsed, "--momentum") && t.momentum() != null) o.momentum = t.momentum();
        if (!given(parsed, "--weight-decay") && t.weightDecay() != null) o.weightDecay = t.weightDecay();
        if (!given(parsed, "--schedule") && t.schedule() != null) o.schedule = t.schedule();
        if (!given(parsed, "--warmup") && t.warmup() != null) o.warmup = t.warmup();
        if (!given(parsed, "--clip-norm") && !given(parsed, "--clip-value")) {
            if (t.clipNorm() != null) o.clipNorm = t.clipNorm();
            if (t.clipValue() != null) o.clipValue = t.clipValue();
        }
        if (!given(parsed, "--l1") && t.l1() != null) o.l1 = t.l1();
        if (!given(parsed, "--l2") && t.l2() != null) o.l2 = t.l2();
        if (!given(parsed, "--early-stopping") && t.earlyStopping() != null) o.earlyStopping = t.earlyStopping();
        if (!given(parsed, "--monitor") && t.monitor() != null) o.monitor = t.monitor();
        if (!given(parsed, "--val-split") && t.valSplit() != null) o.valSplit = t.valSplit();
        return c;
    }

    /** {@code layers} with every dense layer initialised by {@code init} (null: as they are). */
    static List<Layer> withInit(List<Layer> layers, Initializer init) {
        if (init == null) return layers;
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) out.add(l instanceof LayerSpec d ? new LayerSpec(d.units(), d.activation(), init) : l);
        return out;
    }

    /**
     * The run as a {@code training} section: the settings used and the data files (null where
     * the data is not a file, as in the demo). Model keys (layers, loss, preprocessing, inputs,
     * labels) are stored by the model itself; class weights are part of the stored loss.
     */
    static RunConfig.Training training(TrainingRun.Settings s, Path data, Path dataLabels, Path testData, Path testLabels) {
        Regimen r = s.regimen();
        return new RunConfig.Training(data, dataLabels, testData, testLabels, s.testSplit(), r.valSplit(), s.epochs(),
                s.batchSize(), s.seed(), r.optimizer(), r.learningRate(), r.momentum(), r.weightDecay(), r.schedule(),
                r.warmup(), r.clipNorm(), r.clipValue(), r.l1(), r.l2(), r.earlyStopping(), r.monitor(), null, null);
    }

    /**
     * The {@code training} section of {@code config.json}: the run configuration (paths relative
     * to {@code modelDir}) plus {@code results}, the figures the run reached (informational).
     */
    static Map<String, Object> trainingSection(RunConfig.Training run, Path modelDir, TrainingRun.Result r, String dataDescription) {
        Map<String, Object> t = new LinkedHashMap<>(run.toMap(modelDir));
        Map<String, Object> res = new LinkedHashMap<>();
        if (dataDescription != null) res.put("data", dataDescription);
        res.put("optimizer", r.optimizerDescription());
        res.put("epochs_run", r.history().epochs().size());
        res.put("train_loss", r.train().loss());
        if (!Double.isNaN(r.train().accuracy())) res.put("train_accuracy", r.train().accuracy());
        if (r.test() != null) {
            res.put("test_loss", r.test().loss());
            if (!Double.isNaN(r.test().accuracy())) res.put("test_accuracy", r.test().accuracy());
        }
        res.put("seconds", r.seconds());
        t.put("results", res);
        return t;
    }
}
