package dev.ganglion.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ganglion export} and {@code ganglion import} as a user runs them. */
class OnnxCliTest {
    @TempDir
    Path dir;

    private Cli ok(String... args) {
        Cli r = Cli.run(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    /** A model with a categorical column, imputation and standardisation, exported and run in onnxruntime. */
    @Test
    void anExportedTabularModelRunsInOnnxruntimeLikePredict() throws Exception {
        Path csv = dir.resolve("shirts.csv");
        Files.writeString(csv, TabularCliTest.shirts(300, 4, 0.05));
        Path model = dir.resolve("shirts");
        ok("train", "--data", csv.toString(), "--label", "bought", "--categorical", "colour", "--impute", "median",
                "--layers", "8:relu,batchnorm,1:sigmoid", "--normalize", "standard", "--epochs", "20", "--out", model.toString());
        Path onnx = dir.resolve("out/shirts.onnx");
        Cli e = ok("export", "--model", model.toString(), "--format", "onnx", "--out", onnx.toString());
        assertThat(e.out()).contains("wrote " + onnx).contains("input  \"input\" float [batch, 3]: colour,size,price")
                .contains("{colour=[blue, green, red]}");

        Model m = ModelStore.load(model);
        Tensor coded = DataSource.features(csv, m.encoding());
        assertThat(Arrays.stream(toDoubles(coded.data())).anyMatch(Double::isNaN)).as("the data has missing values").isTrue();
        float[] expected = m.predict(coded).data();
        float[] actual = runOnnx(Files.readAllBytes(onnx), coded);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) assertThat(actual[i]).as("row " + i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));

        // what predict prints is what onnxruntime computes
        String[] lines = ok("predict", "--model", model.toString(), "--data", csv.toString()).out().split("\n");
        assertThat(Float.parseFloat(lines[1].split(",")[0])).isCloseTo(actual[0], org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void exportThenImportPredictsTheSame() throws Exception {
        Path csv = dir.resolve("shirts.csv");
        Files.writeString(csv, TabularCliTest.shirts(200, 5, 0).replace("red,", "0,").replace("green,", "1,").replace("blue,", "2,"));
        Path model = dir.resolve("plain");
        ok("train", "--data", csv.toString(), "--label", "bought", "--layers", "6:tanh,2:softmax", "--epochs", "10", "--out", model.toString());
        Path onnx = dir.resolve("plain.onnx");
        ok("export", "--model", model.toString(), "--out", onnx.toString());
        Path back = dir.resolve("back");
        Cli i = ok("import", "--format", "onnx", onnx.toString(), "--out", back.toString(),
                "--inputs", "colour,size,price", "--label", "bought", "--classes", "0,1");
        assertThat(i.out()).contains("3 -> 6:tanh -> 2:softmax").contains("wrote model directory " + back);
        assertThat(ok("predict", "--model", back.toString(), "--data", csv.toString()).out())
                .isEqualTo(ok("predict", "--model", model.toString(), "--data", csv.toString()).out());
        assertThat(ok("evaluate", "--model", back.toString(), "--data", csv.toString()).out()).contains("accuracy");
    }

    @Test
    void mistakesAreOneLineWithExitCode2() throws Exception {
        Cli missing = Cli.run("import", dir.resolve("none.onnx").toString(), "--out", dir.resolve("m").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("none.onnx: no such file").doesNotContain("Exception");

        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "not an onnx file at all");
        Cli bad = Cli.run("import", "--format", "onnx", junk.toString(), "--out", dir.resolve("m").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("ganglion: " + junk).hasLineCount(1);
        assertThat(Files.exists(dir.resolve("m"))).as("nothing written on failure").isFalse();

        Cli format = Cli.run("export", "--model", dir.toString(), "--format", "pmml", "--out", dir.resolve("x").toString());
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("--format pmml is not supported");
    }

    @Test
    void helpShowsExamples() {
        for (String cmd : new String[]{"export", "import"}) {
            Cli h = ok(cmd, "--help");
            assertThat(h.out()).as(cmd).contains("Examples:").contains("ganglion " + cmd + " ");
            assertThat(h.out().lines().mapToInt(String::length).max().orElse(0)).as(cmd + " help width").isLessThanOrEqualTo(80);
        }
        assertThat(ok("--help").out()).contains("export").contains("import");
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static float[] runOnnx(byte[] model, Tensor x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = x.shape().dim(0), d = x.shape().dim(1);
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x.data()), new long[]{n, d});
             OrtSession.Result result = session.run(Map.of("input", input))) {
            float[][] y = (float[][]) result.get(0).getValue();
            float[] flat = new float[n * y[0].length];
            for (int i = 0; i < n; i++) System.arraycopy(y[i], 0, flat, i * y[0].length, y[0].length);
            return flat;
        }
    }
}
