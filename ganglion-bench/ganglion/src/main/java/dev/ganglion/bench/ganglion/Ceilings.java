package dev.ganglion.bench.ganglion;

import dev.ganglion.bench.Measure;
import dev.ganglion.bench.Spec;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * What this machine allows a JVM at most, measured with the same Vector API the kernels use: the
 * fused multiply-add peak (independent FMAs on registers, nothing loaded) on one core and on every
 * thread at once, and the read bandwidth of each core from an array that fits its cache and from
 * one that only fits main memory. The benchmark report turns these into bounds on the targets (the
 * fraction of peak a target needs, the one-sample latency below which the W2 weights cannot be
 * read); they are the ceilings every kernel is measured against.
 */
public final class Ceilings {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * Independent accumulators in the FMA loop, so FMAs per iteration and lane: enough to cover the
     * FMA latency on two ports.
     */
    static final int ACCUMULATORS = 24;

    private Ceilings() {
    }

    /** The measured ceilings; every figure is the median of its timed slices. */
    public record Result(int threads, int lanes, double fmaPeakGflops1t, double fmaPeakGflops,
                         double cacheReadGbsPerCore, double memoryReadGbsPerCore, int cacheKib, int memoryMib) {
    }

    /** Measures every ceiling for {@code spec}, on {@code threads} threads where all cores are meant. */
    public static Result measure(Spec.Ceilings spec, int threads) {
        int lanes = S.length();
        double flopsPerIteration = 2.0 * ACCUMULATORS * lanes;
        long iterations = 20_000;   // about 0.1 ms a call once compiled
        warmUp(iterations, Math.max(0.5, spec.seconds() / 4));
        double peak1 = onThreads(1, spec.seconds(), t -> () -> fmaLoop(iterations), flopsPerIteration * iterations);
        double peakAll = onThreads(threads, spec.seconds(), t -> () -> fmaLoop(iterations), flopsPerIteration * iterations);
        int cacheFloats = spec.cacheKib() * 256;
        int memoryFloats = spec.memoryMib() * 256 * 1024;
        double cache = perCore(threads, spec.seconds(), cacheFloats);
        double memory = perCore(threads, spec.seconds(), memoryFloats);
        return new Result(threads, lanes, peak1 / 1e9, peakAll / 1e9, cache / 1e9, memory / 1e9,
                spec.cacheKib(), spec.memoryMib());
    }

    /**
     * Runs both probes for at least {@code seconds} and until C2 has compiled them (a call is then
     * fast; at most 10 s): interpreted, the Vector API allocates an object per operation, and the
     * first measurement would time that instead of the machine.
     */
    private static void warmUp(long iterations, double seconds) {
        float[] a = filled(64 * 1024);
        double check = 0;
        long start = System.nanoTime(), fma = Long.MAX_VALUE, read = Long.MAX_VALUE;
        // compiled, fmaLoop runs at well over 10 GFLOP/s and sum reads well over 10 GB/s
        long fmaCompiled = (long) (2.0 * ACCUMULATORS * S.length() * iterations / 10.0);
        long readCompiled = 4L * a.length / 10;
        while (System.nanoTime() - start < 10e9
                && (System.nanoTime() - start < seconds * 1e9 || fma > fmaCompiled || read > readCompiled)) {
            long t0 = System.nanoTime();
            check += fmaLoop(iterations);
            long t1 = System.nanoTime();
            check += sum(a);
            long t2 = System.nanoTime();
            fma = t1 - t0;
            read = t2 - t1;
        }
        Measure.consume((float) check);
    }

    /** Bytes per second one core reads while every thread streams its own array of {@code floats}. */
    private static double perCore(int threads, double seconds, int floats) {
        List<float[]> arrays = new ArrayList<>();
        for (int t = 0; t < threads; t++) arrays.add(filled(floats));
        return onThreads(threads, seconds, t -> () -> sum(arrays.get(t)), 4.0 * floats) / threads;
    }

    static float[] filled(int floats) {
        float[] a = new float[floats];
        for (int i = 0; i < floats; i++) a[i] = (i & 7) * 0.25f;
        return a;
    }

    /**
     * Runs {@code work} on {@code threads} threads at once, each repeating its task in slices of
     * about 20 ms for {@code seconds} (the first quarter a warm-up, and on until at least one slice
     * is timed); returns the sum over the threads of each one's median rate over its slices, where
     * one task call does {@code unitsPerCall} units.
     */
    private static double onThreads(int threads, double seconds, IntFunction<Task> work, double unitsPerCall) {
        long warmupNanos = (long) (seconds * 0.25e9), endNanos = (long) (seconds * 1e9);
        List<List<Double>> rates = new ArrayList<>();
        for (int t = 0; t < threads; t++) rates.add(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Task task = work.apply(t);
            List<Double> mine = rates.get(t);
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long begin = System.nanoTime();
                double check = 0;
                while (System.nanoTime() - begin < endNanos || mine.isEmpty()) {
                    long t0 = System.nanoTime();
                    int calls = 0;
                    do {
                        check += task.run();
                        calls++;
                    } while (System.nanoTime() - t0 < 20_000_000L);
                    long t1 = System.nanoTime();
                    if (t0 - begin >= warmupNanos) mine.add(calls * unitsPerCall / ((t1 - t0) / 1e9));
                }
                Measure.consume((float) check);
            }, "ceilings-" + t);
            th.start();
            started.add(th);
        }
        start.countDown();
        for (Thread th : started) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
        double total = 0;
        for (List<Double> r : rates) {
            total += Measure.median(r.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return total;
    }

    @FunctionalInterface
    private interface Task {
        double run();
    }

    /**
     * {@code iterations} rounds of {@value #ACCUMULATORS} independent FMAs on registers; returns the
     * sum of every lane of every accumulator, which is known in closed form (see the test), so the
     * work cannot be skipped.
     */
    static double fmaLoop(long iterations) {
        FloatVector x = FloatVector.broadcast(S, 0.5f), y = FloatVector.broadcast(S, 0.5f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        FloatVector c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
        FloatVector c16 = c0, c17 = c0, c18 = c0, c19 = c0, c20 = c0, c21 = c0, c22 = c0, c23 = c0;
        for (long i = 0; i < iterations; i++) {
            c0 = x.fma(y, c0);
            c1 = x.fma(y, c1);
            c2 = x.fma(y, c2);
            c3 = x.fma(y, c3);
            c4 = x.fma(y, c4);
            c5 = x.fma(y, c5);
            c6 = x.fma(y, c6);
            c7 = x.fma(y, c7);
            c8 = x.fma(y, c8);
            c9 = x.fma(y, c9);
            c10 = x.fma(y, c10);
            c11 = x.fma(y, c11);
            c12 = x.fma(y, c12);
            c13 = x.fma(y, c13);
            c14 = x.fma(y, c14);
            c15 = x.fma(y, c15);
            c16 = x.fma(y, c16);
            c17 = x.fma(y, c17);
            c18 = x.fma(y, c18);
            c19 = x.fma(y, c19);
            c20 = x.fma(y, c20);
            c21 = x.fma(y, c21);
            c22 = x.fma(y, c22);
            c23 = x.fma(y, c23);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15)
                .add(c16).add(c17).add(c18).add(c19).add(c20).add(c21).add(c22).add(c23);
        double total = 0;
        for (int i = 0; i < S.length(); i++) total += s.lane(i);
        return total;
    }

    /** The sum of {@code a}, read with eight vector accumulators (a multiple of 8 vectors long). */
    static double sum(float[] a) {
        int step = 8 * S.length();
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int i = 0;
        for (; i + step <= a.length; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + S.length()));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * S.length()));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * S.length()));
            s4 = s4.add(FloatVector.fromArray(S, a, i + 4 * S.length()));
            s5 = s5.add(FloatVector.fromArray(S, a, i + 5 * S.length()));
            s6 = s6.add(FloatVector.fromArray(S, a, i + 6 * S.length()));
            s7 = s7.add(FloatVector.fromArray(S, a, i + 7 * S.length()));
        }
        double total = s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) total += a[i];
        return total;
    }
}
