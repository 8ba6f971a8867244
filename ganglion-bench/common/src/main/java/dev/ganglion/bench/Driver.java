package dev.ganglion.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs every workload on every library, each run in a fresh JVM, alternating the libraries
 * (round-robin, the starting library rotating with each repetition), collects the JSON lines and
 * prints a table of medians, Ganglion's ratio to each peer and the targets of issue 3.
 * Started by {@code ganglion-bench/run}; {@code --help} lists the options.
 */
public final class Driver {
    /** A library: its module folder, main class, JDK and JVM flags, and the workloads it runs. */
    record Lib(String name, String module, String mainClass, boolean jdk25, List<String> flags, Set<String> workloads) {
    }

    static final List<Lib> LIBS = List.of(
            new Lib("ganglion", "ganglion", "dev.ganglion.bench.ganglion.GanglionWorkloads", true,
                    // the flags the ganglion launcher uses
                    List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC",
                            "-XX:MaxNewSize=128m"),
                    Set.of("w1", "w2", "w3", "w4", "gemm", "ceilings")),
            new Lib("pytorch", "djl", "dev.ganglion.bench.djl.DjlBench", false,
                    List.of("-Dai.djl.offline=true"), Set.of("w1", "w2", "w3", "w4", "gemm")),
            new Lib("dl4j", "dl4j", "dev.ganglion.bench.dl4j.Dl4jBench", false, List.of(), Set.of("w1", "w2", "w3", "w4")),
            new Lib("encog", "encog", "dev.ganglion.bench.encog.EncogBench", false, List.of(), Set.of("w1", "w4")),
            new Lib("openblas", "openblas", "dev.ganglion.bench.openblas.OpenBlasBench", true,
                    List.of("--enable-native-access=ALL-UNNAMED"), Set.of("gemm")));

    /** One process's outcome. */
    record Run(String lib, String workload, int rep, Map<String, Object> json, String error, double wallSeconds, Path log) {
    }

    private final Path benchDir;
    private final String java25, java17;
    private List<String> workloads = Spec.WORKLOADS;
    private List<String> libs = LIBS.stream().map(Lib::name).toList();
    private int reps = -1;
    private boolean quick, encogW2, verbose;
    private int threads = 0;   // 0: every library's default
    private long timeoutSeconds = 1800;
    private Path outDir;
    private final List<Run> runs = new ArrayList<>();
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private Driver(Path benchDir, String java25, String java17) {
        this.benchDir = benchDir;
        this.java25 = java25;
        this.java17 = java17;
    }

    public static void main(String[] args) throws Exception {
        String bench = null, j25 = null, j17 = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bench-dir" -> bench = args[++i];
                case "--java25" -> j25 = args[++i];
                case "--java17" -> j17 = args[++i];
                default -> rest.add(args[i]);
            }
        }
        if (bench == null || j25 == null || j17 == null) {
            System.err.println("driver: start it through ganglion-bench/run (it passes --bench-dir, --java25 and --java17)");
            System.exit(2);
        }
        Driver d = new Driver(Path.of(bench), j25, j17);
        if (!d.parse(rest)) return;
        System.exit(d.runAll());
    }

    static final String HELP = """
            usage: ganglion-bench/run [--quick] [--reps N] [--workloads w1,w2,w3,w4,gemm,ceilings]
                                      [--libs ganglion,pytorch,dl4j,encog,openblas] [--encog-w2]
                                      [--threads N] [--timeout-s S] [--out DIR] [--verbose] [--no-build]
              --quick       smaller workloads (see docs/benchmarks.md) and 1 repetition: a smoke test
              --reps N      repetitions of every (library, workload) pair (default 3; quick 1)
              --workloads   which workloads (default all; ceilings measures the machine's
                            FMA peak and read bandwidth, in Ganglion's JVM only)
              --libs        which libraries (default all); ganglion is always needed for ratios
              --encog-w2    also train W2 with Encog (slow: double precision, one thread)
              --threads N   threads for every library (Ganglion -Dganglion.threads, PyTorch
                            -Dai.djl.pytorch.num_threads, OMP_/MKL_/OPENBLAS_NUM_THREADS);
                            default: each library's own default (all cores; Encog always 1)
              --timeout-s   limit for one process (default 1800)
              --out DIR     where results.jsonl, table.txt and the logs go
                            (default ganglion-bench/target/bench-results/<time>)
              --verbose     print each process's command line
              --no-build    (run script) skip the Maven build
            """;

    private boolean parse(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--quick" -> quick = true;
                case "--reps" -> reps = Integer.parseInt(args.get(++i));
                case "--workloads" -> workloads = List.of(args.get(++i).toLowerCase(Locale.ROOT).split(","));
                case "--libs" -> libs = List.of(args.get(++i).toLowerCase(Locale.ROOT).split(","));
                case "--encog-w2" -> encogW2 = true;
                case "--threads" -> threads = Integer.parseInt(args.get(++i));
                case "--timeout-s" -> timeoutSeconds = Long.parseLong(args.get(++i));
                case "--out" -> outDir = Path.of(args.get(++i));
                case "--verbose" -> verbose = true;
                case "-h", "--help" -> {
                    out.print(HELP);
                    return false;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + HELP);
            }
        }
        for (String w : workloads) if (!Spec.WORKLOADS.contains(w)) throw new IllegalArgumentException("unknown workload " + w);
        for (String l : libs) if (lib(l) == null) throw new IllegalArgumentException("unknown library " + l);
        if (reps < 0) reps = quick ? 1 : 3;
        if (outDir == null) {
            outDir = benchDir.resolve("target/bench-results/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return true;
    }

    static Lib lib(String name) {
        for (Lib l : LIBS) if (l.name().equals(name)) return l;
        return null;
    }

    private boolean runs(Lib l, String workload) {
        if (!libs.contains(l.name())) return false;
        if (l.name().equals("encog") && workload.equals("w2")) return encogW2;
        return l.workloads().contains(workload);
    }

    private int runAll() throws IOException, InterruptedException {
        Files.createDirectories(outDir.resolve("logs"));
        String header = header();
        out.print(header);
        for (int rep = 1; rep <= reps; rep++) {
            for (String w : workloads) {
                List<Lib> order = new ArrayList<>();
                for (Lib l : LIBS) if (runs(l, w)) order.add(l);
                if (order.isEmpty()) continue;
                int shift = (rep - 1) % order.size();
                for (int i = 0; i < order.size(); i++) runOne(order.get((i + shift) % order.size()), w, rep);
            }
        }
        String table = new Report(runs, workloads, libs, quick, reps).render();
        out.println();
        out.print(table);
        Files.writeString(outDir.resolve("table.txt"), header + "\n" + table);
        out.println("results: " + outDir.resolve("results.jsonl") + " (every run), " + outDir.resolve("table.txt"));
        return runs.stream().anyMatch(r -> r.error() != null) ? 1 : 0;
    }

    private String header() {
        StringBuilder b = new StringBuilder();
        b.append("Ganglion benchmark").append(quick ? " (QUICK: smaller workloads, a smoke test, not a measurement)" : "")
                .append(", ").append(reps).append(reps == 1 ? " repetition" : " repetitions")
                .append(", each run in its own JVM, libraries alternating, ")
                .append(threads > 0 ? threads + " thread(s) each" : "threads: each library's default").append('\n');
        b.append("machine  ").append(SystemInfo.cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(SystemInfo.memory()).append(", load average ").append(SystemInfo.loadAverage()).append('\n');
        b.append("jdks     ganglion, openblas: ").append(java25).append("; pytorch, dl4j, encog: ").append(java17).append('\n');
        b.append("started  ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))).append('\n');
        return b.toString();
    }

    private void runOne(Lib lib, String workload, int rep) throws IOException, InterruptedException {
        Path moduleDir = benchDir.resolve(lib.module());
        Path classes = moduleDir.resolve("target/classes"), libDir = moduleDir.resolve("target/lib");
        Path log = outDir.resolve("logs/" + lib.name() + "-" + workload + "-rep" + rep + ".log");
        Path stdout = outDir.resolve("logs/" + lib.name() + "-" + workload + "-rep" + rep + ".out");
        if (!Files.isDirectory(classes) || !Files.isDirectory(libDir)) {
            record(new Run(lib.name(), workload, rep, null, "not built: " + classes + " or " + libDir
                    + " is missing; run ganglion-bench/run (it builds with -Pbench)", 0, log));
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(lib.jdk25() ? java25 : java17);
        cmd.addAll(lib.flags());
        if (threads > 0) {
            if (lib.name().equals("ganglion")) cmd.add("-Dganglion.threads=" + threads);
            if (lib.name().equals("pytorch")) {
                cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
                cmd.add("-Dai.djl.pytorch.num_interop_threads=" + threads);
            }
        }
        cmd.add("-cp");
        cmd.add(classes + ":" + libDir + "/*");
        cmd.add(lib.mainClass());
        cmd.add("--workload");
        cmd.add(workload);
        cmd.add("--json");
        if (quick) cmd.add("--quick");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(moduleDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(log.toFile());
        if (lib.name().equals("openblas")) {
            // let OpenBLAS pick its kernel from the CPU (these are set on some machines for old OpenBLAS builds)
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
        }
        if (threads > 0) {
            for (String v : List.of("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")) {
                pb.environment().put(v, Integer.toString(threads));
            }
        }
        if (verbose) out.println("  $ " + String.join(" ", cmd));
        out.printf(Locale.ROOT, "[rep %d/%d] %-4s %-9s ", rep, reps, workload, lib.name());
        long start = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Object> json = null;
        for (String line : Files.readAllLines(stdout)) {
            if (line.startsWith("{\"library\"")) json = Json.parseObject(line);
        }
        String error = !done ? "timed out after " + timeoutSeconds + " s"
                : json == null ? "exit code " + p.exitValue() + ", no result line (see " + log + ")"
                : json.get("error") != null ? String.valueOf(json.get("error")) : null;
        record(new Run(lib.name(), workload, rep, error == null ? json : null, error, wall, log));
    }

    private void record(Run r) throws IOException {
        runs.add(r);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("rep", r.rep());
        line.put("wall_s", r.wallSeconds());
        if (r.json() != null) line.putAll(r.json());
        else {
            line.put("library", r.lib());
            line.put("workload", r.workload());
            line.put("error", r.error());
        }
        Files.writeString(outDir.resolve("results.jsonl"), Json.write(line) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (r.error() != null) {
            out.printf(Locale.ROOT, "FAILED (%.1f s): %s%n", r.wallSeconds(), r.error());
        } else {
            out.printf(Locale.ROOT, "%s (%.1f s)%n", Report.summary(r.json()), r.wallSeconds());
        }
    }

    /** Facts about this machine for the header. */
    static final class SystemInfo {
        static String cpuModel() {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
                }
            } catch (IOException e) {
                // not Linux
            }
            return System.getProperty("os.arch");
        }

        static String memory() {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (l.startsWith("MemTotal:")) {
                        long kb = Long.parseLong(l.replaceAll("\\D", ""));
                        return String.format(Locale.ROOT, "%.0f GiB", kb / 1024.0 / 1024.0);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            return "? GiB";
        }

        static String loadAverage() {
            try {
                String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                return p[0] + " " + p[1] + " " + p[2];
            } catch (IOException | RuntimeException e) {
                return "?";
            }
        }
    }

    static Set<String> set(String... s) {
        return new LinkedHashSet<>(List.of(s));
    }
}
