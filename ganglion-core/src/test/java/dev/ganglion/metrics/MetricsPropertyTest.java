package dev.ganglion.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ganglion.metrics.ClassificationReport.ClassScores;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws the metrics obey on any input, checked against their definitions or a brute-force reference. */
class MetricsPropertyTest {

    /** Labels and scores of equal length; scores drawn from few values so ties are common. */
    record Scored(int[] labels, float[] scores) {
    }

    /** True and predicted classes of equal length over up to 6 classes. */
    record Pairs(int[] yTrue, int[] yPred) {
    }

    @Provide
    Arbitrary<Scored> binaryScored() {
        return Arbitraries.integers().between(2, 60).flatMap(n -> Combinators.combine(
                        Arbitraries.integers().between(0, 1).array(int[].class).ofSize(n),
                        Arbitraries.integers().between(-4, 4).map(v -> v / 2f).array(float[].class).ofSize(n))
                .as(Scored::new));
    }

    @Provide
    Arbitrary<Pairs> classPairs() {
        return Arbitraries.integers().between(1, 80).flatMap(n -> Combinators.combine(
                        Arbitraries.integers().between(0, 5).array(int[].class).ofSize(n),
                        Arbitraries.integers().between(0, 5).array(int[].class).ofSize(n))
                .as(Pairs::new));
    }

    private static boolean bothClasses(int[] y) {
        int sum = 0;
        for (int v : y) {
            sum += v;
        }
        return sum > 0 && sum < y.length;
    }

    @Property(tries = 300)
    void aucOfReversedScoresIsOneMinusAuc(@ForAll("binaryScored") Scored s) {
        Assume.that(bothClasses(s.labels()));
        float[] reversed = new float[s.scores().length];
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = -s.scores()[i];
        }
        double auc = Classification.rocAuc(s.labels(), s.scores());
        assertThat(Classification.rocAuc(s.labels(), reversed)).isCloseTo(1 - auc, within(1e-12));
    }

    @Property(tries = 300)
    void aucEqualsThePairwiseDefinition(@ForAll("binaryScored") Scored s) {
        Assume.that(bothClasses(s.labels()));
        assertThat(Classification.rocAuc(s.labels(), s.scores()))
                .isCloseTo(RocAucTest.bruteForceAuc(s.labels(), s.scores(), 1), within(1e-12))
                .isBetween(0.0, 1.0);
    }

    @Property(tries = 300)
    void scoresLieInTheUnitIntervalAndMicroF1IsAccuracy(@ForAll("classPairs") Pairs p) {
        ClassificationReport r = Classification.report(p.yTrue(), p.yPred());
        for (ClassScores c : r.classes()) {
            assertThat(c.precision()).isBetween(0.0, 1.0);
            assertThat(c.recall()).isBetween(0.0, 1.0);
            assertThat(c.f1()).isBetween(0.0, 1.0);
            // F1 lies between the smaller of precision and recall and the larger
            assertThat(c.f1()).isBetween(Math.min(c.precision(), c.recall()) - 1e-12,
                    Math.max(c.precision(), c.recall()) + 1e-12);
        }
        for (var avg : new ClassificationReport.AverageScores[] {r.macro(), r.micro(), r.weighted()}) {
            assertThat(avg.f1()).isBetween(0.0, 1.0);
            assertThat(avg.support()).isEqualTo(p.yTrue().length);
        }
        double accuracy = Classification.accuracy(p.yTrue(), p.yPred());
        assertThat(r.accuracy()).isEqualTo(accuracy);
        assertThat(r.micro().f1()).isCloseTo(accuracy, within(1e-12));
        assertThat(r.micro().precision()).isCloseTo(accuracy, within(1e-12));
        assertThat(r.micro().recall()).isCloseTo(accuracy, within(1e-12));
        // weighted recall is accuracy too: Σ support_c · tp_c / support_c / n
        assertThat(r.weighted().recall()).isCloseTo(accuracy, within(1e-12));
    }

    @Property(tries = 200)
    void perClassCountsMatchADirectCount(@ForAll("classPairs") Pairs p) {
        ClassificationReport r = Classification.report(p.yTrue(), p.yPred(), 6);
        assertThat(r.classes()).hasSize(6);
        for (ClassScores c : r.classes()) {
            int tp = 0, predicted = 0, actual = 0;
            for (int i = 0; i < p.yTrue().length; i++) {
                boolean isTrue = p.yTrue()[i] == c.label(), isPred = p.yPred()[i] == c.label();
                tp += isTrue && isPred ? 1 : 0;
                predicted += isPred ? 1 : 0;
                actual += isTrue ? 1 : 0;
            }
            assertThat(c.support()).isEqualTo(actual);
            assertThat(c.precision()).isEqualTo(predicted == 0 ? 0.0 : (double) tp / predicted);
            assertThat(c.recall()).isEqualTo(actual == 0 ? 0.0 : (double) tp / actual);
            double pr = c.precision() + c.recall();
            assertThat(c.f1()).isCloseTo(pr == 0 ? 0.0 : 2 * c.precision() * c.recall() / pr, within(1e-12));
        }
        assertThat(r.confusionMatrix().total()).isEqualTo(p.yTrue().length);
    }

    @Property(tries = 200)
    void regressionLaws(@ForAll("binaryScored") Scored a, @ForAll("binaryScored") Scored b) {
        int n = Math.min(a.scores().length, b.scores().length);
        float[] y = java.util.Arrays.copyOf(a.scores(), n);
        float[] p = java.util.Arrays.copyOf(b.scores(), n);
        RegressionReport r = Regression.report(y, p);
        assertThat(r.mse()).isGreaterThanOrEqualTo(0);
        assertThat(r.rmse() * r.rmse()).isCloseTo(r.mse(), within(1e-12));
        assertThat(r.mae()).isLessThanOrEqualTo(r.rmse() + 1e-12); // mean |d| <= sqrt(mean d²)
        assertThat(r.r2()).isLessThanOrEqualTo(1.0);
        assertThat(Regression.r2(y, y)).isEqualTo(1.0);
        assertThat(Regression.mse(y, y)).isZero();
    }
}
