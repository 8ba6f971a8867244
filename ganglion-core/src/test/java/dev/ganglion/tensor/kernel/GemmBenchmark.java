package dev.ganglion.tensor.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/**
 * Prints median GFLOP/s of {@link Gemm#gemm} for a few square and network-like shapes, on one
 * thread and on the pool's thread count, plus the per-call time of tiny products next to the
 * plain {@link Gemm#reference} loop. It first measures the single-thread FMA peak of this JVM
 * (16 independent vector accumulators, no memory traffic), because on a shared machine absolute
 * numbers drift: compare kernels against that line. A measuring tool, not a test: run it by hand, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.ganglion.tensor.kernel.GemmBenchmark}.
 */
public final class GemmBenchmark {
    private static volatile float sink;

    private GemmBenchmark() {
    }

    public static void main(String[] args) {
        int threads = GemmPool.threads();
        System.out.printf("backend: %s; %s%n", Gemm.backend(), Runtime.version());
        System.out.printf("FMA peak, 1 thread: %.0f GFLOP/s%n", peak());
        warmUp();
        System.out.printf("%-22s %10s %10s%n", "MxKxN layout", "GFLOP/s 1T", "GFLOP/s " + threads + "T");
        int[][] shapes = {{256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024}, {128, 784, 256}, {512, 1024, 4096}};
        for (int[] s : shapes) {
            for (String form : new String[] {"NN", "TN", "NT"}) {
                double one = gflops(form, s[0], s[1], s[2], 1);
                double all = gflops(form, s[0], s[1], s[2], threads);
                System.out.printf("%-22s %10.1f %10.1f%n", s[0] + "x" + s[1] + "x" + s[2] + " " + form, one, all);
            }
        }
        System.out.printf("%n%-22s %10s %14s%n", "tiny MxKxN layout", "ns/call", "reference ns");
        int[][] tiny = {{32, 3, 3}, {3, 3, 32}, {32, 3, 1}, {16, 16, 16}, {64, 64, 64}};
        for (int[] s : tiny) {
            for (String form : new String[] {"NN", "TN", "NT"}) {
                System.out.printf("%-22s %10.0f %14.0f%n", s[0] + "x" + s[1] + "x" + s[2] + " " + form,
                        nanosPerCall(form, s[0], s[1], s[2], false), nanosPerCall(form, s[0], s[1], s[2], true));
            }
        }
        System.out.printf("%nFMA peak, 1 thread: %.0f GFLOP/s%n", peak());
    }

    /** GFLOP/s of 16 independent chains of vector FMAs: the ceiling for one thread right now. */
    private static double peak() {
        long iters = 2_000_000L;
        double best = 0;
        for (int r = 0; r < 30; r++) { // the first calls run before C2 has compiled fmaChains
            long t0 = System.nanoTime();
            sink += fmaChains(iters);
            best = Math.max(best, 16.0 * 2 * FloatVector.SPECIES_PREFERRED.length() * iters / (System.nanoTime() - t0));
        }
        return best;
    }

    private static float fmaChains(long iters) {
        var s = FloatVector.SPECIES_PREFERRED;
        FloatVector x = FloatVector.broadcast(s, 0.999f), y = FloatVector.broadcast(s, 1e-4f);
        FloatVector a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x;
        FloatVector a8 = x, a9 = x, a10 = x, a11 = x, a12 = x, a13 = x, a14 = x, a15 = x;
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
            a12 = a12.fma(x, y); a13 = a13.fma(x, y); a14 = a14.fma(x, y); a15 = a15.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .add(a10).add(a11).add(a12).add(a13).add(a14).add(a15).lane(0);
    }

    /** Gets every kernel through the JIT before anything is timed (slow on a busy machine). */
    private static void warmUp() {
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            for (String form : new String[] {"NN", "TN", "NT"}) {
                gflopsOnce(form, 192, 200, 190, GemmPool.threads());
                gflopsOnce(form, 33, 3, 3, 1);
                gflopsOnce(form, 3, 40, 1, 1);
                gflopsOnce(form, 5, 300, 500, 1);
            }
        }
    }

    private static void gflopsOnce(String form, int m, int k, int n, int threads) {
        boolean ta = form.charAt(0) == 'T', tb = form.charAt(1) == 'T';
        float[] a = random(m * k), b = random(k * n), c = new float[m * n];
        for (int i = 0; i < 20; i++) VectorGemm.gemm(ta, tb, m, n, k, a, 0, b, 0, c, 0, i % 2 == 0, threads);
        sink += c[0];
    }

    /** Median GFLOP/s of C = op(A)·op(B) with op(A) m×k and op(B) k×n. */
    private static double gflops(String form, int m, int k, int n, int threads) {
        boolean ta = form.charAt(0) == 'T', tb = form.charAt(1) == 'T';
        float[] a = random(m * k), b = random(k * n), c = new float[m * n];
        Runnable call = () -> VectorGemm.gemm(ta, tb, m, n, k, a, 0, b, 0, c, 0, false, threads);
        long warmEnd = System.nanoTime() + 700_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < warmEnd; i++) call.run();
        long[] times = new long[31];
        int reps = 0;
        long end = System.nanoTime() + 500_000_000L;
        while (reps < times.length && (reps < 7 || System.nanoTime() < end)) {
            long t0 = System.nanoTime();
            call.run();
            times[reps++] = System.nanoTime() - t0;
        }
        sink += c[0];
        return 2.0 * m * n * k / median(times, reps);
    }

    /** Median time per call of a tiny product (or of the reference loop), in ~10 ms batches. */
    private static double nanosPerCall(String form, int m, int k, int n, boolean reference) {
        boolean ta = form.charAt(0) == 'T', tb = form.charAt(1) == 'T';
        float[] a = random(m * k), b = random(k * n), c = new float[m * n];
        Runnable call = reference
                ? () -> Gemm.reference(ta, tb, m, n, k, a, 0, b, 0, c, 0, false)
                : () -> Gemm.gemm(ta, tb, m, n, k, a, 0, b, 0, c, 0, false);
        long warmEnd = System.nanoTime() + 700_000_000L;
        int batch = 1;
        while (System.nanoTime() < warmEnd) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) call.run();
            if (System.nanoTime() - t0 < 10_000_000L) batch *= 2;
        }
        long[] times = new long[15];
        for (int r = 0; r < times.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) call.run();
            times[r] = System.nanoTime() - t0;
        }
        sink += c[0];
        return median(times, times.length) / batch;
    }

    private static double median(long[] times, int count) {
        long[] t = Arrays.copyOf(times, count);
        Arrays.sort(t);
        return count % 2 == 1 ? t[count / 2] : (t[count / 2 - 1] + t[count / 2]) / 2.0;
    }

    private static float[] random(int size) {
        SplittableRandom rnd = new SplittableRandom(size);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }
}
