package dev.ganglion.plot;

import dev.ganglion.data.Scaler;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;

import java.util.List;

/**
 * A 2-2-1 sigmoid network with hand-set weights that computes XOR: hidden neuron 0 is OR, hidden
 * neuron 1 is AND, the output is OR and not AND. Raw inputs are 0..10 and the model divides them
 * by 10, so a plot in raw units only comes out right if the stored scaling is applied.
 */
final class XorModel {
    private XorModel() {
    }

    static Model build() {
        Model m = new Model(List.of("x1", "x2"),
                List.of(new LayerSpec(2, new Activation.Sigmoid()), new LayerSpec(1, new Activation.Sigmoid())),
                new Loss.BinaryCrossEntropy(), new Scaler.Divide(10f), "xor", List.of("same", "different"), 1L);
        Dense hidden = (Dense) m.network().layers().get(0);
        Dense out = (Dense) m.network().layers().get(1);
        set(hidden.weight(), 20, 20, 20, 20);
        set(hidden.bias(), -10, -30);
        set(out.weight(), 20, -20);
        set(out.bias(), -10);
        return m;
    }

    /** The four corners and some noise around them, raw units, with their XOR classes. */
    static Tensor points() {
        float[][] rows = new float[40][];
        for (int i = 0; i < 40; i++) {
            int a = i % 2, b = (i / 2) % 2;
            float jitter = (i / 4) * 0.15f;
            rows[i] = new float[]{a * 10 + (a == 0 ? jitter : -jitter), b * 10 + (b == 0 ? jitter * 0.7f : -jitter * 0.7f)};
        }
        return Tensor.of(rows);
    }

    static int[] labels() {
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) y[i] = (i % 2) ^ ((i / 2) % 2);
        return y;
    }

    private static void set(Tensor t, float... values) {
        System.arraycopy(values, 0, t.data(), 0, values.length);
    }
}
