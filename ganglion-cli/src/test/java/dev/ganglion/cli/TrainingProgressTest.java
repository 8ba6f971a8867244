package dev.ganglion.cli;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.EpochStats;
import dev.ganglion.train.TrainOptions;
import dev.ganglion.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The progress bar as a function of the training state, the choice of display, and the bar in a real run. */
class TrainingProgressTest {
    @TempDir
    Path dir;

    private static final EpochStats EPOCH_2 = new EpochStats(2, 0.3, 0.9, 0.35, 0.85, 0.01, 0.5);

    @Test
    void rendersBatchProgressRateEtaLossAndTheLastEpoch() {
        // epoch 3 of 10, half way: 2.5 of 10 epochs done in 2.5 s, so 7.5 s remain
        var s = new TrainingProgress.State(3, 10, 5, 10, 160, 0.5, 2.5, 0.25, EPOCH_2, "val");
        assertThat(s.fractionDone()).isEqualTo(0.25);
        assertThat(TrainingProgress.render(s, 200)).isEqualTo(
                "epoch  3/10 [==========>         ]  5/10  320 samples/s  ETA 0:08  loss 0.2500"
                        + "  | last epoch: acc 0.9000 val_loss 0.3500 val_acc 0.8500");
        // first epoch: nothing to report from the last one; regression has no accuracy
        var first = new TrainingProgress.State(1, 10, 10, 10, 320, 0.1, 0.1, 1.5, null, "test");
        assertThat(TrainingProgress.render(first, 200)).isEqualTo("epoch  1/10 [====================] 10/10  3200 samples/s  ETA 0:01  loss 1.5000");
        var regression = new TrainingProgress.State(2, 2, 1, 4, 64, 0.001, 2.0, 0.5,
                new EpochStats(1, 0.7, Double.NaN, Double.NaN, Double.NaN, 0.1, 0.4), "test");
        assertThat(TrainingProgress.render(regression, 200)).endsWith("64.0k samples/s  ETA 0:01  loss 0.5000  | last epoch: loss 0.7000");
        // never wider than the terminal
        assertThat(TrainingProgress.render(s, 50)).hasSize(49).startsWith("epoch  3/10 [==========>");
    }

    @Test
    void formatsDurationsAndRates() {
        assertThat(TrainingProgress.duration(7.4)).isEqualTo("0:07");
        assertThat(TrainingProgress.duration(754)).isEqualTo("12:34");
        assertThat(TrainingProgress.duration(3723)).isEqualTo("1:02:03");
        assertThat(TrainingProgress.compact(950)).isEqualTo("950");
        assertThat(TrainingProgress.compact(12_345)).isEqualTo("12.3k");
        assertThat(TrainingProgress.compact(4_560_000)).isEqualTo("4.56M");
    }

    @Test
    void choosesTheBarOnlyOnATerminal() {
        assertThat(TrainingProgress.choose(null, false, true)).isEqualTo(TrainingProgress.Mode.BAR);
        assertThat(TrainingProgress.choose(null, false, false)).isEqualTo(TrainingProgress.Mode.LINES);
        assertThat(TrainingProgress.choose(null, true, true)).isEqualTo(TrainingProgress.Mode.NONE);
        assertThat(TrainingProgress.choose("", true, false)).isEqualTo(TrainingProgress.Mode.NONE);
        assertThat(TrainingProgress.choose("bar", false, false)).isEqualTo(TrainingProgress.Mode.BAR);
        assertThat(TrainingProgress.choose("bar", true, true)).isEqualTo(TrainingProgress.Mode.NONE);      // --quiet wins
        assertThat(TrainingProgress.choose("lines", false, true)).isEqualTo(TrainingProgress.Mode.LINES);
        assertThat(TrainingProgress.choose("none", false, true)).isEqualTo(TrainingProgress.Mode.NONE);
        assertThatThrownBy(() -> TrainingProgress.choose("fancy", false, true)).isInstanceOf(UserError.class)
                .hasMessageContaining("GANGLION_PROGRESS=fancy");
        // the test JVM's stderr is a pipe to the build, not a terminal
        assertThat(TrainingProgress.stderrIsTerminal()).isFalse();
    }

    @Test
    void theBarRedrawsInPlaceAndLeavesTheLoggedEpochsAsLines() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 64;
        float[] x = new float[n * 2], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) rng.nextDouble(-1, 1);
            x[2 * i + 1] = (float) rng.nextDouble(-1, 1);
            y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
        }
        Dataset data = new Dataset(Tensor.of(x, n, 2), Tensor.of(y, n, 1));
        Sequential net = new Sequential(new Dense(2, 1, new Activation.Sigmoid(), rng));
        Trainer trainer = new Trainer(net, new Loss.BinaryCrossEntropy(), new Sgd(net.parameters(), 0.5f), new TrainOptions(3, 16, true, 1));
        StringWriter text = new StringWriter();
        AtomicLong clock = new AtomicLong();
        // every call of the clock advances it by 60 ms: the bar redraws at most every 100 ms, and at the end of each epoch
        trainer.addListener(new TrainingProgress(new PrintWriter(text, true), 3, "test", n, 16, () -> clock.addAndGet(60_000_000L), 100));
        trainer.fit(data, data);
        String out = text.toString();
        List<String> lines = List.of(out.split("\n"));
        assertThat(lines).hasSize(3);                              // the three logged epochs; the bar itself never ends a line
        for (int e = 1; e <= 3; e++) {
            String line = lines.get(e - 1);
            String logged = line.substring(line.lastIndexOf('\r') + 1);
            assertThat(logged).startsWith("epoch " + e + "/3  loss ").contains("test accuracy");
        }
        assertThat(out).contains("\repoch 1/3 [=====>              ] 1/4").contains("\repoch 1/3 [====================] 4/4")
                .contains("samples/s").contains("ETA ").contains("| last epoch: acc");
        List<String> draws = new ArrayList<>(List.of(out.split("\r")));
        assertThat(draws.stream().filter(d -> d.startsWith("epoch 2/3 [")).count()).isBetween(2L, 4L);
        assertThat(out).endsWith("\n");                           // the bar is cleared when training ends
    }

    @Test
    void theEnvironmentChoosesTheDisplayOfARealProcess() throws Exception {
        Path csv = dir.resolve("font.csv");
        assertThat(Cli.run("generate", "font", "--samples", "400", "--out", csv.toString()).exitCode()).isZero();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "dev.ganglion.cli.Main", "train", "--data", csv.toString(), "--label", "light_font", "--layers", "3:relu,1:sigmoid",
                "--scale", "255", "--epochs", "4", "--batch", "8", "--out", dir.resolve("m").toString()));
        for (String[] env : new String[][]{{"bar", "\r"}, {"lines", null}, {"none", null}}) {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put(TrainingProgress.ENV, env[0]);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(err).isZero();
            assertThat(out).contains("model saved to");
            switch (env[0]) {
                case "bar" -> assertThat(err).contains("\repoch 1/4 [").contains("samples/s").contains("epoch 4/4  loss");
                case "lines" -> assertThat(err).doesNotContain("\r").contains("epoch 1/4  loss").contains("epoch 4/4  loss");
                default -> assertThat(err).doesNotContain("epoch");
            }
        }
    }
}
