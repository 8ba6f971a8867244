package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.BatchNorm1d;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EarlyStoppingTest {

    private static Trainer trainer(Sequential m) {
        return new Trainer(m, new Loss.MeanSquaredError(), new Sgd(m.parameters(), 0.1f), new TrainOptions(100, 8, true, 1));
    }

    private static EpochStats stats(int epoch, double validationLoss, double validationAccuracy) {
        return new EpochStats(epoch, 1.0, 0.5, validationLoss, validationAccuracy, 0.1, 0.0);
    }

    /** Feeds validation losses epoch by epoch; returns the epoch after which a stop was requested (0: none). */
    private static int run(EarlyStopping stop, Trainer t, double... losses) {
        stop.onTrainStart(t);
        for (int e = 1; e <= losses.length; e++) {
            stop.onEpochEnd(stats(e, losses[e - 1], Double.NaN), t);
            if (t.stopRequested()) return e;
        }
        return 0;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        Trainer t = trainer(TrainerTest.linearModel(1));
        EarlyStopping stop = new EarlyStopping(Monitor.VALIDATION_LOSS, 2);
        assertThat(run(stop, t, 1.0, 0.8, 0.9, 0.7, 0.75, 0.71, 0.6)).isEqualTo(6);
        assertThat(stop.bestEpoch()).isEqualTo(4);
        assertThat(stop.best()).isEqualTo(0.7);
        assertThat(stop.stoppedEpoch()).isEqualTo(6);
    }

    @Test
    void smallerImprovementsThanMinDeltaDoNotCount() {
        Trainer t = trainer(TrainerTest.linearModel(1));
        EarlyStopping stop = new EarlyStopping(Monitor.VALIDATION_LOSS, 3, 0.05, EarlyStopping.Mode.MIN, false);
        // 0.97 and 0.93 are within 0.05 of 1.0; 0.94 is 0.06 better than 1.0
        assertThat(run(stop, t, 1.0, 0.97, 0.94, 0.93, 0.92, 0.91)).isEqualTo(6);
        assertThat(stop.bestEpoch()).isEqualTo(3);
    }

    @Test
    void maxModeForAccuracies() {
        Trainer t = trainer(TrainerTest.linearModel(1));
        EarlyStopping stop = new EarlyStopping(Monitor.VALIDATION_ACCURACY, 1);
        stop.onTrainStart(t);
        stop.onEpochEnd(stats(1, 9, 0.6), t);
        stop.onEpochEnd(stats(2, 9, 0.7), t);
        assertThat(t.stopRequested()).isFalse();
        stop.onEpochEnd(stats(3, 9, 0.7), t);
        assertThat(t.stopRequested()).isTrue();
        assertThat(stop.bestEpoch()).isEqualTo(2);
    }

    @Test
    void aMissingValidationSetIsReported() {
        Trainer t = trainer(TrainerTest.linearModel(1));
        EarlyStopping stop = new EarlyStopping(Monitor.VALIDATION_LOSS, 2);
        assertThatThrownBy(() -> t.addListener(stop).fit(TrainerTest.regression(16, 1), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("val_loss").hasMessageContaining("no validation set");
        assertThatThrownBy(() -> new EarlyStopping(Monitor.TRAIN_LOSS, 0)).hasMessageContaining("patience");
    }

    @Test
    void restoresTheParametersAndBuffersOfTheBestEpoch() {
        // train y = 3·x0 − 2·x1 + 1 but validate against y = 0: the validation loss is lowest early,
        // then rises as the model learns the training function
        Dataset train = TrainerTest.regression(64, 2);
        Dataset validation = new Dataset(train.features(), Tensor.zeros(64, 1));
        SplittableRandom rng = new SplittableRandom(3);
        Sequential m = new Sequential(new Dense(2, 4, new Activation.Tanh(), rng), new BatchNorm1d(4),
                new Dense(4, 1, new Activation.Linear(), rng));
        Trainer t = new Trainer(m, new Loss.MeanSquaredError(), new Sgd(m.parameters(), 0.05f), new TrainOptions(60, 16, true, 4));
        List<Map<String, Tensor>> states = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats stats, Trainer trainer) {
                Map<String, Tensor> copy = new LinkedHashMap<>();
                trainer.model().stateDict().forEach((k, v) -> copy.put(k, v.copy()));
                states.add(copy);
            }
        });
        EarlyStopping stop = new EarlyStopping(Monitor.VALIDATION_LOSS, 3);
        History h = t.addListener(stop).fit(train, validation);
        assertThat(stop.stoppedEpoch()).as("stopped early").isBetween(4, 59);
        assertThat(h.epochs()).hasSize(stop.stoppedEpoch());
        assertThat(stop.stoppedEpoch()).isEqualTo(stop.bestEpoch() + 3);
        double bestLoss = h.epochs().stream().mapToDouble(EpochStats::validationLoss).min().orElseThrow();
        assertThat(h.epochs().get(stop.bestEpoch() - 1).validationLoss()).isEqualTo(bestLoss);
        Map<String, Tensor> best = states.get(stop.bestEpoch() - 1);
        assertThat(best).containsKey("layers.1.running_mean");
        m.stateDict().forEach((k, v) -> assertThat(v.data()).as(k).containsExactly(best.get(k).data()));
        assertThat(Trainer.evaluate(m, new Loss.MeanSquaredError(), validation).loss()).isEqualTo(bestLoss);
    }
}
