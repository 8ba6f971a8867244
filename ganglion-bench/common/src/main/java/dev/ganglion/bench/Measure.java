package dev.ganglion.bench;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntConsumer;

/** Timing helpers and the process facts every result carries. */
public final class Measure {
    private Measure() {
    }

    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * Times {@code call} (given its call number) after at least {@code warmup} untimed calls (and,
     * if {@code warmup > 0}, on until the JIT is quiet, as {@link #warmUp}): at least
     * {@code minCalls} timed calls and at least {@code minSeconds} in all. Returns each call's seconds.
     */
    public static double[] timeCalls(IntConsumer call, int warmup, int minCalls, double minSeconds) {
        int done = warmup > 0 ? warmUp(call, warmup, 0) : 0;
        double[] t = new double[Math.max(16, minCalls)];
        int n = 0;
        double total = 0;
        while (n < minCalls || total < minSeconds) {
            long s = System.nanoTime();
            call.accept(done + n);
            double dt = (System.nanoTime() - s) / 1e9;
            if (n == t.length) t = Arrays.copyOf(t, 2 * n);
            t[n++] = dt;
            total += dt;
        }
        return Arrays.copyOf(t, n);
    }

    /**
     * Like {@link #timeCalls}, after a warm-up of at least 50 calls and 1 s (at most 20 s): JIT
     * compilation, thread pools and allocators settle before timing. Every library's GEMM gets the
     * same warm-up, so a JVM kernel is timed compiled, as it runs in training.
     */
    public static double[] timeCallsWarm(IntConsumer call, int minCalls, double minSeconds) {
        warmUp(call, 50, 1.0);
        return timeCalls(call, 0, minCalls, minSeconds);
    }

    /**
     * Times exactly {@code timedCalls} calls after the same kind of warm-up, of at least
     * {@code warmupCalls} calls and {@code warmupSeconds}: W4's batched passes, which every library
     * warms up by the rule of its GEMM, so that a JVM library's kernels are timed compiled, as a
     * server runs them. Calls are numbered on from the warm-up.
     */
    public static double[] timeCallsAfterWarmup(IntConsumer call, int warmupCalls, double warmupSeconds, int timedCalls) {
        int done = warmUp(call, warmupCalls, warmupSeconds);
        return timeCalls(n -> call.accept(done + n), 0, timedCalls, 0);
    }

    /** The JIT is taken as settled once it has compiled nothing for this long. */
    static final long JIT_QUIET_NANOS = 250_000_000L;

    /**
     * Calls {@code call} until at least {@code minCalls} calls and {@code minSeconds}, and then on
     * until the JIT has compiled nothing for {@link #JIT_QUIET_NANOS} (at most 20 s in all); returns
     * the count. On a two-core machine a compiler thread still at work takes a core from a
     * two-thread kernel: the first GEMM case of a fresh JVM ran at a third of its speed for
     * seconds after a fixed 1 s warm-up (docs/performance.md, session 5).
     */
    private static int warmUp(IntConsumer call, int minCalls, double minSeconds) {
        long start = System.nanoTime(), min = (long) (minSeconds * 1e9), max = 20_000_000_000L;
        long lastCompileTime = jitMillis(), quietSince = start;
        int i = 0;
        for (long now = start; now - start < max; ) {
            if (i >= minCalls && now - start >= min && now - quietSince >= JIT_QUIET_NANOS) break;
            call.accept(i++);
            now = System.nanoTime();
            long jit = jitMillis();
            if (jit != lastCompileTime) {
                lastCompileTime = jit;
                quietSince = now;
            }
        }
        return i;
    }

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    /** Total JIT compilation time so far, in ms; constant (so never in the way) where not monitored. */
    static long jitMillis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }

    /** Peak resident set size of this process so far (VmHWM), in MiB; NaN where /proc is missing. */
    public static double peakRssMb() {
        return procStatus("VmHWM:");
    }

    /** Resident set size now (VmRSS), in MiB. */
    public static double rssMb() {
        return procStatus("VmRSS:");
    }

    private static double procStatus(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Double.parseDouble(parts[0]) / 1024.0;   // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }

    /** The version of a Maven artifact on the classpath, from its META-INF/maven/.../pom.properties; "?" if absent. */
    public static String mavenVersion(String group, String artifact) {
        String res = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (var in = Measure.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) return "?";
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** Keeps the JIT from removing a computation whose result is otherwise unused. */
    public static volatile double sink;

    public static void consume(float v) {
        sink += v;
    }
}
