package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.Scaler;
import dev.ganglion.model.Layer;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Loss;
import dev.ganglion.optim.Adagrad;
import dev.ganglion.optim.Adam;
import dev.ganglion.optim.AdamW;
import dev.ganglion.optim.Lbfgs;
import dev.ganglion.optim.Optimizer;
import dev.ganglion.optim.ParameterGroup;
import dev.ganglion.optim.RmsProp;
import dev.ganglion.optim.Sgd;
import dev.ganglion.optim.schedule.CosineAnnealing;
import dev.ganglion.optim.schedule.LearningRateSchedule;
import dev.ganglion.optim.schedule.ReduceOnPlateau;
import dev.ganglion.optim.schedule.StepDecay;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run resumed from a {@link TrainingState} (plus the weights saved with it) ends with exactly
 * the weights of the run that was never stopped: every bit, for every epoch boundary, inside an
 * epoch, and for every optimiser with its state.
 */
class TrainerResumeTest {
    private static final int EPOCHS = 6;

    /** One training set-up, built afresh for each run the same way. */
    private record Run(Model model, Trainer trainer) {
    }

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 90;
        float[] x = new float[n * 4], y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (float) r.nextGaussian();
            y[i] = x[i * 4] + 0.5f * x[i * 4 + 1] - x[i * 4 + 2] * x[i * 4 + 3] > 0 ? 1f : 0f;
        }
        return new Dataset(Tensor.of(x, n, 4), Tensor.of(y, n, 1));
    }

    private static Run build(String optimizer, int batch) {
        List<Layer> layers = List.of(new LayerSpec(12, Activation.parse("relu")), new Layer.Dropout(0.3f),
                new Layer.BatchNorm(), new LayerSpec(8, Activation.parse("tanh")), new Layer.Dropout(0.1f),
                new LayerSpec(1, Activation.parse("sigmoid")));
        Model model = new Model(List.of("a", "b", "c", "d"), layers, Loss.parse("bce"), new Scaler.None(), "y", List.of("no", "yes"), 11);
        List<Tensor> p = model.network().parameters();
        Optimizer opt = switch (optimizer) {
            case "adam" -> new Adam(p, 0.01f);
            case "adamw" -> new AdamW(ParameterGroup.decayMatricesOnly(p), 0.01f, 0.9f, 0.99f, 1e-8f, 0.05f);
            case "momentum" -> new Sgd(p, 0.05f, 0.9f, false);
            case "nesterov" -> new Sgd(ParameterGroup.decayMatricesOnly(p), 0.05f, 0.9f, true, 1e-3f);
            case "rmsprop" -> new RmsProp(ParameterGroup.single(p), 0.005f, 0.99f, 1e-8f, 0.5f, 0f);
            case "adagrad" -> new Adagrad(p, 0.05f);
            case "lbfgs" -> new Lbfgs(p, 1f, 4, 5, 1e-7, 1e-9);
            default -> throw new IllegalArgumentException(optimizer);
        };
        Trainer trainer = new Trainer(model.network(), Loss.parse("bce"), opt, new TrainOptions(EPOCHS, batch, true, 5));
        LearningRateSchedule schedule = switch (optimizer) {
            case "adam" -> CosineAnnealing.perBatch(opt, EPOCHS, 1, 1e-4f);
            case "momentum", "rmsprop" -> new ReduceOnPlateau(opt, ReduceOnPlateau.Mode.MIN, 0.5, 0, 1e-2, 1, 0f);
            case "nesterov" -> new StepDecay(opt, 2, 0.5);
            default -> null;
        };
        if (schedule instanceof ReduceOnPlateau) trainer.setSchedule(schedule, Monitor.TRAIN_LOSS);
        else if (schedule != null) trainer.setSchedule(schedule);
        trainer.addListener(new EarlyStopping(Monitor.TRAIN_LOSS, 50));
        return new Run(model, trainer);
    }

    /** The weights' bit patterns, one hex string per tensor (compared as values, and short when they differ). */
    private static Map<String, String> bits(Model model) {
        Map<String, String> out = new LinkedHashMap<>();
        model.network().stateDict().forEach((k, t) -> {
            StringBuilder b = new StringBuilder();
            for (float v : t.data()) b.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
            out.put(k, Integer.toHexString(b.toString().hashCode()) + ":" + b.length() + ":" + b.substring(0, Math.min(40, b.length())));
        });
        return out;
    }

    private static Map<String, Tensor> copyWeights(Model model) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.network().stateDict().forEach((k, t) -> out.put(k, t.copy()));
        return out;
    }

    /** A saved checkpoint: the state and the weights at that moment. */
    private record Saved(TrainingState state, Map<String, Tensor> weights) {
    }

    private static Map<String, String> resumed(String optimizer, int batch, Saved saved) {
        Run r = build(optimizer, batch);
        r.model().network().loadStateDict(saved.weights());
        r.trainer().resumeFrom(saved.state()).fit(data(), null);
        return bits(r.model());
    }

    @Test
    void resumingAtEveryEpochBoundaryGivesTheSameWeightsAsAnUninterruptedRun() {
        Run plain = build("adam", 16);
        History plainHistory = plain.trainer().fit(data(), null);
        Map<String, String> expected = bits(plain.model());

        Run saving = build("adam", 16);
        List<Saved> saved = new ArrayList<>();
        saving.trainer().setCheckpoints(1, s -> saved.add(new Saved(s, copyWeights(saving.model()))));
        saving.trainer().fit(data(), null);
        assertThat(bits(saving.model())).as("saving checkpoints changes nothing").isEqualTo(expected);
        assertThat(saved).extracting(s -> s.state().epoch()).containsExactly(1, 2, 3, 4, 5, 6);

        for (Saved s : saved) {
            assertThat(resumed("adam", 16, s)).as("resumed after epoch %d", s.state().epoch()).isEqualTo(expected);
        }
        // the history carries over: the resumed run reports all epochs with the same losses
        Run again = build("adam", 16);
        again.model().network().loadStateDict(saved.get(2).weights());
        History h = again.trainer().resumeFrom(saved.get(2).state()).fit(data(), null);
        assertThat(h.epochs()).extracting(EpochStats::trainLoss).containsExactlyElementsOf(
                plainHistory.epochs().stream().map(EpochStats::trainLoss).toList());
    }

    @Test
    void anInterruptInsideAnEpochSavesTheStateAndResumingFromItGivesTheSameWeights() {
        Map<String, String> expected;
        Run plain = build("adam", 16);
        plain.trainer().fit(data(), null);
        expected = bits(plain.model());

        for (int[] at : new int[][]{{1, 1}, {3, 4}, {4, 6}}) {
            Run r = build("adam", 16);
            List<Saved> saved = new ArrayList<>();
            r.trainer().setCheckpoints(0, s -> saved.add(new Saved(s, copyWeights(r.model()))));
            r.trainer().addListener(new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int batch, int batches, double loss) {
                    if (epoch == at[0] && batch == at[1]) r.trainer().requestInterrupt();
                }
            });
            assertThatThrownBy(() -> r.trainer().fit(data(), null)).isInstanceOf(TrainingInterruptedException.class);
            assertThat(saved).hasSize(1);
            TrainingState s = saved.getFirst().state();
            assertThat(s.epoch()).isEqualTo(at[0] - 1);
            assertThat(s.batch()).isEqualTo(at[1]);
            Run resumed = build("adam", 16);
            resumed.trainer().addListener(new TrainingListener() { });   // same listener positions as the interrupted run
            resumed.model().network().loadStateDict(saved.getFirst().weights());
            resumed.trainer().resumeFrom(s).fit(data(), null);
            assertThat(bits(resumed.model())).as("interrupted at epoch %d batch %d", at[0], at[1]).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamw", "momentum", "nesterov", "rmsprop", "adagrad", "lbfgs"})
    void everyOptimizerContinuesBitForBit(String optimizer) {
        int batch = optimizer.equals("lbfgs") ? 0 : 32;
        Run plain = build(optimizer, batch);
        plain.trainer().fit(data(), null);
        Map<String, String> expected = bits(plain.model());

        Run saving = build(optimizer, batch);
        List<Saved> saved = new ArrayList<>();
        saving.trainer().setCheckpoints(2, s -> saved.add(new Saved(s, copyWeights(saving.model()))));
        saving.trainer().fit(data(), null);
        assertThat(saved).extracting(s -> s.state().epoch()).containsExactly(2, 4, 6);
        assertThat(saved.getFirst().state().parts().get("optimizer").tensors().isEmpty())
                .as("the optimiser state holds per-parameter arrays").isEqualTo(optimizer.equals("lbfgs"));
        for (Saved s : saved.subList(0, 2)) {
            assertThat(resumed(optimizer, batch, s)).as("%s resumed after epoch %d", optimizer, s.state().epoch()).isEqualTo(expected);
        }
    }

    @Test
    void aStateFromAnotherSetUpIsRefusedBeforeAnythingChanges() {
        Run saving = build("adam", 16);
        List<TrainingState> saved = new ArrayList<>();
        saving.trainer().setCheckpoints(2, saved::add);
        saving.trainer().fit(data(), null);
        Function<String, Run> fresh = o -> build(o, 16);
        assertThatThrownBy(() -> fresh.apply("adagrad").trainer().resumeFrom(saved.getFirst()).fit(data(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule");
        Optimizer other = new Adagrad(build("adam", 16).model().network().parameters(), 0.1f);
        assertThatThrownBy(() -> other.loadStateDict(saved.getFirst().parts().get("optimizer")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("state of \"adam\" cannot be loaded into \"adagrad\"");
        assertThatThrownBy(() -> build("adam", 8).trainer().resumeFrom(saved.getFirst()).fit(data(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batches of 16");
        assertThatThrownBy(() -> build("adam", 16).trainer().resumeFrom(saved.getFirst()).fit(data().slice(0, 80), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("90 training samples");
    }
}
