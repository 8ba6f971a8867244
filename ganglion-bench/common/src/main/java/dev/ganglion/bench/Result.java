package dev.ganglion.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one library measured for one workload. The measures that apply are set, the others are null:
 * training sets {@code samplesPerSec}, {@code stepsPerSec}, {@code gflops} and {@code lossAfter};
 * W4 sets {@code latencyUs} (one sample) and {@code samplesPerSec} (batched); GEMM sets {@code gemm}.
 * {@link #toJson()} writes them in snake_case (samples_per_sec, steps_per_sec, gflops, latency_us,
 * loss_after, gemm) followed by {@code info} (versions, threads, peak RSS...).
 */
public record Result(String library, String workload, Double samplesPerSec, Double stepsPerSec, Double gflops,
                     Double latencyUs, Double lossAfter, List<GemmPoint> gemm, Map<String, Object> info) {

    /**
     * One GEMM case: its key (form, shape, label), GFLOP/s from the median call time (the figure the
     * table uses) and from the fastest call (steadier on a busy machine).
     */
    public record GemmPoint(Spec.GemmCase gemmCase, double gflops, double bestGflops, double medianSeconds, int calls) {
        /** From the seconds of each timed call. */
        public static GemmPoint of(Spec.GemmCase c, double[] seconds) {
            double med = Measure.median(seconds);
            double min = java.util.Arrays.stream(seconds).min().orElse(Double.NaN);
            return new GemmPoint(c, c.flops() / med / 1e9, c.flops() / min / 1e9, med, seconds.length);
        }
    }

    public static Result training(String library, Spec.Train spec, double seconds, double lossAfter) {
        double sps = spec.timedSamples() / seconds;
        return new Result(library, spec.workload(), sps, spec.timedSteps() / seconds, 6.0 * spec.weights() * sps / 1e9,
                null, lossAfter, null, new LinkedHashMap<>());
    }

    public static Result inference(String library, Spec.Infer spec, double latencyUs, double batchedSamplesPerSec) {
        return new Result(library, spec.workload(), batchedSamplesPerSec, null, null, latencyUs, null, null,
                new LinkedHashMap<>());
    }

    public static Result gemm(String library, List<GemmPoint> points) {
        return new Result(library, "gemm", null, null, null, null, null, List.copyOf(points), new LinkedHashMap<>());
    }

    /** A result whose figures are all in its fields (see {@link #with}), e.g. the machine's ceilings. */
    public static Result fields(String library, String workload) {
        return new Result(library, workload, null, null, null, null, null, null, new LinkedHashMap<>());
    }

    /** Adds a descriptive field (version, threads, peak_rss_mb...); returns this. */
    public Result with(String key, Object value) {
        info.put(key, value);
        return this;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("library", library);
        m.put("workload", workload);
        put(m, "samples_per_sec", samplesPerSec);
        put(m, "steps_per_sec", stepsPerSec);
        put(m, "gflops", gflops);
        put(m, "latency_us", latencyUs);
        put(m, "loss_after", lossAfter);
        if (gemm != null) {
            List<Object> cases = new ArrayList<>();
            for (GemmPoint p : gemm) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("case", p.gemmCase().key());
                c.put("form", p.gemmCase().form());
                c.put("m", p.gemmCase().m());
                c.put("n", p.gemmCase().n());
                c.put("k", p.gemmCase().k());
                c.put("gflops", p.gflops());
                c.put("best_gflops", p.bestGflops());
                c.put("median_s", p.medianSeconds());
                c.put("calls", p.calls());
                cases.add(c);
            }
            m.put("gemm", cases);
        }
        m.putAll(info);
        return m;
    }

    private static void put(Map<String, Object> m, String k, Double v) {
        if (v != null) m.put(k, v);
    }

    public String toJson() {
        return Json.write(toMap());
    }

    /** A few human-readable lines. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(library).append(' ').append(workload).append('\n');
        if (samplesPerSec != null) b.append(String.format(Locale.ROOT, "  samples/s    %,.0f%n", samplesPerSec));
        if (stepsPerSec != null) b.append(String.format(Locale.ROOT, "  steps/s      %.3f%n", stepsPerSec));
        if (gflops != null) b.append(String.format(Locale.ROOT, "  GFLOP/s      %.2f%n", gflops));
        if (latencyUs != null) b.append(String.format(Locale.ROOT, "  latency      %.2f µs (median, one sample)%n", latencyUs));
        if (lossAfter != null) b.append(String.format(Locale.ROOT, "  loss after   %.6f%n", lossAfter));
        if (gemm != null) {
            for (GemmPoint p : gemm) {
                b.append(String.format(Locale.ROOT, "  %-32s %8.2f GFLOP/s%n", p.gemmCase().key(), p.gflops()));
            }
        }
        info.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        return b.toString();
    }
}
