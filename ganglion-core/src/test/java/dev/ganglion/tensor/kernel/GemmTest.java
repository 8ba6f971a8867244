package dev.ganglion.tensor.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Gemm#gemm} against a double-precision product (see {@link GemmCase} for the tolerance). */
class GemmTest {
    private static final boolean[][] FORMS = {{false, false}, {true, false}, {false, true}, {true, true}};

    @Test
    void usesTheVectorBackendWhenTheModuleIsPresent() {
        // Surefire runs with --add-modules jdk.incubator.vector.
        assertThat(Gemm.backend()).startsWith("vector-").contains("floats").contains("thread");
    }

    /** Random odd shapes up to 300 in every form, with and without accumulate. */
    static Stream<Arguments> randomShapes() {
        SplittableRandom rnd = new SplittableRandom(20240611);
        List<Arguments> cases = new ArrayList<>();
        for (boolean[] form : FORMS) {
            for (int t = 0; t < 12; t++) {
                // Mostly small, some up to 300: small shapes are where the tails are.
                int m = size(rnd), n = size(rnd), k = size(rnd);
                cases.add(Arguments.of(form[0], form[1], m, n, k, rnd.nextBoolean(), rnd.nextLong()));
            }
        }
        return cases.stream();
    }

    private static int size(SplittableRandom rnd) {
        return rnd.nextInt(4) == 0 ? rnd.nextInt(1, 301) : rnd.nextInt(1, 70);
    }

    @ParameterizedTest(name = "{index}: transA={0} transB={1} {2}x{3}x{4} acc={5}")
    @MethodSource("randomShapes")
    void matchesDoublePrecisionOnRandomShapes(boolean ta, boolean tb, int m, int n, int k, boolean acc, long seed) {
        GemmCase g = GemmCase.random(ta, tb, m, n, k, seed);
        g.check(g.runReference(acc), acc, "reference"); // the bound also holds for the plain loop
        double err = g.check(g.runGemm(acc), acc, "gemm");
        assertThat(err).isLessThan(1e-5);
    }

    /** Products of at most {@link Gemm#TINY_MACS} multiply-adds, in every form. */
    static Stream<Arguments> tinyShapes() {
        int[][] shapes = {{1, 1, 1}, {32, 3, 3}, {32, 1, 3}, {3, 3, 32}, {1, 3, 32}, {32, 3, 1}, {4, 16, 16}, {8, 8, 16}, {1, 1024, 1}};
        List<Arguments> cases = new ArrayList<>();
        long seed = 100;
        for (int[] s : shapes) {
            for (boolean[] form : FORMS) cases.add(Arguments.of(form[0], form[1], s[0], s[1], s[2], seed % 2 == 0, seed++));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{index}: transA={0} transB={1} {2}x{3}x{4} acc={5}")
    @MethodSource("tinyShapes")
    void tinyProductsSumInTheReferencesOrderBitForBit(boolean ta, boolean tb, int m, int n, int k, boolean acc, long seed) {
        assertThat((long) m * n * k).isLessThanOrEqualTo(Gemm.TINY_MACS);
        GemmCase g = GemmCase.random(ta, tb, m, n, k, seed);
        assertThat(g.runGemm(acc)).containsExactly(g.runReference(acc));
    }

    /** Shapes at the edges: 1×1, vector-width tails, the 3-3-1 network, several cache blocks. */
    static Stream<Arguments> edgeShapes() {
        int l = VectorGemm.L;
        int[][] shapes = { // {m, n, k}
                {1, 1, 1}, {1, 1, 7}, {1, 37, 1}, {37, 1, 1}, {2, 3, 4},
                {32, 3, 3}, {32, 1, 3}, {3, 3, 32}, {32, 3, 1},
                {l - 1, l + 1, l}, {l + 1, 2 * l + 1, l - 1}, {5, 4 * l - 1, 4 * l + 1},
                {64, 64, 64}, {65, 63, 257},            // just above the small threshold
                {66, 70, 1030},                         // one deep k slice
                {66, 70, 4100},                         // two k slices of 2050 (KC = 2048)
                {530, 70, 40},                          // two MC blocks of A
                {9, 1100, 2048},                        // two panels of B (1024 columns of depth 2048)
                {7, 300, 600}, {300, 5, 300}, {1, 2000, 300}, {2000, 1, 300}, // skinny
                {5, 3, 2100}, {9, 20, 1100},            // ragged strip of B copied in chunks
        };
        List<Arguments> cases = new ArrayList<>();
        long seed = 1;
        for (int[] s : shapes) {
            for (boolean[] form : FORMS) {
                cases.add(Arguments.of(form[0], form[1], s[0], s[1], s[2], seed % 2 == 0, seed));
                seed++;
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{index}: transA={0} transB={1} {2}x{3}x{4} acc={5}")
    @MethodSource("edgeShapes")
    void matchesDoublePrecisionOnEdgeShapes(boolean ta, boolean tb, int m, int n, int k, boolean acc, long seed) {
        GemmCase g = GemmCase.random(ta, tb, m, n, k, seed);
        g.check(g.runGemm(acc), acc, "gemm");
        g.check(g.runGemm(!acc), !acc, "gemm");
    }

    @Test
    void emptyProductsTouchOnlyWhatTheyShould() {
        for (boolean[] form : FORMS) {
            for (boolean acc : new boolean[] {false, true}) {
                for (int[] s : new int[][] {{0, 5, 3}, {5, 0, 3}, {0, 0, 0}, {4, 6, 0}, {1, 1, 0}}) {
                    GemmCase g = GemmCase.random(form[0], form[1], s[0], s[1], s[2], 7);
                    // k = 0: C = 0, or C unchanged with accumulate; m or n = 0: nothing written.
                    g.check(g.runGemm(acc), acc, "gemm");
                }
            }
        }
    }

    @Test
    void largeProductsUseThePackedMultiThreadedPathCorrectly() {
        // 2·150·141·1100 ≈ 47 Mflop: packed kernel, three k slices of 367/367/366, a partial
        // last group of rows (150 = 37·4 + 2) read packed, split over threads.
        for (boolean[] form : FORMS) {
            GemmCase g = GemmCase.random(form[0], form[1], 150, 141, 1100, 99);
            for (int threads : new int[] {1, 2, 3}) {
                float[] out = g.cCopy();
                VectorGemm.gemm(g.transA, g.transB, g.m, g.n, g.k, g.a, g.aOff, g.b, g.bOff,
                        out, g.cOff, true, threads);
                g.check(out, true, threads + " threads");
            }
        }
    }

    private static void assertSameBits(float[] actual, float[] expected, String label) {
        int i = Arrays.mismatch(actual, expected); // compares floatToIntBits
        if (i >= 0) {
            throw new AssertionError(label + ": differs first at index " + i + ": " + actual[i] + " vs " + expected[i]);
        }
    }

    @Test
    void resultsAreBitIdenticalAcrossRunsAndThreadCounts() {
        int[][] shapes = {{150, 140, 270}, {530, 70, 40}, {6, 2000, 100}, {40, 50, 60}};
        for (int[] s : shapes) {
            for (boolean[] form : FORMS) {
                GemmCase g = GemmCase.random(form[0], form[1], s[0], s[1], s[2], 5);
                float[] first = g.runGemm(false);
                assertSameBits(g.runGemm(false), first, g.form() + " " + Arrays.toString(s) + " second run");
                for (int threads : new int[] {1, 2, 3, 5}) {
                    float[] out = g.cCopy();
                    VectorGemm.gemm(g.transA, g.transB, g.m, g.n, g.k, g.a, g.aOff,
                            g.b, g.bOff, out, g.cOff, false, threads);
                    assertSameBits(out, first, g.form() + " " + Arrays.toString(s) + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void bothKernelsAreCorrectOnShapesTheDispatcherWouldNotGiveThem() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (boolean[] form : FORMS) {
            for (int t = 0; t < 6; t++) {
                int m = rnd.nextInt(1, 90), n = rnd.nextInt(1, 150), k = rnd.nextInt(1, 300);
                boolean acc = rnd.nextBoolean();
                GemmCase g = GemmCase.random(form[0], form[1], m, n, k, rnd.nextLong());
                int lda = g.transA ? m : k, ldb = g.transB ? k : n;

                float[] packed = g.cCopy();
                VectorGemm.packed(g.transA, g.transB, m, n, k, g.a, g.aOff, lda, g.b, g.bOff, ldb,
                        packed, g.cOff, n, acc, VectorGemm.workspace());
                g.check(packed, acc, "packed");

                float[] axpy = g.cCopy();
                SmallGemm.gemm(SmallGemm.AXPY, g.transA, g.transB, m, n, k, g.a, g.aOff, lda, g.b, g.bOff, ldb,
                        axpy, g.cOff, n, acc);
                g.check(axpy, acc, "small axpy");

                if (!g.transA && g.transB) {
                    float[] dot = g.cCopy();
                    SmallGemm.gemm(SmallGemm.DOT, false, true, m, n, k, g.a, g.aOff, lda, g.b, g.bOff, ldb,
                            dot, g.cOff, n, acc);
                    g.check(dot, acc, "small dot");
                }
            }
        }
    }

    @Test
    void concurrentCallersGetCorrectResults() throws Exception {
        GemmCase g = GemmCase.random(false, true, 200, 190, 180, 3);
        float[] expected = g.runGemm(false);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) results.add(callers.submit(() -> g.runGemm(false)));
            for (Future<float[]> f : results) assertSameBits(f.get(), expected, "concurrent call");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[6];
        assertThatThrownBy(() -> Gemm.gemm(false, false, -1, 2, 2, x, 0, x, 0, x, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Gemm.gemm(false, false, 2, 3, 2, x, 0, x, 0, x, 1, false))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Gemm.gemm(false, false, 2, 2, 4, x, 0, x, 0, x, 0, false))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
