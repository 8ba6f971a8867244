package dev.ganglion.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ganglion.tensor.Tensor;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs an ONNX model with the real onnxruntime, and compares outputs. */
final class Ort {
    private Ort() {
    }

    /** The single output of {@code model} for {@code input [n, d]}, fed to the input named {@code inputName}. */
    static Tensor run(byte[] model, String inputName, Tensor input) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = input.shape().dim(0), d = input.shape().dim(1);
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(input.data(), i * d, rows[i], 0, d);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor x = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Map.of(inputName, x))) {
            assertThat(result.size()).as("outputs").isEqualTo(1);
            float[][] y = (float[][]) result.get(0).getValue();
            int k = y[0].length;
            float[] flat = new float[n * k];
            for (int i = 0; i < n; i++) System.arraycopy(y[i], 0, flat, i * k, k);
            return Tensor.of(flat, n, k);
        } catch (OrtException e) {
            throw new AssertionError("onnxruntime rejected the model: " + e.getMessage(), e);
        }
    }

    /** Asserts equal shapes and |a − e| ≤ 1e-5·max(1, |e|) everywhere. */
    static void assertClose(Tensor actual, Tensor expected, String what) {
        assertThat(actual.shape().dims()).as(what + ": shape").containsExactly(expected.shape().dims());
        float[] a = actual.data(), e = expected.data();
        for (int i = 0; i < a.length; i++) {
            float tolerance = 1e-5f * Math.max(1f, Math.abs(e[i]));
            if (!(Math.abs(a[i] - e[i]) <= tolerance)) {
                throw new AssertionError(what + ": element " + i + " (row " + i / expected.shape().dim(1) + ") is " + a[i]
                        + ", expected " + e[i] + " within " + tolerance);
            }
        }
    }
}
