package dev.ganglion.learning;

import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Initializer;
import dev.ganglion.nn.Sequential;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic perceptron exercise, forward pass only: weights set by hand, step activations.
 * A step neuron fires (1) when w·x + b ≥ 0.
 */
class HandWeightedNetworkTest {
    static final float[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};

    private static Dense stepLayer(int in, float[] weights, float[] biases) {
        Dense d = new Dense(in, biases.length, new Activation.Step(), new Initializer.Constant(0f), new Initializer.Constant(0f), new SplittableRandom(0));
        System.arraycopy(weights, 0, d.weight().data(), 0, weights.length);
        System.arraycopy(biases, 0, d.bias().data(), 0, biases.length);
        return d;
    }

    private static float[] run(Sequential net) {
        return net.forward(Tensor.of(INPUTS)).data();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // gate, w1, w2, bias, expected outputs for 00 01 10 11
            "AND,  1, 1, -1.5, 0 0 0 1",
            "OR,   1, 1, -0.5, 0 1 1 1",
            "NAND, -1, -1, 1.5, 1 1 1 0",
            "NOR,  -1, -1, 0.5, 1 0 0 0"})
    void aSingleStepNeuronComputesALinearlySeparableGate(String gate, float w1, float w2, float b, String expected) {
        Sequential net = new Sequential(stepLayer(2, new float[]{w1, w2}, new float[]{b}));
        assertThat(run(net)).as(gate).containsExactly(parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // XOR = OR and not AND: hidden neurons OR (x1+x2-0.5) and AND (x1+x2-1.5), output h1 - h2 - 0.5
            "XOR,  1, 1, -0.5, 1, 1, -1.5, 1, -1, -0.5, 0 1 1 0",
            // XNOR = AND or NOR: hidden AND and NOR, output h1 + h2 - 0.5
            "XNOR, 1, 1, -1.5, -1, -1, 0.5, 1, 1, -0.5, 1 0 0 1"})
    void twoHiddenStepNeuronsComputeXor(String gate, float a1, float a2, float ab, float b1, float b2, float bb,
                                        float o1, float o2, float ob, String expected) {
        Sequential net = new Sequential(
                stepLayer(2, new float[]{a1, a2, b1, b2}, new float[]{ab, bb}),
                stepLayer(2, new float[]{o1, o2}, new float[]{ob}));
        assertThat(run(net)).as(gate).containsExactly(parse(expected));
        assertThat(net.parameterCount()).isEqualTo(2 * 2 + 2 + 2 + 1);
    }

    private static float[] parse(String bits) {
        String[] parts = bits.trim().split(" ");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Float.parseFloat(parts[i]);
        return out;
    }
}
