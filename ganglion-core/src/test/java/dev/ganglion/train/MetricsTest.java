package dev.ganglion.train;

import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {
    static final Loss BCE = new Loss.BinaryCrossEntropy(), CE = new Loss.CrossEntropy(), MSE = new Loss.MeanSquaredError();

    private static Tensor col(float... v) {
        return Tensor.of(v, v.length, 1);
    }

    @Test
    void sigmoidOutputsAreThresholdedAtOneHalf() {
        Tensor out = col(0.9f, 0.5f, 0.49f, 0.1f);
        assertThat(Metrics.accuracy(out, col(1, 1, 0, 1), BCE)).isEqualTo(0.75);
        assertThat(Metrics.accuracy(out, col(1, 0, 1, 1), BCE)).isEqualTo(0.25);
    }

    @Test
    void logitOutputsAreThresholdedAtZero() {
        Tensor logits = col(2f, 0f, -0.1f, 0.3f);
        assertThat(Metrics.accuracy(logits, col(1, 1, 0, 1), new Loss.BinaryCrossEntropyWithLogits())).isEqualTo(1.0);
        assertThat(Metrics.accuracy(logits, col(1, 1, 0, 1), BCE)).as("as probabilities, 0.3 is class 0").isEqualTo(0.5);
    }

    @Test
    void softmaxOutputsWithIndexTargets() {
        Tensor out = Tensor.of(new float[][]{{0.7f, 0.2f, 0.1f}, {0.1f, 0.3f, 0.6f}, {0.3f, 0.4f, 0.3f}});
        assertThat(Metrics.accuracy(out, col(0, 2, 0), CE)).isEqualTo(2 / 3.0);
        assertThat(Metrics.accuracy(out, col(0, 2, 1), CE)).isEqualTo(1.0);
    }

    @Test
    void softmaxOutputsWithOneHotTargets() {
        Tensor out = Tensor.of(new float[][]{{0.7f, 0.2f, 0.1f}, {0.1f, 0.3f, 0.6f}});
        assertThat(Metrics.accuracy(out, Tensor.of(new float[][]{{1, 0, 0}, {0, 1, 0}}), CE)).isEqualTo(0.5);
        // an MSE-trained classifier with one-hot targets is still a classifier
        assertThat(Metrics.accuracy(out, Tensor.of(new float[][]{{1, 0, 0}, {0, 0, 1}}), MSE)).isEqualTo(1.0);
    }

    @Test
    void regressionHasNoAccuracy() {
        assertThat(Metrics.accuracy(col(0.2f, 1.7f), col(0.5f, 2.0f), MSE)).isNaN();
        Tensor two = Tensor.of(new float[][]{{0.2f, 3f}, {1f, 1f}});
        assertThat(Metrics.accuracy(two, Tensor.of(new float[][]{{0.5f, 2.5f}, {1f, 0.3f}}), MSE)).isNaN();
        assertThat(Metrics.accuracy(Tensor.zeros(0, 1), Tensor.zeros(0, 1), BCE)).isNaN();
    }

    @Test
    void multiLabelOutputsCountASampleOnlyWhenEveryLabelMatches() {
        Tensor p = Tensor.of(new float[][]{{0.9f, 0.2f, 0.6f}, {0.3f, 0.8f, 0.5f}, {0.1f, 0.1f, 0.1f}});
        Tensor y = Tensor.of(new float[][]{{1, 0, 1}, {0, 0, 1}, {0, 0, 0}});
        // row 0 all right, row 1 wrong in label 1, row 2 all right: exact-match accuracy 2/3
        assertThat(Metrics.accuracy(p, y, BCE)).isEqualTo(2 / 3.0);
        // from logits the threshold is 0
        Tensor z = Tensor.of(new float[][]{{2f, -1f, 0.5f}, {-1f, 1f, 0f}, {-3f, -2f, -1f}});
        assertThat(Metrics.accuracy(z, y, new Loss.BinaryCrossEntropyWithLogits())).isEqualTo(2 / 3.0);
        assertThat(Metrics.accuracy(p, Tensor.of(new float[][]{{1, 0, 0.5f}, {0, 0, 1}, {0, 0, 0}}), BCE)).as("soft targets").isNaN();
    }

    @Test
    void huberIsRegressionUnlessTheTargetsAreClasses() {
        Loss huber = new Loss.Huber();
        assertThat(Metrics.accuracy(col(0.2f, 1.7f), col(0.5f, 2.0f), huber)).isNaN();
        Tensor two = Tensor.of(new float[][]{{0.2f, 3f}, {1f, 1f}});
        assertThat(Metrics.accuracy(two, Tensor.of(new float[][]{{0.5f, 2.5f}, {1f, 0.3f}}), huber)).isNaN();
        Tensor scores = Tensor.of(new float[][]{{0.2f, 0.9f}, {0.7f, 0.1f}});
        assertThat(Metrics.accuracy(scores, Tensor.of(new float[][]{{0, 1}, {0, 1}}), huber)).isEqualTo(0.5);
    }
}
