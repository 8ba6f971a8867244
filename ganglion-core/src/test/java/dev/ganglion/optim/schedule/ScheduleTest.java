package dev.ganglion.optim.schedule;

import dev.ganglion.optim.Optimizer;
import dev.ganglion.optim.ParameterGroup;
import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Each schedule against its exact sequence of learning rates. */
class ScheduleTest {

    private static Sgd sgd(float lr) {
        return new Sgd(List.of(Tensor.zeros(1).requiresGrad(true)), lr);
    }

    /** The learning rate at the start of epochs 1..epochs. */
    private static List<Double> perEpoch(LearningRateSchedule s, Optimizer opt, int epochs) {
        List<Double> out = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            s.onEpochStart(e);
            out.add((double) opt.learningRate());
        }
        return out;
    }

    private static void assertSequence(List<Double> actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual.get(i)).as("element %d of %s", i, actual).isCloseTo(expected[i], within(1e-7 * Math.max(1, expected[i])));
        }
    }

    @Test
    void stepDecayHalvesEveryTwoEpochs() {
        Sgd opt = sgd(0.1f);
        assertSequence(perEpoch(new StepDecay(opt, 2, 0.5), opt, 7), 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125);
    }

    @Test
    void exponentialDecay() {
        Sgd opt = sgd(1f);
        assertSequence(perEpoch(new ExponentialDecay(opt, 0.9), opt, 4), 1, 0.9, 0.81, 0.729);
    }

    @Test
    void cosineAnnealingWithoutWarmup() {
        // T = 4: η_s = ½·(1 + cos(π·s/4)) for s = 0..3, then η_min
        Sgd opt = sgd(1f);
        double h = Math.sqrt(0.5) / 2;
        assertSequence(perEpoch(CosineAnnealing.perEpoch(opt, 4, 0, 0f), opt, 6), 1, 0.5 + h, 0.5, 0.5 - h, 0, 0);
    }

    @Test
    void cosineAnnealingWithLinearWarmupAndAFloor() {
        // W = 2: 1/3, 2/3 of the base; then T − W = 4 cosine steps from 0.9 down towards 0.1
        Sgd opt = sgd(0.9f);
        double h = Math.sqrt(0.5) / 2;
        assertSequence(perEpoch(CosineAnnealing.perEpoch(opt, 6, 2, 0.1f), opt, 7),
                0.3, 0.6, 0.9, 0.1 + 0.8 * (0.5 + h), 0.5, 0.1 + 0.8 * (0.5 - h), 0.1);
    }

    @Test
    void cosineAnnealingPerBatchFollowsTheSameCurveAtBatchResolution() {
        Sgd opt = sgd(1f);
        CosineAnnealing s = CosineAnnealing.perBatch(opt, 2, 1, 0f);
        List<Double> rates = new ArrayList<>();
        for (int e = 1; e <= 2; e++) {
            s.onEpochStart(e);
            for (int b = 1; b <= 3; b++) {
                s.onBatchStart(e, b, 3);
                rates.add((double) opt.learningRate());
            }
        }
        // 6 steps, 3 of warm-up: 1/4, 2/4, 3/4, then cos over the 3 remaining steps
        assertSequence(rates, 0.25, 0.5, 0.75, 1, 0.75, 0.25);
    }

    @Test
    void everyGroupIsScheduledFromItsOwnBaseRate() {
        Sgd opt = new Sgd(List.of(ParameterGroup.of(List.of(Tensor.zeros(1).requiresGrad(true))),
                ParameterGroup.of(List.of(Tensor.zeros(1).requiresGrad(true))).withLearningRate(0.01f)), 0.1f, 0f, false, 0f);
        StepDecay s = new StepDecay(opt, 1, 0.5);
        s.onEpochStart(3);
        assertThat(opt.learningRate(0)).isCloseTo(0.025f, within(1e-9f));
        assertThat(opt.learningRate(1)).isCloseTo(0.0025f, within(1e-10f));
        assertThat(s.baseLearningRate(1)).isEqualTo(0.01f);
    }

    @Test
    void reduceOnPlateauWaitsForPatienceThenReducesAndCoolsDown() {
        Sgd opt = sgd(1f);
        ReduceOnPlateau s = new ReduceOnPlateau(opt, ReduceOnPlateau.Mode.MIN, 0.5, 2, 0.1, 1, 0.2f);
        double[] losses = {1.0, 0.95, 0.92, 0.91, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
        // 0.95, 0.92 and 0.91 are not 10 % better than 1.0: the third of them exceeds patience 2
        // epoch 5 improves; the cool-down clears epoch 5's count; 6, 7, 8 are bad -> 0.25 after epoch 8;
        // epoch 9 is cooled down, 10, 11, 12 bad -> max(0.125, η_min 0.2) after epoch 12
        double[] rates = {1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2};
        List<Double> actual = new ArrayList<>();
        for (int e = 1; e <= losses.length; e++) {
            s.onEpochEnd(e, losses[e - 1]);
            actual.add((double) opt.learningRate());
        }
        assertSequence(actual, rates);
        assertThat(s.best()).isEqualTo(0.5);
        assertThat(s.reductions()).isEqualTo(3);
    }

    @Test
    void reduceOnPlateauInMaxModeWithPyTorchDefaults() {
        Sgd opt = sgd(1f);
        ReduceOnPlateau s = new ReduceOnPlateau(opt, ReduceOnPlateau.Mode.MAX, 0.1, 0, 0, 0, 0f);
        s.onEpochEnd(1, 0.5);
        s.onEpochEnd(2, 0.6);
        assertThat(opt.learningRate()).isEqualTo(1f);
        s.onEpochEnd(3, 0.6);
        assertThat(opt.learningRate()).isCloseTo(0.1f, within(1e-8f));
        s.onEpochEnd(4, Double.NaN);
        assertThat(opt.learningRate()).as("NaN is never an improvement").isCloseTo(0.01f, within(1e-9f));
        ReduceOnPlateau defaults = new ReduceOnPlateau(sgd(1f));
        for (int e = 1; e <= 11; e++) defaults.onEpochEnd(e, 1.0);
        assertThat(defaults.reductions()).as("patience 10: ten epochs without improvement are tolerated").isEqualTo(0);
        defaults.onEpochEnd(12, 1.0);
        assertThat(defaults.reductions()).isEqualTo(1);
    }

    @Test
    void settingsAreValidated() {
        Sgd opt = sgd(0.1f);
        assertThatThrownBy(() -> new StepDecay(opt, 0, 0.5)).hasMessageContaining("stepSize").hasMessageContaining("0");
        assertThatThrownBy(() -> new StepDecay(opt, 1, 1.5)).hasMessageContaining("gamma").hasMessageContaining("1.5");
        assertThatThrownBy(() -> new ExponentialDecay(opt, 0)).hasMessageContaining("gamma");
        assertThatThrownBy(() -> CosineAnnealing.perEpoch(opt, 5, 5, 0f)).hasMessageContaining("warm-up").hasMessageContaining("[0, 5)");
        assertThatThrownBy(() -> CosineAnnealing.perEpoch(opt, 5, 0, -1f)).hasMessageContaining("minimum");
        assertThatThrownBy(() -> new ReduceOnPlateau(opt, ReduceOnPlateau.Mode.MIN, 1.0, 1, 0, 0, 0f)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new ReduceOnPlateau(opt, ReduceOnPlateau.Mode.MIN, 0.5, -1, 0, 0, 0f)).hasMessageContaining("patience");
        assertThatThrownBy(() -> new StepDecay(opt, 1, 0.5).onEpochStart(0)).hasMessageContaining("counted from 1");
    }
}
