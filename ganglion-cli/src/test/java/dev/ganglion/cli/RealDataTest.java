package dev.ganglion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Learning checked on real public data sets (../shared/data), through the command line. */
class RealDataTest {
    @TempDir
    Path dir;

    private double trainTestAccuracy(String file, String layers, String... more) throws Exception {
        Path data = SharedData.file(file);
        String[] base = {"train", "--data", data.toString(), "--label", "label", "--layers", layers,
                "--normalize", "standard", "--seed", "7", "--json", "--quiet", "--out", dir.resolve(file).toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out()).get("test_accuracy").asDouble();
    }

    @Test
    void irisThreeClasses() throws Exception {
        assertThat(trainTestAccuracy("iris.csv", "16:relu,3:softmax", "--epochs", "100", "--test-split", "0.3"))
                .isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void breastCancerBinary() throws Exception {
        assertThat(trainTestAccuracy("breast_cancer.csv", "16:relu,1:sigmoid", "--epochs", "50", "--lr", "0.003"))
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void wineThreeClasses() throws Exception {
        assertThat(trainTestAccuracy("wine.csv", "16:tanh,3:softmax", "--epochs", "60", "--lr", "0.01"))
                .isGreaterThanOrEqualTo(0.94);
    }
}
