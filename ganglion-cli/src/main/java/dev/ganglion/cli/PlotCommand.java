package dev.ganglion.cli;

import dev.ganglion.io.ModelStore;
import dev.ganglion.io.TabularData;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.plot.Picture;
import dev.ganglion.plot.Plots;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ganglion plot}: pictures of activation functions, training runs and saved models. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        header = "Draw PNG or SVG pictures: activations, history, boundary, confusion, network.",
        description = {"Draw a picture as PNG or SVG (chosen by the --out file's extension).",
                "See docs/plots.md; 'ganglion train --report DIR' draws all that apply to a run."},
        subcommands = {PlotCommand.Activations.class, PlotCommand.HistoryPlot.class, PlotCommand.Boundary.class,
                PlotCommand.Confusion.class, PlotCommand.Network.class},
        footer = {"", "Examples:",
                "  ganglion plot activations --out activations.svg",
                "  ganglion plot history --model models/font --out loss.png",
                "  ganglion plot boundary --model models/moons --data moons.csv --out boundary.png",
                "  ganglion plot confusion --model models/iris --data iris.csv --out confusion.png",
                "  ganglion plot network --model models/font --out network.svg"})
final class PlotCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "plot needs a picture: activations, history, boundary, confusion or network");
    }

    /** The output file, checked before any work: .png or .svg, in a directory that exists or can be made. */
    static Path checkedOut(Path out) {
        try {
            Picture.Format.of(out);
        } catch (IllegalArgumentException e) {
            throw new UserError("--out " + out + ": the file name must end in .png or .svg");
        }
        if (Files.isDirectory(out)) throw new UserError("--out " + out + " is a directory; give a file name ending in .png or .svg");
        return out;
    }

    static int write(CommandLine.Model.CommandSpec spec, Picture p, Path out) {
        p.write(out);
        spec.commandLine().getOut().println("wrote " + out + " (" + p.width() + "x" + p.height() + ", " + p.title() + ")");
        return 0;
    }

    @Command(name = "activations", mixinStandardHelpOptions = true,
            header = "The activation functions and their derivatives (by automatic differentiation).",
            description = "The activation functions f(z) and their derivatives f'(z) for z in [-4, 4], one small panel each; the derivatives come from Ganglion's automatic differentiation.",
            footer = {"", "Examples:", "  ganglion plot activations --out activations.png",
                    "  ganglion plot activations --functions sigmoid,tanh,relu --out three.svg",
                    "  ganglion plot activations --model models/font --out font-activations.png"})
    static final class Activations implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--functions", split = ",", paramLabel = "NAME",
                description = "The functions to draw (default: all element-wise ones, or the model's with --model). Known: " + Activation.NAMES)
        List<String> functions;

        @Option(names = "--model", paramLabel = "DIR", description = "Draw the activations this model uses.")
        Path modelDir;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Picture to write: .png or .svg.")
        Path out;

        @Override
        public Integer call() {
            checkedOut(out);
            if (functions != null && modelDir != null) throw new UserError("give --functions or --model, not both");
            List<Activation> list;
            if (functions != null) {
                list = new ArrayList<>();
                for (String f : functions) {
                    Activation a = Activation.parse(f);
                    if (a instanceof Activation.Softmax) throw new UserError("--functions: softmax is not element-wise; it has no curve to draw");
                    list.add(a);
                }
            } else if (modelDir != null) {
                list = ModelPictures.activationsOf(ModelStore.load(modelDir));
                if (list.isEmpty()) throw new UserError("model " + modelDir + " uses only softmax, which is not element-wise; nothing to draw");
            } else {
                list = Plots.ALL_ACTIVATIONS;
            }
            return write(spec, Plots.activations(list), out);
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            header = "Loss and accuracy per epoch, training against validation.",
            description = {"Loss and accuracy per epoch, training against validation, from a history CSV: "
                    + "the model directory's history.csv (written by 'ganglion train'), or --history FILE.",
                    "Columns: epoch, train_loss (or loss); optional: train_accuracy, val_loss, val_accuracy "
                    + "(or validation_*, test_*)."},
            footer = {"", "Examples:", "  ganglion plot history --model models/font --out loss.png",
                    "  ganglion plot history --history runs/history.csv --out loss.svg"})
    static final class HistoryPlot implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", paramLabel = "DIR", description = "Model directory holding history.csv.")
        Path modelDir;

        @Option(names = {"--history", "--data"}, paramLabel = "FILE", description = "A history CSV file instead.")
        Path history;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Picture to write: .png or .svg.")
        Path out;

        @Override
        public Integer call() {
            checkedOut(out);
            if ((modelDir == null) == (history == null)) throw new UserError("give --model DIR or --history FILE (one of them)");
            Path file = history;
            if (file == null) {
                file = modelDir.resolve("history.csv");
                if (!Files.exists(file)) {
                    throw new UserError(modelDir + " has no history.csv; give a history CSV with --history FILE, "
                            + "or train with --report DIR to get the loss curves");
                }
            }
            HistoryFile.Read h = HistoryFile.read(file);
            return write(spec, Plots.lossCurves(h.history(), h.validationName()), out);
        }
    }

    @Command(name = "boundary", mixinStandardHelpOptions = true,
            header = "The decision regions of a two-input classifier, with the data points.",
            description = "The decision regions of a classifier with exactly two numeric inputs, shaded by predicted class, "
                    + "with the data points of --data coloured by their true class. Axes are in the raw units of the data: "
                    + "the model's stored scaling is applied as in 'ganglion predict'.",
            footer = {"", "Example (two iris features, three classes):",
                    "  ganglion train --data iris.csv --label label \\",
                    "      --features petal_length_cm,petal_width_cm --layers 8:tanh,3:softmax \\",
                    "      --loss ce --normalize standard --epochs 150 --out models/iris2",
                    "  ganglion plot boundary --model models/iris2 --data iris.csv --out iris2.png"})
    static final class Boundary implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
        Path modelDir;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled CSV data (the model's input and label columns).")
        Path data;

        @Option(names = "--label", paramLabel = "COLUMN", description = "The CSV label column (default: the model's).")
        String label;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Picture to write: .png or .svg.")
        Path out;

        @Override
        public Integer call() {
            checkedOut(out);
            Model model = ModelStore.load(modelDir);
            Plots.checkDecisionBoundary(model);
            TabularData.Labeled d = ModelData.labelled(model, data, null, label);
            return write(spec, ModelPictures.boundary(model, d.data()), out);
        }
    }

    @Command(name = "confusion", mixinStandardHelpOptions = true,
            header = "The confusion matrix of a classifier on labelled data, as a heat map.",
            description = "The confusion matrix of a saved classifier on labelled data: true class down the side, predicted class along the bottom, counts in the cells.",
            footer = {"", "Examples:", "  ganglion plot confusion --model models/font --data font-test.csv --out confusion.png",
                    "  ganglion plot confusion --model models/mnist --data t10k-images-idx3-ubyte.gz \\",
                    "      --labels t10k-labels-idx1-ubyte.gz --out mnist-confusion.svg"})
    static final class Confusion implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
        Path modelDir;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled data: CSV with a header row, or IDX images.")
        Path data;

        @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels file for IDX images.")
        Path labels;

        @Option(names = "--label", paramLabel = "COLUMN", description = "The CSV label column (default: the model's).")
        String label;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Picture to write: .png or .svg.")
        Path out;

        @Override
        public Integer call() {
            checkedOut(out);
            Model model = ModelStore.load(modelDir);
            ModelPictures.checkClassifier(model);
            TabularData.Labeled d = ModelData.labelled(model, data, labels, label);
            return write(spec, ModelPictures.confusion(model, d.data()), out);
        }
    }

    @Command(name = "network", mixinStandardHelpOptions = true,
            header = "The network as neurons and weighted connections.",
            description = "The network as neurons (circles) layer by layer, connections coloured by the weight's sign "
                    + "(blue positive, orange negative) and drawn thicker for larger |weight|. Layers wider than 10 neurons "
                    + "show their first and last ones with an ellipsis.",
            footer = {"", "Example:", "  ganglion plot network --model models/font --out network.svg"})
    static final class Network implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
        Path modelDir;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Picture to write: .png or .svg.")
        Path out;

        @Override
        public Integer call() {
            checkedOut(out);
            return write(spec, Plots.network(ModelStore.load(modelDir)), out);
        }
    }
}
