package dev.ganglion.cli;

import dev.ganglion.testing.SharedData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Learning checked on the real public data sets (../shared/data) and a generated regression set:
 * every row of {@code ganglion bench accuracy}, run exactly as documented in docs/examples.md,
 * must reach its target on held-out data.
 */
class RealDataTest {
    @TempDir
    Path tmp;

    static List<AccuracyBenchmark.Row> rows() {
        return AccuracyBenchmark.rows();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reachesItsTarget(AccuracyBenchmark.Row row) throws Exception {
        Path dataDir = SharedData.file("iris.csv").getParent();
        if (row.args().stream().anyMatch(a -> a.contains("mnist/"))) SharedData.file("mnist/t10k-images-idx3-ubyte.gz");
        AccuracyBenchmark.Outcome r = AccuracyBenchmark.run(row, dataDir, tmp);
        if (row.metric().equals("r2_gap")) {
            assertThat(r.value()).as("R² below the noise-free optimum").isLessThanOrEqualTo(row.target());
        } else {
            assertThat(r.value()).as(row.name() + " " + row.metric()).isGreaterThanOrEqualTo(row.target());
        }
        assertThat(r.passed()).isTrue();
    }
}
