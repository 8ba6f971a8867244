package dev.ganglion.train;

import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Accuracy of several independent sigmoid outputs trained with binary cross-entropy. */
class MultiLabelAccuracyTest {
    static final Loss BCE = new Loss.BinaryCrossEntropy();

    @Test
    void everyLabelOfASampleMustBeRight() {
        Tensor out = Tensor.of(new float[][]{{0.9f, 0.2f, 0.6f}, {0.9f, 0.7f, 0.1f}, {0.1f, 0.5f, 0.4f}});
        Tensor truth = Tensor.of(new float[][]{{1, 0, 1}, {1, 0, 0}, {0, 1, 0}});
        // row 0 all right, row 1 one label wrong, row 2 all right (0.5 counts as 1)
        assertThat(Metrics.accuracy(out, truth, BCE)).isEqualTo(2 / 3.0);
        assertThat(Metrics.multiLabelAccuracy(out, truth, BCE)).isEqualTo(2 / 3.0);
    }

    @Test
    void logitsAreThresholdedAtZero() {
        Tensor logits = Tensor.of(new float[][]{{2f, -1f}, {0f, 0.5f}});
        Tensor truth = Tensor.of(new float[][]{{1, 0}, {1, 1}});
        assertThat(Metrics.accuracy(logits, truth, new Loss.BinaryCrossEntropyWithLogits())).isEqualTo(1.0);
        assertThat(Metrics.accuracy(logits, truth, BCE)).as("as probabilities, the output 0 of row 1 is below 0.5").isEqualTo(0.5);
    }

    @Test
    void otherLossesKeepTheirRules() {
        Tensor out = Tensor.of(new float[][]{{0.6f, 0.7f}, {0.1f, 0.2f}});
        Tensor onehot = Tensor.of(new float[][]{{0, 1}, {0, 1}});
        assertThat(Metrics.accuracy(out, onehot, new Loss.CrossEntropy())).as("arg-max").isEqualTo(1.0);
        assertThat(Metrics.accuracy(out, onehot, BCE)).as("multi-label: row 0 has label 0 wrong, row 1 label 1").isEqualTo(0.0);
        assertThat(Metrics.accuracy(out, Tensor.of(new float[][]{{0.5f, 2f}, {1f, 3f}}), new Loss.MeanSquaredError())).isNaN();
        assertThat(Metrics.multiLabelAccuracy(Tensor.zeros(0, 2), Tensor.zeros(0, 2), BCE)).isNaN();
    }
}
