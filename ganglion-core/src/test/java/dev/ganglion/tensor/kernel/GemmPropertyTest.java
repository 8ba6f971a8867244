package dev.ganglion.tensor.kernel;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Small shapes (zero included) in every form, with shrinking to a minimal failing shape. */
class GemmPropertyTest {
    @Property(tries = 300)
    void smallShapesMatchDoublePrecision(@ForAll @IntRange(max = 40) int m,
                                         @ForAll @IntRange(max = 40) int n,
                                         @ForAll @IntRange(max = 40) int k,
                                         @ForAll boolean transA, @ForAll boolean transB,
                                         @ForAll boolean accumulate, @ForAll long seed) {
        GemmCase g = GemmCase.random(transA, transB, m, n, k, seed);
        g.check(g.runGemm(accumulate), accumulate, "gemm");
    }
}
