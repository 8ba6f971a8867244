package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ganglion summary}: the table of a saved model, checked against the arithmetic of its layer sizes. */
class SummaryCliTest {
    @TempDir
    Path dir;

    @Test
    void showsLayersShapesParameterCountsPreprocessingAndHistory() throws Exception {
        Path csv = dir.resolve("font.csv"), model = dir.resolve("m");
        assertThat(Cli.run("generate", "font", "--samples", "300", "--out", csv.toString()).exitCode()).isZero();
        Cli t = Cli.run("train", "--data", csv.toString(), "--label", "light_font", "--layers", "10:relu,batchnorm,dropout(0.2),5:tanh,1:sigmoid",
                "--scale", "255", "--epochs", "3", "--out", model.toString(), "--quiet");
        assertThat(t.exitCode()).as(t.err()).isZero();

        Cli s = Cli.run("summary", "--model", model.toString());
        assertThat(s.exitCode()).as(s.err()).isZero();
        long dense0 = 3 * 10 + 10, bn = 2 * 10, bnRunning = 2 * 10, dense1 = 10 * 5 + 5, dense2 = 5 + 1;
        long trainable = dense0 + bn + dense1 + dense2;
        List<String> lines = s.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("layers\\.0 \\(Dense\\)\\s+\\[n, 10\\]\\s+relu\\s+" + dense0));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("layers\\.1 \\(BatchNorm1d\\)\\s+\\[n, 10\\]\\s+" + (bn + bnRunning)));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("layers\\.2 \\(Dropout 0\\.2\\)\\s+\\[n, 10\\]\\s+0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("layers\\.3 \\(Dense\\)\\s+\\[n, 5\\]\\s+tanh\\s+" + dense1));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("layers\\.4 \\(Dense\\)\\s+\\[n, 1\\]\\s+sigmoid\\s+" + dense2));
        assertThat(lines).contains("Total params:         " + (trainable + bnRunning), "Trainable params:     " + trainable,
                "Non-trainable params: " + bnRunning, "Loss: bce");
        assertThat(s.out()).contains("inputs   3 columns: red, green, blue").contains("scaling  divide by 255.0")
                .contains("History: 3 epochs");

        Cli j = Cli.run("summary", "--model", model.toString(), "--json");
        JsonNode json = new ObjectMapper().readTree(j.out());
        assertThat(json.get("total_params").asLong()).isEqualTo(trainable + bnRunning);
        assertThat(json.get("trainable_params").asLong()).isEqualTo(trainable);
        assertThat(json.get("layers")).hasSize(5);
        assertThat(json.get("layers").get(0).get("output_shape").toString()).isEqualTo("[-1,10]");
        assertThat(json.get("epochs_trained").asInt()).isEqualTo(3);

        Files.delete(model.resolve("history.csv"));          // older model directories have none
        assertThat(Cli.run("summary", "--model", model.toString()).out()).doesNotContain("History");
        Cli missing = Cli.run("summary", "--model", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such model directory");
    }
}
