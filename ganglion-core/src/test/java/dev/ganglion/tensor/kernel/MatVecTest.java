package dev.ganglion.tensor.kernel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-row path (m = 1) of {@link Gemm#gemm} against the double-precision product. */
class MatVecTest {
    @ParameterizedTest(name = "1x{0}x{1} transB={2} accumulate={3}")
    @CsvSource({"784,256,true,false", "784,256,false,false", "1,1,true,false", "1,1,false,true", "17,3,true,true",
            "17,3,false,true", "33,65,true,false", "33,65,false,true", "128,10,false,false", "128,10,true,true",
            "5,200,false,false", "300,1,false,false", "0,7,true,false"})
    void matchesTheProduct(int k, int n, boolean transB, boolean accumulate) {
        SplittableRandom rng = new SplittableRandom(k * 31L + n);
        int aOff = 3, bOff = 5, cOff = 2;
        float[] a = new float[aOff + k], b = new float[bOff + k * n], c = new float[cOff + n + 4];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble(-1, 1);
        for (int i = 0; i < c.length; i++) c[i] = (float) rng.nextDouble(-1, 1);
        float[] before = c.clone();
        Gemm.gemm(false, transB, 1, n, k, a, aOff, b, bOff, c, cOff, accumulate);
        for (int j = 0; j < n; j++) {
            double exact = accumulate ? before[cOff + j] : 0, magnitude = accumulate ? Math.abs(before[cOff + j]) : 0;
            for (int p = 0; p < k; p++) {
                double bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                exact += a[aOff + p] * bv;
                magnitude += Math.abs(a[aOff + p] * bv);
            }
            // float summation in any order is within (k + 2)·2^-24·Σ|a·b| of the exact sum (Higham)
            assertThat((double) c[cOff + j]).isCloseTo(exact, org.assertj.core.api.Assertions.within((k + 2) * 0x1p-24 * magnitude + 1e-30));
        }
        // nothing outside C's row is touched
        for (int i = 0; i < cOff; i++) assertThat(c[i]).isEqualTo(before[i]);
        for (int i = cOff + n; i < c.length; i++) assertThat(c[i]).isEqualTo(before[i]);
        // the same call gives the same bits
        float[] again = before.clone();
        Gemm.gemm(false, transB, 1, n, k, a, aOff, b, bOff, again, cOff, accumulate);
        assertThat(again).containsExactly(c);
    }

    /** Large one-row products are split over threads by columns; every split gives the same bits. */
    @ParameterizedTest(name = "1x{0}x{1} transB={2}")
    @CsvSource({"784,256,true", "784,256,false", "256,128,true", "256,128,false", "300,1001,true", "300,1001,false", "65,1100,true", "1100,70,false"})
    void aSplitOverThreadsGivesTheSameBits(int k, int n, boolean transB) {
        assertThat((long) n * k).isGreaterThanOrEqualTo(VectorGemm.PARALLEL_MATVEC_MACS);
        SplittableRandom rng = new SplittableRandom(n * 7L + k);
        float[] a = new float[k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rng.nextDouble(-1, 1);
        float[] one = new float[n];
        VectorGemm.gemm(false, transB, 1, n, k, a, 0, b, 0, one, 0, false, 1);
        for (int threads : new int[]{2, 3, 5}) {
            float[] split = new float[n];
            VectorGemm.gemm(false, transB, 1, n, k, a, 0, b, 0, split, 0, false, threads);
            assertThat(split).as("%d threads", threads).containsExactly(one);
        }
    }
}
