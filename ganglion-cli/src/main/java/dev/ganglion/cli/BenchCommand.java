package dev.ganglion.cli;

import dev.ganglion.bench.Measure;
import dev.ganglion.bench.Result;
import dev.ganglion.bench.Spec;
import dev.ganglion.bench.ganglion.GanglionWorkloads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code ganglion bench}: measurements of Ganglion itself. {@code --workload} runs one speed
 * workload of the side-by-side benchmark (ganglion-bench/run) on Ganglion alone; {@code accuracy}
 * checks every real-data figure against its target.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmarks: one speed workload (--workload), or 'bench accuracy' on the real data sets.",
        description = {"Runs one speed workload of the side-by-side benchmark on Ganglion alone (--workload),",
                "or, with 'accuracy', trains on the real data sets and checks each figure against its target.",
                "The comparison with PyTorch, DL4J, Encog and OpenBLAS is ganglion-bench/run (docs/benchmarks.md)."},
        subcommands = {AccuracyBenchmark.class},
        footer = {"", "Workloads: w1 (3-3-1 training), w2 (784-256-128-10 training), w3 (1024-4096-4096-10 training),",
                "  w4 (inference latency and batched throughput of the w2 network), gemm (matrix multiply GFLOP/s),",
                "  ceilings (this machine's FMA peak and per-core read bandwidth: what any kernel here can reach).",
                "", "Examples:",
                "  ganglion bench --workload w1",
                "  ganglion bench --workload gemm --quick --json",
                "  ganglion bench --workload ceilings",
                "  ganglion bench accuracy --data-dir ../shared/data"})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workload", paramLabel = "NAME", description = "w1, w2, w3, w4, gemm or ceilings.")
    String workload;

    @Option(names = "--json", description = "Print the result as one JSON object (samples_per_sec, steps_per_sec, gflops, latency_us as they apply).")
    boolean json;

    @Option(names = "--quick", description = "A smaller version of the workload (a smoke test, not a measurement).")
    boolean quick;

    @Override
    public Integer call() {
        if (workload == null) {
            spec.commandLine().usage(spec.commandLine().getErr());
            return Main.USER_ERROR;
        }
        if (!Spec.WORKLOADS.contains(workload)) {
            throw new UserError("--workload must be one of " + String.join(", ", Spec.WORKLOADS) + ", got \"" + workload + "\"");
        }
        Result r = GanglionWorkloads.run(workload, quick)
                .with("quick", quick)
                .with("peak_rss_mb", Math.round(Measure.peakRssMb() * 10) / 10.0)
                .with("java", System.getProperty("java.version"));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? r.toJson() + System.lineSeparator() : r.toText());
        out.flush();
        return 0;
    }
}
