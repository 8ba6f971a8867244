package dev.ganglion.cli;

import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.onnx.OnnxImport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ganglion import}: a dense network from another framework's ONNX file, as a model directory. */
@Command(name = "import", mixinStandardHelpOptions = true,
        header = "Turn a dense network from an ONNX file into a model directory.",
        description = {"Read a feed-forward network exported by another framework (PyTorch, Keras",
                "via tf2onnx, ...) and write a model directory that predict and evaluate use.",
                "The graph must be one chain of MatMul(+Add) or Gemm layers, each followed by",
                "at most one activation (Relu, Sigmoid, Tanh, Softmax, LeakyRelu, Elu,",
                "Softplus, GELU, SiLU, step); BatchNormalization, LayerNormalization,",
                "Identity, Dropout and Constant nodes are fine. Weights must be float32,",
                "stored inside the file. No preprocessing is imported: the inputs are used",
                "as they come.",
                "See docs/onnx.md."},
        footer = {"", "Examples:", "  ganglion import --format onnx mlp.onnx --out models/mlp",
                "  ganglion import --format onnx iris.onnx --out models/iris \\",
                "      --inputs sl,sw,pl,pw --label species --classes setosa,versicolor,virginica",
                "  ganglion predict --model models/iris --input 5.1,3.5,1.4,0.2"})
final class ImportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The ONNX file.")
    Path file;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "Input format: onnx (the default and only one).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model directory to write.")
    Path out;

    @Option(names = "--inputs", split = ",", paramLabel = "NAME", description = "Names of the input features (default x0, x1, ...).")
    List<String> inputs = List.of();

    @Option(names = "--label", paramLabel = "NAME", description = "Name of the predicted quantity (default output).")
    String label;

    @Option(names = "--classes", split = ",", paramLabel = "NAME",
            description = "Class names, one per output (two for a single output): makes the model a classifier.")
    List<String> classes = List.of();

    @Override
    public Integer call() {
        if (!format.toLowerCase(Locale.ROOT).equals("onnx")) {
            throw new UserError("--format " + format + " is not supported; the import format is onnx");
        }
        OnnxImport.Network net = OnnxImport.readNetwork(file);
        Model model = OnnxImport.toModel(file, net, new OnnxImport.Options(inputs, label, classes));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("imported_from", "onnx");
        source.put("file", file.getFileName().toString());
        if (!net.producer().isEmpty()) source.put("producer", net.producer());
        ModelStore.save(model, out, source);
        spec.commandLine().getOut().printf("imported %s%s: %s%n", file, net.producer().isEmpty() ? "" : " (" + net.producer() + ")",
                model.describe());
        spec.commandLine().getOut().printf("wrote model directory %s (inputs %s; %s)%n", out, String.join(",", model.inputNames()),
                model.isClassifier() ? "classes " + String.join(",", model.classNames()) : "label " + model.labelName());
        return 0;
    }
}
