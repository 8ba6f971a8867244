package dev.ganglion.bench.ganglion;

import dev.ganglion.bench.Spec;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The probes do the work they are credited with, and a measurement reports positive, consistent figures. */
class CeilingsTest {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void theFmaLoopComputesEveryMultiplyAdd() {
        // each of the 24 accumulators gains 0.5·0.5 per iteration in every lane (exact in float)
        assertThat(Ceilings.fmaLoop(1000)).isEqualTo(Ceilings.ACCUMULATORS * LANES * 250.0);
        assertThat(Ceilings.fmaLoop(0)).isZero();
    }

    @Test
    void theReadProbeSumsEveryElement() {
        for (int n : new int[]{0, 1, 8 * LANES - 1, 8 * LANES, 8 * LANES * 3 + 5, 4096}) {
            float[] a = Ceilings.filled(n);
            double expected = 0;
            for (float v : a) expected += v;
            assertThat(Ceilings.sum(a)).as("n=%d", n).isEqualTo(expected);
        }
    }

    @Test
    void aShortMeasurementGivesPositiveConsistentFigures() {
        Ceilings.Result r = Ceilings.measure(new Spec.Ceilings("ceilings", 0.2, 64, 4), 2);
        assertThat(r.threads()).isEqualTo(2);
        assertThat(r.lanes()).isEqualTo(LANES);
        assertThat(r.fmaPeakGflops1t()).isPositive().isFinite();
        assertThat(r.fmaPeakGflops()).isPositive().isFinite();
        assertThat(r.cacheReadGbsPerCore()).isPositive().isFinite();
        assertThat(r.memoryReadGbsPerCore()).isPositive().isFinite();
        assertThat(r.cacheKib()).isEqualTo(64);
        assertThat(r.memoryMib()).isEqualTo(4);
    }
}
