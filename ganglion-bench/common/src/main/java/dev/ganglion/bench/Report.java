package dev.ganglion.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Turns the runs into the table: medians per library, Ganglion ÷ each peer, and the targets of issue 3. */
final class Report {
    static final List<String> COLUMNS = List.of("ganglion", "pytorch", "dl4j", "encog", "openblas");

    /** A row: how to read its value from a run's JSON, whether lower is better, its target. */
    record Row(String workload, String label, Function<Map<String, Object>, Double> value, boolean lowerIsBetter,
               Target target) {
    }

    /**
     * A target on Ganglion's row: either ganglion ÷ peer ≥ (or ≤) a factor, or an absolute bound on
     * Ganglion's own value.
     */
    record Target(String text, List<Check> checks) {
    }

    record Check(String peer, double bound, boolean atMost) {
    }

    private final List<Driver.Run> runs;
    private final List<String> workloads;
    private final List<String> libs;
    private final boolean quick;
    private final int reps;

    Report(List<Driver.Run> runs, List<String> workloads, List<String> libs, boolean quick, int reps) {
        this.runs = runs;
        this.workloads = workloads;
        this.libs = libs;
        this.quick = quick;
        this.reps = reps;
    }

    static Function<Map<String, Object>, Double> field(String name) {
        return m -> m.get(name) instanceof Number n ? n.doubleValue() : null;
    }

    static Target ratio(String text, Check... checks) {
        return new Target(text, List.of(checks));
    }

    static Check atLeast(String peer, double x) {
        return new Check(peer, x, false);
    }

    static Check atMost(String peer, double x) {
        return new Check(peer, x, true);
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String w : workloads) {
            switch (w) {
                case "w1" -> rows.add(new Row(w, "W1 seed net  train samples/s", field("samples_per_sec"), false,
                        ratio("≥1.0x encog, ≥30x pytorch", atLeast("encog", 1.0), atLeast("pytorch", 30))));
                case "w2" -> {
                    rows.add(new Row(w, "W2 MNIST MLP train samples/s", field("samples_per_sec"), false,
                            ratio("≥2x pytorch, ≥10x dl4j", atLeast("pytorch", 2), atLeast("dl4j", 10))));
                    rows.add(new Row(w, "W2 peak RSS MiB (lower=better)", field("peak_rss_mb"), true,
                            ratio("≤0.8x pytorch", atMost("pytorch", 0.8))));
                }
                case "w3" -> {
                    rows.add(new Row(w, "W3 wide MLP  train steps/s", field("steps_per_sec"), false,
                            ratio("≥1.5x pytorch", atLeast("pytorch", 1.5))));
                    rows.add(new Row(w, "W3 wide MLP  GFLOP/s", field("gflops"), false, new Target("", List.of())));
                }
                case "w4" -> {
                    rows.add(new Row(w, "W4 latency µs, 1 sample (lower=better)", field("latency_us"), true,
                            ratio("≤5 µs", atMost(null, 5))));
                    rows.add(new Row(w, "W4 batched samples/s", field("samples_per_sec"), false,
                            ratio("≥1.5x pytorch", atLeast("pytorch", 1.5))));
                }
                case "gemm" -> {
                    Set<String> keys = new LinkedHashSet<>();
                    for (Driver.Run r : runs) {
                        if (r.json() != null && r.workload().equals("gemm") && r.json().get("gemm") instanceof List<?> l) {
                            for (Object o : l) keys.add(String.valueOf(((Map<?, ?>) o).get("case")));
                        }
                    }
                    for (String k : keys) {
                        rows.add(new Row(w, "GEMM " + k + " GFLOP/s", m -> gemmValue(m, k), false,
                                ratio("≥0.85x openblas", atLeast("openblas", 0.85))));
                    }
                }
                default -> {
                }
            }
        }
        return rows;
    }

    static Double gemmValue(Map<String, Object> m, String key) {
        if (!(m.get("gemm") instanceof List<?> l)) return null;
        for (Object o : l) {
            Map<?, ?> c = (Map<?, ?>) o;
            if (key.equals(c.get("case")) && c.get("gflops") instanceof Number n) return n.doubleValue();
        }
        return null;
    }

    /** Median over the repetitions of one library's value in a row; null when it has none. */
    Double median(Row row, String lib) {
        List<Double> v = new ArrayList<>();
        for (Driver.Run r : runs) {
            if (r.lib().equals(lib) && r.workload().equals(row.workload()) && r.json() != null) {
                Double x = row.value().apply(r.json());
                if (x != null) v.add(x);
            }
        }
        if (v.isEmpty()) return null;
        return Measure.median(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    boolean failed(Row row, String lib) {
        for (Driver.Run r : runs) if (r.lib().equals(lib) && r.workload().equals(row.workload()) && r.error() != null) return true;
        return false;
    }

    String render() {
        List<String> cols = new ArrayList<>();
        for (String c : COLUMNS) if (libs.contains(c)) cols.add(c);
        List<Row> rows = rows();
        List<String[]> cells = new ArrayList<>();
        String[] head = new String[cols.size() + 4];
        head[0] = "workload / metric (median of " + reps + ")";
        for (int i = 0; i < cols.size(); i++) head[i + 1] = cols.get(i);
        head[cols.size() + 1] = "ganglion ÷ peer";
        head[cols.size() + 2] = "target";
        head[cols.size() + 3] = "met";
        cells.add(head);
        for (Row row : rows) {
            String[] c = new String[cols.size() + 4];
            c[0] = row.label();
            Map<String, Double> med = new LinkedHashMap<>();
            boolean any = false;
            for (int i = 0; i < cols.size(); i++) {
                Double m = median(row, cols.get(i));
                if (m != null) {
                    med.put(cols.get(i), m);
                    any = true;
                }
                c[i + 1] = m != null ? fmt(m) : failed(row, cols.get(i)) ? "FAILED" : "-";
            }
            if (!any && !anyRun(row)) continue;
            Double g = med.get("ganglion");
            List<String> ratios = new ArrayList<>();
            for (var e : med.entrySet()) {
                if (e.getKey().equals("ganglion") || g == null) continue;
                ratios.add(e.getKey() + " " + String.format(Locale.ROOT, "%.2fx", g / e.getValue()));
            }
            c[cols.size() + 1] = String.join(", ", ratios);
            c[cols.size() + 2] = row.target().text();
            c[cols.size() + 3] = met(row, g, med);
            cells.add(c);
        }
        StringBuilder b = new StringBuilder();
        if (quick) b.append("QUICK MODE: smaller workloads, a smoke test of the harness, not a measurement\n");
        table(b, cells, cols.size());
        b.append("ganglion ÷ peer: Ganglion's median divided by the peer's (for samples/s, steps/s and GFLOP/s higher\n")
                .append("is better for Ganglion; for latency and RSS lower is). met: every check of the target holds\n")
                .append("(\"-\" where a peer's value is missing).\n");
        ceilings(b);
        lossTable(b);
        infoTable(b, cols);
        List<String> failures = new ArrayList<>();
        for (Driver.Run r : runs) {
            if (r.error() != null) failures.add(r.lib() + " " + r.workload() + " rep " + r.rep() + ": " + r.error() + "  (log: " + r.log() + ")");
        }
        if (!failures.isEmpty()) {
            b.append("\nfailed runs:\n");
            for (String f : failures) b.append("  ").append(f).append('\n');
        }
        b.append("load average at the end: ").append(Driver.SystemInfo.loadAverage()).append('\n');
        return b.toString();
    }

    private boolean anyRun(Row row) {
        for (Driver.Run r : runs) if (r.workload().equals(row.workload())) return true;
        return false;
    }

    private static String met(Row row, Double g, Map<String, Double> med) {
        if (row.target().checks().isEmpty()) return "";
        if (g == null) return "-";
        boolean all = true;
        for (Check c : row.target().checks()) {
            double v;
            if (c.peer() == null) {
                v = g;
            } else {
                Double p = med.get(c.peer());
                if (p == null) return "-";
                v = g / p;
            }
            all &= c.atMost() ? v <= c.bound() : v >= c.bound();
        }
        return all ? "yes" : "NO";
    }

    /** Median over {@code lib}'s runs of {@code workload} of one JSON field; null when none has it. */
    Double median(String workload, String lib, String field) {
        return median(new Row(workload, "", field(field), false, null), lib);
    }

    /**
     * The machine's ceilings and what they mean for the targets that depend on them: the fraction
     * of the FMA peak W3's target needs, and the fastest the W2 weights can be read for W4's
     * one-sample latency.
     */
    void ceilings(StringBuilder b) {
        if (!workloads.contains("ceilings")) return;
        Double peak1 = median("ceilings", "ganglion", "fma_peak_gflops_1t"), peak = median("ceilings", "ganglion", "fma_peak_gflops");
        Double cache = median("ceilings", "ganglion", "cache_read_gbs_per_core"), memory = median("ceilings", "ganglion", "memory_read_gbs_per_core");
        Double cores = median("ceilings", "ganglion", "cores"), kib = median("ceilings", "ganglion", "cache_kib"), mib = median("ceilings", "ganglion", "memory_mib");
        if (peak1 == null || peak == null || cache == null || memory == null || cores == null) return;
        b.append("\nmachine ceilings (Ganglion's JVM, Vector API; median of ").append(reps).append("):\n");
        b.append(String.format(Locale.ROOT, "  FMA peak        %s GFLOP/s on 1 thread, %s on %.0f threads%n", fmt(peak1), fmt(peak), cores));
        b.append(String.format(Locale.ROOT, "  read bandwidth  %s GB/s per core from a %.0f KiB array (cache), %s from %.0f MiB (memory)%n",
                fmt(cache), kib, fmt(memory), mib));
        Double w3 = median("w3", "ganglion", "gflops"), w3Torch = median("w3", "pytorch", "gflops");
        if (w3Torch != null) {
            double need = 1.5 * w3Torch;
            b.append(String.format(Locale.ROOT, "  W3 at 1.5x pytorch needs %s GFLOP/s over the whole step: %.0f%% of the FMA peak%s%n",
                    fmt(need), 100 * need / peak, w3 == null ? "" : String.format(Locale.ROOT, " (ganglion: %.0f%%)", 100 * w3 / peak)));
        }
        int[] layers = Spec.w4(false).network().layers();
        long params = Spec.weights(layers);
        for (int i = 1; i < layers.length; i++) params += layers[i];   // the biases
        double weightBytes = 4.0 * params;
        double floorUs = weightBytes / (cores * cache * 1e9) * 1e6;
        b.append(String.format(Locale.ROOT, "  W4 one sample reads the W2 weights (%.0f KB): at %s GB/s on each of %.0f cores that takes %s µs"
                        + " (target 5 µs needs %s GB/s per core)%n",
                weightBytes / 1e3, fmt(cache), cores, fmt(floorUs), fmt(weightBytes / (cores * 5e-6) / 1e9)));
    }

    /** Loss after training: the same data, initial weights and batch order should give about the same loss. */
    private void lossTable(StringBuilder b) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[]{"loss after training (a check that every library did the same work)", "ganglion", "pytorch", "dl4j", "encog"});
        boolean any = false;
        for (String w : workloads) {
            if (!List.of("w1", "w2", "w3").contains(w)) continue;
            String[] c = new String[5];
            c[0] = w + " (first " + Spec.train(w, quick).lossSamples() + " training samples)";
            boolean row = false;
            String[] names = {"", "ganglion", "pytorch", "dl4j", "encog"};
            for (int i = 1; i < 5; i++) {
                Double v = median(new Row(w, "", field("loss_after"), true, null), names[i]);
                c[i] = v == null ? "-" : String.format(Locale.ROOT, "%.5f", v);
                row |= v != null;
            }
            if (row) {
                cells.add(c);
                any = true;
            }
        }
        if (!any) return;
        b.append('\n');
        table(b, cells, 4);
    }

    /** Versions, threads and kernels each library reported. */
    private void infoTable(StringBuilder b, List<String> cols) {
        b.append("\nlibraries:\n");
        for (String lib : cols) {
            Map<String, Object> info = null;
            for (Driver.Run r : runs) if (r.lib().equals(lib) && r.json() != null) info = r.json();
            if (info == null) continue;
            StringBuilder s = new StringBuilder();
            for (String k : List.of("version", "java", "threads", "gemm_backend", "blas", "kernel", "precision")) {
                Object v = info.get(k);
                if (v instanceof Double d && d == Math.rint(d)) v = d.longValue();
                if (v != null) s.append(s.length() == 0 ? "" : "; ").append(k).append(' ').append(v);
            }
            b.append(String.format(Locale.ROOT, "  %-9s %s%n", lib, s));
        }
    }

    /** Columns 1..numeric are right-aligned, the others left-aligned. */
    static void table(StringBuilder b, List<String[]> cells, int numeric) {
        int n = cells.get(0).length;
        int[] w = new int[n];
        for (String[] r : cells) for (int i = 0; i < n; i++) w[i] = Math.max(w[i], r[i] == null ? 0 : r[i].length());
        for (int ri = 0; ri < cells.size(); ri++) {
            String[] r = cells.get(ri);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String s = r[i] == null ? "" : r[i];
                boolean number = i > 0 && i <= numeric;
                if (i > 0) line.append("  ");
                line.append(number ? " ".repeat(w[i] - s.length()) + s : s + " ".repeat(w[i] - s.length()));
            }
            b.append(line.toString().stripTrailing()).append('\n');
            if (ri == 0) {
                int len = 0;
                for (int x : w) len += x + 2;
                b.append("-".repeat(Math.max(0, len - 2))).append('\n');
            }
        }
    }

    /** Three significant digits, with k / M for large values. */
    static String fmt(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) return sig(v / 1e6) + "M";
        if (a >= 1e4) return sig(v / 1e3) + "k";
        return sig(v);
    }

    private static String sig(double v) {
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** One line for the progress output. */
    static String summary(Map<String, Object> m) {
        List<String> parts = new ArrayList<>();
        if (m.get("latency_us") instanceof Number n) parts.add(fmt(n.doubleValue()) + " µs latency");
        if (m.get("samples_per_sec") instanceof Number n) parts.add(fmt(n.doubleValue()) + " samples/s");
        if (m.get("steps_per_sec") instanceof Number n && !(m.get("latency_us") instanceof Number)) parts.add(fmt(n.doubleValue()) + " steps/s");
        if (m.get("gflops") instanceof Number n) parts.add(fmt(n.doubleValue()) + " GFLOP/s");
        if (m.get("gemm") instanceof List<?> l) parts.add(l.size() + " GEMM cases");
        if (m.get("loss_after") instanceof Number n) parts.add(String.format(Locale.ROOT, "loss %.4f", n.doubleValue()));
        if (m.get("peak_rss_mb") instanceof Number n) parts.add(String.format(Locale.ROOT, "peak RSS %.0f MiB", n.doubleValue()));
        return String.join(", ", parts);
    }
}
