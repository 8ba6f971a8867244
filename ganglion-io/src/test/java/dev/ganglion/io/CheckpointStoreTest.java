package dev.ganglion.io;

import dev.ganglion.data.Scaler;
import dev.ganglion.model.Layer;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.StateDict;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoint directories: exact round trip, atomic layout, pruning, and validation on reading. */
class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static Model model() {
        return new Model(List.of("a", "b"), Layer.parseList("3:relu,dropout(0.1),1:sigmoid", null), Loss.parse("bce"),
                new Scaler.None(), "y", List.of("0", "1"), 4);
    }

    private static TrainingState state(int epoch) {
        List<EpochStats> history = new java.util.ArrayList<>();
        for (int e = 1; e <= epoch; e++) history.add(new EpochStats(e, 0.5 / e, 0.75, Double.NaN, Double.NaN, 1e-3, 0.1 * e));
        Map<String, StateDict> parts = new LinkedHashMap<>();
        parts.put("optimizer", StateDict.builder("adam")
                .floats("m.0", new float[]{1.5f, -0f, Float.MIN_VALUE, 3.4028235e38f})
                .number("steps", 12).numbers("t", new double[]{12, 12}).number("lr", 0.1 + 0.2).build());
        parts.put("schedule", StateDict.builder("ReduceOnPlateau")
                .number("best", Double.POSITIVE_INFINITY).number("worst", Double.NEGATIVE_INFINITY).number("nan", Double.NaN)
                .numbers("empty", new double[0]).build());
        parts.put("listener.1", StateDict.builder("early_stopping")
                .tensor("best_state.layers.0.weight", Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 3, 2)).build());
        return new TrainingState(epoch, 0, history, parts);
    }

    @Test
    void roundTripIsExactIncludingNonFiniteNumbersAndTensorShapes() throws IOException {
        TrainingState s = state(3);
        Path written = CheckpointStore.write(dir, model(), Map.of(), List.of("--data", "x.csv", "--out", "m"), "/work", s, 0);
        assertThat(written).isEqualTo(dir.resolve("epoch-000003"));
        CheckpointStore.Checkpoint c = CheckpointStore.read(written);
        assertThat(c.arguments()).containsExactly("--data", "x.csv", "--out", "m");
        assertThat(c.workingDirectory()).isEqualTo("/work");
        assertThat(c.state().parts()).isEqualTo(s.parts());
        assertThat(c.state().history()).isEqualTo(s.history());
        assertThat(c.state().parts().get("listener.1").tensors().get("best_state.layers.0.weight").shape().dims()).containsExactly(3, 2);
        assertThat(ModelStore.load(written).architecture()).hasSize(3);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("epoch-000003");
        }
    }

    @Test
    void keepsTheNewestUpToTheOneWrittenAndNamesInsideEpochs() {
        for (int e = 1; e <= 5; e++) CheckpointStore.write(dir, model(), Map.of(), List.of(), "/", state(e), 2);
        assertThat(CheckpointStore.list(dir)).extracting(p -> p.getFileName().toString()).containsExactly("epoch-000004", "epoch-000005");
        TrainingState inside = new TrainingState(2, 7, state(2).history(), state(2).parts());
        CheckpointStore.write(dir, model(), Map.of(), List.of(), "/", inside, 2);
        assertThat(CheckpointStore.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("epoch-000002-batch-000007", "epoch-000004", "epoch-000005");
        assertThat(CheckpointStore.latest(dir)).contains(dir.resolve("epoch-000005"));
    }

    @Test
    void readingNamesTheFileAndTheKey() throws IOException {
        Path c = CheckpointStore.write(dir, model(), Map.of(), List.of(), "/", state(2), 0);
        Path meta = c.resolve(CheckpointStore.META_FILE);
        String good = Files.readString(meta);

        Files.writeString(meta, good.replace("\"epoch\" : 2", "\"epoch\" : 3"));
        assertThatThrownBy(() -> CheckpointStore.read(c)).isInstanceOf(ModelFormatException.class)
                .hasMessage(meta + ": \"history\" has 2 epochs, expected 3");

        Files.writeString(meta, good.replace("\"Infinity\"", "\"lots\""));
        assertThatThrownBy(() -> CheckpointStore.read(c)).isInstanceOf(ModelFormatException.class)
                .hasMessage(meta + ": \"state.schedule.numbers.best[0]\" must be a number (or \"NaN\", \"Infinity\", \"-Infinity\"), got \"lots\"");

        Files.writeString(meta, good.replace("\"m.0\"", "\"m.9\""));
        assertThatThrownBy(() -> CheckpointStore.read(c)).isInstanceOf(ModelFormatException.class)
                .hasMessage(c.resolve(CheckpointStore.STATE_FILE) + ": tensor \"optimizer/m.9\": is listed in checkpoint.json but missing");

        Files.writeString(meta, "[]");
        assertThatThrownBy(() -> CheckpointStore.read(c)).isInstanceOf(ModelFormatException.class)
                .hasMessage(meta + ": the file must hold a JSON object");
    }
}
