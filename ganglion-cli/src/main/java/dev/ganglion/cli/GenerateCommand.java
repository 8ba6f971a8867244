package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FontColors;
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
        description = {"Write a built-in example data set as CSV.",
                "font:      background colours red,green,blue (0..255) and light_font (1 = light text reads better,",
                "           0 = dark): light when the luma 0.299 R + 0.587 G + 0.114 B < 128.",
                "font-wcag: the same columns labelled by the WCAG relative luminance of the linearised channels",
                "           (light when L < 0.179): a curved boundary, harder for small networks."},
        footer = {"", "Example:", "  ganglion generate font --samples 1500 --seed 7 --out font.csv"})
final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET", description = "font or font-wcag")
    String dataset;

    @Option(names = "--samples", defaultValue = "1500", description = "Number of rows (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Output file (default: stdout).")
    Path out;

    @Override
    public Integer call() throws IOException {
        FontColors.Rule rule = switch (dataset) {
            case "font" -> FontColors.Rule.LUMA;
            case "font-wcag" -> FontColors.Rule.WCAG;
            default -> throw new UserError("unknown data set \"" + dataset + "\"; known: font, font-wcag");
        };
        if (samples < 1) throw new UserError("--samples must be >= 1, got " + samples);
        Dataset d = FontColors.generate(samples, seed, rule);
        if (out == null) {
            write(d, spec.commandLine().getOut());
        } else {
            Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                write(d, new PrintWriter(w));
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getErr().println("wrote " + samples + " rows to " + out);
        }
        return 0;
    }

    private static void write(Dataset d, PrintWriter w) {
        w.println("red,green,blue,light_font");
        float[] x = d.features().data(), y = d.targets().data();
        for (int i = 0; i < d.size(); i++) {
            w.println((int) x[i * 3] + "," + (int) x[i * 3 + 1] + "," + (int) x[i * 3 + 2] + "," + (int) y[i]);
        }
        w.flush();
    }
}
