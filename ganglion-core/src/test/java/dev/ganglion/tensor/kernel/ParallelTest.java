package dev.ganglion.tensor.kernel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelTest {
    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {0, 1, 63, Parallel.MIN_PART - 1, Parallel.MIN_PART, 2 * Parallel.MIN_PART + 17, 5 * Parallel.MIN_PART + 3})
    void everyIndexIsVisitedExactlyOnceInAlignedParts(int n) {
        AtomicIntegerArray visits = new AtomicIntegerArray(n);
        Parallel.forRange(n, (from, to) -> {
            assertThat(from).isBetween(0, n);
            assertThat(to).isBetween(from, n);
            assertThat(from % 64 == 0 || from == n).as("part start %d", from).isTrue();
            for (int i = from; i < to; i++) visits.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) assertThat(visits.get(i)).as("index %d", i).isEqualTo(1);
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {2 * Parallel.MIN_PART, 3 * Parallel.MIN_PART + 5})
    void largeRangesAreSplitOverThePoolWhenItHasThreads(int n) {
        AtomicIntegerArray parts = new AtomicIntegerArray(1);
        Parallel.forRange(n, (from, to) -> parts.incrementAndGet(0));
        assertThat(parts.get(0)).isEqualTo(Math.min(GemmPool.threads(), n / Parallel.MIN_PART));
    }
}
