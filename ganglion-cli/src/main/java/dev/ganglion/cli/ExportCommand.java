package dev.ganglion.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.onnx.OnnxExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ganglion export}: a saved model in another format (ONNX). */
@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Write a saved model as an ONNX file for other runtimes.",
        description = {"Write a saved model as ONNX (opset " + OnnxExport.OPSET + "): the stored preprocessing",
                "(imputation, scaling, one-hot encoding) and the network in evaluation mode, so",
                "that its output equals what 'ganglion predict' prints.",
                "Input \"" + OnnxExport.INPUT + "\": float [batch, columns], the raw input columns in the model's",
                "order; a categorical column holds its category's index (0-based, in the order",
                "of config.json's \"categorical\"), a missing value NaN.",
                "Output \"" + OnnxExport.OUTPUT + "\": float [batch, outputs]. See docs/onnx.md."},
        footer = {"", "Examples:", "  ganglion export --model models/font --format onnx --out font.onnx",
                "  ganglion export --model models/iris --out iris.onnx"})
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path modelDir;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT", description = "Output format: onnx (the default and only one).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (replaced atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.toLowerCase(Locale.ROOT).equals("onnx")) {
            throw new UserError("--format " + format + " is not supported; the export format is onnx");
        }
        if (Files.isDirectory(out)) throw new UserError("--out " + out + " is a directory; give a file name such as model.onnx");
        Model model = ModelStore.load(modelDir);
        ModelProto proto = OnnxExport.toProto(model);
        OnnxExport.write(model, out);
        spec.commandLine().getOut().printf("wrote %s (%,d bytes): ONNX opset %d, %d nodes%n", out, Files.size(out),
                OnnxExport.OPSET, proto.getGraph().getNodeCount());
        spec.commandLine().getOut().printf("  input  \"%s\" float [batch, %d]: %s%n", OnnxExport.INPUT, model.inputCount(),
                String.join(",", model.inputNames()));
        if (!model.encoding().categories().isEmpty()) {
            spec.commandLine().getOut().printf("         categorical columns take the category's index: %s%n", model.encoding().categories());
        }
        spec.commandLine().getOut().printf("  output \"%s\" float [batch, %d]: %s%n", OnnxExport.OUTPUT, model.outputCount(),
                model.isClassifier() ? "classes " + String.join(",", model.classNames()) : String.join(",", model.labelNames()));
        return 0;
    }
}
