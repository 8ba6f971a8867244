package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.nn.Dropout;
import dev.ganglion.nn.Penalty;
import dev.ganglion.optim.Adam;
import dev.ganglion.optim.GradientClipping;
import dev.ganglion.optim.Lbfgs;
import dev.ganglion.optim.Sgd;
import dev.ganglion.optim.schedule.LearningRateSchedule;
import dev.ganglion.optim.schedule.ReduceOnPlateau;
import dev.ganglion.optim.schedule.StepDecay;
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

    @Test
    void theScheduleSetsEachEpochsLearningRate() {
        Dataset data = regression(32, 5);
        Sequential m = linearModel(1);
        Sgd sgd = new Sgd(m.parameters(), 0.1f);
        History h = new Trainer(m, new Loss.MeanSquaredError(), sgd, new TrainOptions(5, 8, true, 1))
                .setSchedule(new StepDecay(sgd, 2, 0.5)).fit(data, null);
        assertThat(h.epochs()).extracting(EpochStats::learningRate)
                .containsExactly((double) 0.1f, (double) 0.1f, (double) 0.05f, (double) 0.05f, (double) 0.025f);
    }

    @Test
    void scheduleHooksComeInOrderWithTheMonitoredValue() {
        Dataset data = regression(20, 6);
        Sequential m = linearModel(1);
        Sgd sgd = new Sgd(m.parameters(), 0.05f);
        List<String> calls = new ArrayList<>();
        LearningRateSchedule recorder = new LearningRateSchedule(sgd) {
            @Override
            public void onEpochStart(int epoch) {
                calls.add("start " + epoch);
            }

            @Override
            public void onBatchStart(int epoch, int batch, int batches) {
                calls.add("batch " + epoch + "." + batch + "/" + batches);
            }

            @Override
            public void onEpochEnd(int epoch, double monitored) {
                calls.add("end " + epoch);
                assertThat(monitored).isEqualTo(validationLossOf(m, data));
            }
        };
        new Trainer(m, new Loss.MeanSquaredError(), sgd, new TrainOptions(2, 10, false, 1)).setSchedule(recorder).fit(data, data);
        assertThat(calls).containsExactly("start 1", "batch 1.1/2", "batch 1.2/2", "end 1", "start 2", "batch 2.1/2", "batch 2.2/2", "end 2");
    }

    private static double validationLossOf(Sequential m, Dataset data) {
        return Trainer.evaluate(m, new Loss.MeanSquaredError(), data).loss();
    }

    @Test
    void aPlateauScheduleOnValidationFiguresNeedsAValidationSet() {
        Sequential m = linearModel(1);
        Sgd sgd = new Sgd(m.parameters(), 0.05f);
        Trainer t = new Trainer(m, new Loss.MeanSquaredError(), sgd, new TrainOptions(2, 10, false, 1))
                .setSchedule(new ReduceOnPlateau(sgd), Monitor.VALIDATION_LOSS);
        assertThatThrownBy(() -> t.fit(regression(20, 1), null)).hasMessageContaining("val_loss").hasMessageContaining("no validation set");
    }

    @Test
    void penaltiesAreAddedToTheBatchLossButNotToTheReportedLoss() {
        Dataset data = regression(64, 7);
        Sequential plain = linearModel(2), penalised = linearModel(2);
        History a = new Trainer(plain, new Loss.MeanSquaredError(), new Sgd(plain.parameters(), 0.1f), new TrainOptions(30, 0, false, 1))
                .fit(data, null);
        List<Double> batchLosses = new ArrayList<>();
        History b = new Trainer(penalised, new Loss.MeanSquaredError(), new Sgd(penalised.parameters(), 0.1f), new TrainOptions(30, 0, false, 1))
                .addPenalty(new Penalty.L2(1f, Penalty.weightsOf(penalised)))
                .addListener(new TrainingListener() {
                    @Override
                    public void onBatchEnd(int epoch, int batch, int batches, double loss) {
                        batchLosses.add(loss);
                    }
                })
                .fit(data, null);
        float[] w = ((Dense) penalised.layers().getFirst()).weight().data(), w0 = ((Dense) plain.layers().getFirst()).weight().data();
        assertThat(Math.abs(w[0]) + Math.abs(w[1])).as("the penalty shrinks the weights").isLessThan(0.8f * (Math.abs(w0[0]) + Math.abs(w0[1])));
        assertThat(b.last().trainLoss()).as("the data loss alone").isEqualTo(Trainer.evaluate(penalised, new Loss.MeanSquaredError(), data).loss());
        assertThat(batchLosses.getLast()).as("the batch loss includes the penalty").isGreaterThan(b.epochs().get(28).trainLoss());
        assertThat(a.last().trainLoss()).isLessThan(b.last().trainLoss());
    }

    @Test
    void gradientClippingBoundsEveryUpdate() {
        Dataset data = regression(8, 8);
        Sequential m = linearModel(3);
        float[] before = m.parameters().getFirst().data().clone();
        new Trainer(m, new Loss.MeanSquaredError(), new Sgd(m.parameters(), 1f), new TrainOptions(1, 1, true, 1))
                .setGradientClipping(new GradientClipping.ByValue(0.01)).fit(data, null);
        float[] after = m.parameters().getFirst().data();
        // 8 updates of at most lr·0.01 each
        for (int i = 0; i < before.length; i++) assertThat(Math.abs(after[i] - before[i])).isLessThanOrEqualTo(0.08f + 1e-6f);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void lbfgsTrainsOnTheFullBatchInAFewEpochs() {
        Dataset data = regression(64, 9);
        Sequential m = linearModel(4);
        Lbfgs lbfgs = new Lbfgs(m.parameters());
        History h = new Trainer(m, new Loss.MeanSquaredError(), lbfgs, new TrainOptions(3, 0, false, 1)).fit(data, null);
        // the noise is N(0, 0.05²): the least-squares fit leaves about 0.0025
        assertThat(h.last().trainLoss()).isLessThan(0.004);
        float[] w = ((Dense) m.layers().getFirst()).weight().data();
        assertThat(w[0]).isCloseTo(3f, org.assertj.core.api.Assertions.within(0.05f));
        assertThat(w[1]).isCloseTo(-2f, org.assertj.core.api.Assertions.within(0.05f));
        Trainer miniBatch = new Trainer(m, new Loss.MeanSquaredError(), lbfgs, new TrainOptions(3, 16, false, 1));
        assertThatThrownBy(() -> miniBatch.fit(data, null)).hasMessageContaining("full-batch").hasMessageContaining("batch size 0");
    }

    @Test
    void evaluationRunsInEvaluationModeAndRestoresTheMode() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential m = new Sequential(new Dense(2, 16, new Activation.Relu(), rng), new Dropout(0.5f, new SplittableRandom(2)),
                new Dense(16, 1, new Activation.Linear(), rng));
        Dataset data = regression(32, 10);
        m.train(true);
        double first = Trainer.evaluate(m, new Loss.MeanSquaredError(), data).loss();
        assertThat(Trainer.evaluate(m, new Loss.MeanSquaredError(), data).loss()).as("no dropout: deterministic").isEqualTo(first);
        assertThat(m.isTraining()).isTrue();
        m.train(false);
        double eval = new Loss.MeanSquaredError().compute(m.forward(data.features()), data.targets()).item();
        assertThat(first).isCloseTo(eval, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void listenersSeeTheStartAndTheEndOfEachRun() {
        Sequential m = linearModel(1);
        List<String> calls = new ArrayList<>();
        Trainer t = new Trainer(m, new Loss.MeanSquaredError(), new Sgd(m.parameters(), 0.05f), new TrainOptions(2, 0, false, 1));
        t.addListener(new TrainingListener() {
            @Override
            public void onTrainStart(Trainer trainer) {
                calls.add("start");
            }

            @Override
            public void onEpochEnd(EpochStats stats, Trainer trainer) {
                calls.add("epoch " + stats.epoch());
            }

            @Override
            public void onTrainEnd(History history, Trainer trainer) {
                calls.add("end " + history.epochs().size());
                assertThat(trainer.model().isTraining()).isFalse();
            }
        });
        t.fit(regression(10, 1), null);
        assertThat(calls).containsExactly("start", "epoch 1", "epoch 2", "end 2");
        assertThat(t.model()).isSameAs(m);
    }
}
