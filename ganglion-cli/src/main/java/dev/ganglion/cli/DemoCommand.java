package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FontColors;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ganglion demo}: the classic first network. Given a background colour, should the font be
 * light or dark? A 3-3-1 network (ReLU hidden layer, logistic output) learns it from examples.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Run a classic example: font colours (default), perceptron, xor or backprop.",
        description = {"Examples:",
                "  font        (default) should a light (1) or dark (0) font go on a background",
                "              colour (R, G, B)? A 3-3-1 network: ReLU hidden, logistic output.",
                "  perceptron  hand-set step neurons computing XOR, every neuron's value shown",
                "  xor         XOR learned by a 2-4-1 network",
                "  backprop    a 2-3-1 network's gradients by hand and by autograd, side by side"},
        footer = {"", "Examples:", "  ganglion demo", "  ganglion demo --epochs 100 --out models/font-demo", "  ganglion demo backprop"})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", arity = "0..1", defaultValue = "font", paramLabel = "EXAMPLE",
            description = "font, perceptron, xor or backprop (default: ${DEFAULT-VALUE}).")
    String example;

    @Option(names = "--samples", defaultValue = "1500", description = "Generated colours (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--epochs", defaultValue = "100", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.02", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for data, split, weights and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "models/font-demo", paramLabel = "DIR",
            description = "Where to save the trained model (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        switch (example) {
            case "font" -> {
            }
            case "perceptron" -> {
                return ClassicExamples.perceptron(o) == 4 ? 0 : 1;
            }
            case "xor" -> {
                return ClassicExamples.xor(o, seed) == 1.0 ? 0 : 1;
            }
            case "backprop" -> {
                return ClassicExamples.backprop(o) < 1e-5 ? 0 : 1;
            }
            default -> throw new UserError("unknown example \"" + example + "\"; known: " + String.join(", ", ClassicExamples.names()));
        }
        if (samples < 30) throw new UserError("--samples must be at least 30, got " + samples);
        Dataset data = FontColors.generate(samples, seed);
        List<LayerSpec> layers = List.of(new LayerSpec(3, new Activation.Relu()), new LayerSpec(1, new Activation.Sigmoid()));
        var settings = new TrainingRun.Settings(layers, new Loss.BinaryCrossEntropy(), Regimen.simple("adam", learningRate), epochs, 32,
                seed, 1.0 / 3.0, 255f, null);

        o.println("Ganglion demo: light or dark font on a background colour?");
        o.printf(Locale.ROOT, "data     %d random colours (R, G, B in 0..255); label 1 = light font reads better, 0 = dark%n", samples);
        o.printf(Locale.ROOT, "         rule: light font when the luma 0.299 R + 0.587 G + 0.114 B of the background < %.0f%n",
                FontColors.LUMA_THRESHOLD);
        o.println("         inputs scaled by 1/255; 2/3 for training, 1/3 held out for testing");
        o.printf(Locale.ROOT, "network  3 inputs -> 3 ReLU -> 1 sigmoid (logistic); binary cross-entropy; Adam, lr %s, batch 32, %d epochs%n%n",
                learningRate, epochs);
        o.flush();

        TrainingRun.Result r = TrainingRun.run(data, List.of("red", "green", "blue"), "light_font", List.of("0", "1"),
                settings, err, Main.quiet(spec));
        double majority = majorityShare(r.testRaw());
        o.println();
        o.printf(Locale.ROOT, "test accuracy before training  %.4f   (share of the larger class: %.4f)%n",
                r.untrainedTest().accuracy(), majority);
        o.printf(Locale.ROOT, "test accuracy after training   %.4f   (%d test colours, %.1fs of training)%n%n",
                r.test().accuracy(), r.test().samples(), r.seconds());

        printExamples(o, r);
        ModelStore.save(r.model(), out, RunConfigOptions.trainingSection(RunConfigOptions.training(settings, null, null, null, null),
                out, r, "generated: font colours, seed " + seed));
        ModelStore.saveHistory(out, r.history(), "test");
        o.println();
        o.println("model saved to " + out);
        o.println("look inside:  ./ganglion trace --model " + out + " --input 100,110,120 --target 1");
        o.println("predict:      ./ganglion predict --model " + out + " --input 250,240,200");
        return 0;
    }

    private static double majorityShare(Dataset d) {
        float[] y = d.targets().data();
        int ones = 0;
        for (float v : y) if (v == 1f) ones++;
        return Math.max(ones, y.length - ones) / (double) y.length;
    }

    private void printExamples(PrintWriter o, TrainingRun.Result r) {
        Dataset test = r.testRaw();
        // up to four examples of each class, in test-set order
        int[] picked = new int[8];
        int show = 0, light = 0, dark = 0;
        for (int i = 0; i < test.size() && show < picked.length; i++) {
            boolean isLight = test.targets().get(i, 0) == 1f;
            if (isLight ? light++ < 4 : dark++ < 4) picked[show++] = i;
        }
        Dataset examples = test.rows(java.util.Arrays.copyOf(picked, show));
        Tensor x = examples.features();
        Tensor p = r.model().predict(x);
        boolean colour = System.console() != null && System.getenv("NO_COLOR") == null;
        o.println("examples from the test set:");
        o.println("  background        R    G    B   p(light)  prediction  truth");
        for (int i = 0; i < show; i++) {
            int red = (int) x.get(i, 0), green = (int) x.get(i, 1), blue = (int) x.get(i, 2);
            float prob = p.get(i, 0);
            boolean predictedLight = prob >= 0.5f;
            boolean truth = examples.targets().get(i, 0) == 1f;
            String swatch = colour
                    ? String.format("\u001b[48;2;%d;%d;%dm\u001b[38;2;%s m Sample \u001b[0m", red, green, blue,
                    predictedLight ? "255;255;255" : "0;0;0").replace(" m", "m") + "  "
                    : "";
            o.printf(Locale.ROOT, "  %s#%02x%02x%02x  %4d %4d %4d   %6.3f    %-5s       %-5s %s%n", swatch, red, green, blue,
                    red, green, blue, prob, predictedLight ? "light" : "dark", truth ? "light" : "dark", predictedLight == truth ? "ok" : "WRONG");
        }
    }
}
