package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Adam;
import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.testing.Gen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {

    /** y = 3·x0 − 2·x1 + 1 + noise: a linear regression problem. */
    static Dataset regression(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Gen.uniform(rng, -1, 1, n, 2);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = 3 * x.get(i, 0) - 2 * x.get(i, 1) + 1 + 0.05f * (float) rng.nextGaussian();
        return new Dataset(x, Tensor.of(y, n, 1));
    }

    static Sequential linearModel(long seed) {
        return new Sequential(new Dense(2, 1, new Activation.Linear(), new SplittableRandom(seed)));
    }

    @Test
    void aHugeLearningRateDivergesWithAMessageNamingIt() {
        Sequential m = new Sequential(new Dense(2, 8, new Activation.Relu(), new SplittableRandom(1)),
                new Dense(8, 1, new Activation.Linear(), new SplittableRandom(2)));
        Trainer t = new Trainer(m, new Loss.MeanSquaredError(), new Sgd(m.parameters(), 1e4f), new TrainOptions(50, 8, true, 1));
        assertThatThrownBy(() -> t.fit(regression(64, 1), null))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("diverged")
                .hasMessageContaining("learning rate")
                .hasMessageContaining("10000.0");
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {0, 1, 16, 64, 1000})
    void fullBatchPerSampleAndMiniBatchTrainingAllReduceTheLoss(int batchSize) {
        Dataset data = regression(64, 2);
        Sequential m = linearModel(3);
        double before = Trainer.evaluate(m, new Loss.MeanSquaredError(), data).loss();
        float lr = batchSize == 1 ? 0.01f : 0.1f;
        History h = new Trainer(m, new Loss.MeanSquaredError(), new Sgd(m.parameters(), lr), new TrainOptions(30, batchSize, true, 4))
                .fit(data, null);
        assertThat(h.epochs()).hasSize(30);
        assertThat(h.last().trainLoss()).isLessThan(before / 10);
        assertThat(h.last().trainLoss()).isLessThan(h.epochs().getFirst().trainLoss());
        assertThat(h.last().trainAccuracy()).as("regression").isNaN();
        assertThat(h.last().validationLoss()).as("no validation set").isNaN();
    }

    @Test
    void listenersSeeEveryBatchAndEveryEpochInOrder() {
        Dataset data = regression(50, 3);
        Sequential m = linearModel(1);
        List<Integer> epochs = new ArrayList<>();
        List<String> batches = new ArrayList<>();
        Trainer t = new Trainer(m, new Loss.MeanSquaredError(), new Sgd(m.parameters(), 0.05f), new TrainOptions(4, 20, false, 1));
        t.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batchCount, double loss) {
                batches.add(epoch + "." + batch + "/" + batchCount);
                assertThat(loss).isFinite();
            }

            @Override
            public void onEpochEnd(EpochStats stats, Trainer trainer) {
                epochs.add(stats.epoch());
                assertThat(trainer).isSameAs(t);
                assertThat(stats.learningRate()).isEqualTo(0.05f, org.assertj.core.api.Assertions.within(1e-9));
            }
        });
        History h = t.fit(data, data);
        assertThat(epochs).containsExactly(1, 2, 3, 4);
        assertThat(batches).hasSize(12).startsWith("1.1/3", "1.2/3", "1.3/3", "2.1/3").endsWith("4.3/3");
        assertThat(h.epochs()).extracting(EpochStats::epoch).containsExactly(1, 2, 3, 4);
        assertThat(h.last().validationLoss()).isEqualTo(h.last().trainLoss(), org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void requestStopEndsTrainingAfterTheCurrentEpochAndTheNextFitStartsAfresh() {
        Dataset data = regression(32, 4);
        Sequential m = linearModel(1);
        Trainer t = new Trainer(m, new Loss.MeanSquaredError(), new Sgd(m.parameters(), 0.05f), new TrainOptions(100, 8, true, 1));
        t.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats, Trainer trainer) {
                if (stats.epoch() == 3) trainer.requestStop();
            }
        });
        assertThat(t.fit(data, null).epochs()).hasSize(3);
        assertThat(t.fit(data, null).epochs()).as("a stop request does not outlive its run").hasSize(3);
        assertThat(m.isTraining()).as("evaluation mode after fit").isFalse();
    }

    @Test
    void evaluateReportsLossAndAccuracyAndDoesNotBuildAGraph() {
        Sequential m = new Sequential(new Dense(2, 1, new Activation.Sigmoid(), new SplittableRandom(1)));
        Tensor x = Tensor.of(new float[][]{{1, 1}, {-1, -1}, {2, 0}, {0, -2}});
        Dataset data = new Dataset(x, Tensor.of(new float[]{1, 0, 1, 0}, 4, 1));
        Trainer.Evaluation e = Trainer.evaluate(m, new Loss.BinaryCrossEntropy(), data);
        assertThat(e.samples()).isEqualTo(4);
        double expectedLoss = new Loss.BinaryCrossEntropy().compute(m.forward(x), data.targets()).item();
        assertThat(e.loss()).isCloseTo(expectedLoss, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(e.accuracy()).isEqualTo(Metrics.accuracy(m.forward(x), data.targets(), new Loss.BinaryCrossEntropy()));
        for (Tensor p : m.parameters()) assertThat(p.grad()).isNull();
    }

    @Test
    void lossOfFusesSigmoidWithBinaryCrossEntropy() {
        Sequential m = new Sequential(new Dense(2, 1, new Activation.Sigmoid(), new SplittableRandom(1)));
        m.parameters().getFirst().data()[0] = 200f; // saturate the sigmoid for the first sample
        Tensor x = Tensor.of(new float[][]{{1, 0}, {0, 1}});
        Tensor y = Tensor.of(new float[]{0, 1}, 2, 1);
        Tensor fused = Trainer.lossOf(m, new Loss.BinaryCrossEntropy(), x, y);
        assertThat(fused.op()).isNotEqualTo("leaf");
        // computed from logits, the confident mistake costs ~200 (the clamped form would say ~16)
        assertThat(fused.item()).isGreaterThan(90f);
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> new TrainOptions(0, 1, true, 1)).hasMessageContaining("epochs").hasMessageContaining("0");
        assertThatThrownBy(() -> new TrainOptions(1, -1, true, 1)).hasMessageContaining("batch size").hasMessageContaining("-1");
        TrainOptions o = TrainOptions.defaults().withEpochs(5).withBatchSize(8).withSeed(9);
        assertThat(o).isEqualTo(new TrainOptions(5, 8, true, 9));
        assertThatThrownBy(() -> new History(List.of()).last()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyTrainingSetIsRejected() {
        Sequential m = linearModel(1);
        Trainer t = new Trainer(m, new Loss.MeanSquaredError(), new Adam(m.parameters(), 0.1f), TrainOptions.defaults());
        assertThatThrownBy(() -> t.fit(new Dataset(Tensor.zeros(0, 2), Tensor.zeros(0, 1)), null)).hasMessageContaining("empty");
    }
}
