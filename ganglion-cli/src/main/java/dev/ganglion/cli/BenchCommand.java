package dev.ganglion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ganglion bench}: measurements of Ganglion itself. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmarks: 'bench accuracy' checks every real-data figure against its target.",
        description = "Benchmarks: 'accuracy' trains on the real data sets and checks each figure against its target.",
        subcommands = {AccuracyBenchmark.class},
        footer = {"", "Example:", "  ganglion bench accuracy --data-dir ../shared/data"})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
