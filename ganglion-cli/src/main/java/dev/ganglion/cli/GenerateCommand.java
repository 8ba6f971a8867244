package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FontColors;
import dev.ganglion.data.NoisyFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ganglion generate}: writes a built-in example data set as CSV. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        header = "Write a built-in example data set (font, font-wcag, regression) as CSV.",
        description = {"Write a built-in example data set as CSV.",
                "font:      background colours red,green,blue (0..255) and light_font (1 = light text reads better,",
                "           0 = dark): light when the luma 0.299 R + 0.587 G + 0.114 B < 128.",
                "font-wcag: the same columns labelled by the WCAG relative luminance of the linearised channels",
                "           (light when L < 0.179): a curved boundary, harder for small networks.",
                "regression: x1,x2 uniform on [-2, 2] and y = sin(2 x1) + 0.5 x2^2 - x1 x2 + Gaussian noise (--noise)."},
        footer = {"", "Examples:", "  ganglion generate font --samples 1500 --seed 7 --out font.csv",
                "  ganglion generate regression --samples 3000 --noise 0.1 --out regression.csv"})
final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "font, font-wcag or regression")
    String dataset;

    @Option(names = "--samples", defaultValue = "1500", description = "Number of rows (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--noise", defaultValue = "0.1", description = "Noise standard deviation for regression (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Output file (default: stdout).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (samples < 1) throw new UserError("--samples must be >= 1, got " + samples);
        String header;
        Dataset d;
        switch (dataset) {
            case "font" -> {
                header = "red,green,blue,light_font";
                d = FontColors.generate(samples, seed, FontColors.Rule.LUMA);
            }
            case "font-wcag" -> {
                header = "red,green,blue,light_font";
                d = FontColors.generate(samples, seed, FontColors.Rule.WCAG);
            }
            case "regression" -> {
                if (!(noise >= 0)) throw new UserError("--noise must be >= 0, got " + noise);
                header = "x1,x2,y";
                d = NoisyFunction.generate(samples, noise, seed);
            }
            default -> throw new UserError("unknown data set \"" + dataset + "\"; known: font, font-wcag, regression");
        }
        if (out == null) {
            write(header, d, spec.commandLine().getOut());
        } else {
            Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                write(header, d, new PrintWriter(w));
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            if (!Main.quiet(spec)) spec.commandLine().getErr().println("wrote " + samples + " rows to " + out);
        }
        return 0;
    }

    private static void write(String header, Dataset d, PrintWriter w) {
        w.println(header);
        float[] x = d.features().data(), y = d.targets().data();
        int k = d.featureCount();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            sb.setLength(0);
            for (int j = 0; j < k; j++) sb.append(number(x[i * k + j])).append(',');
            w.println(sb.append(number(y[i])));
        }
        w.flush();
    }

    /** Whole numbers without a fraction (RGB values, labels), others as Java prints floats. */
    private static String number(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? Integer.toString((int) v) : Float.toString(v);
    }
}
