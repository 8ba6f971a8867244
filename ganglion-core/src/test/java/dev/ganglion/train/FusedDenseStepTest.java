package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Dropout;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Adam;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fused Dense training step computes what autograd computes, for every case it accepts. */
class FusedDenseStepTest {

    private static final List<Activation> HIDDEN = List.of(new Activation.Linear(), new Activation.Relu(),
            new Activation.LeakyRelu(0.1f), new Activation.Sigmoid(), new Activation.Tanh(), new Activation.Step());

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Activation hidden : HIDDEN) {
            out.add(Arguments.of(hidden, new Activation.Sigmoid(), new Loss.BinaryCrossEntropy(), 1, "binary"));
            out.add(Arguments.of(hidden, new Activation.Softmax(), new Loss.CrossEntropy(), 4, "index"));
            out.add(Arguments.of(hidden, new Activation.Linear(), new Loss.MeanSquaredError(), 2, "real"));
        }
        out.add(Arguments.of(new Activation.Relu(), new Activation.Softmax(), new Loss.CrossEntropy(), 4, "rows"));
        out.add(Arguments.of(new Activation.Relu(), new Activation.Sigmoid(), new Loss.MeanSquaredError(), 1, "binary"));
        out.add(Arguments.of(new Activation.Tanh(), new Activation.Tanh(), new Loss.MeanSquaredError(), 3, "real"));
        out.add(Arguments.of(new Activation.Relu(), new Activation.Linear(), new Loss.BinaryCrossEntropyWithLogits(), 2, "binary"));
        return out.stream();
    }

    static Sequential network(Activation hidden, Activation output, int outputs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        // odd widths: tails that are not a multiple of any vector width
        return new Sequential(new Dense(5, 7, hidden, rng), new Dense(7, 3, hidden, rng), new Dense(3, outputs, output, rng));
    }

    static Tensor targets(String kind, int n, int outputs, SplittableRandom rng) {
        float[] y = new float[n * (kind.equals("index") ? 1 : outputs)];
        switch (kind) {
            case "binary" -> { for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(2); }
            case "index" -> { for (int i = 0; i < n; i++) y[i] = rng.nextInt(outputs); }
            case "rows" -> {
                for (int i = 0; i < n; i++) {
                    double total = 0;
                    for (int j = 0; j < outputs; j++) total += y[i * outputs + j] = (float) rng.nextDouble();
                    for (int j = 0; j < outputs; j++) y[i * outputs + j] /= (float) total;
                }
            }
            default -> { for (int i = 0; i < y.length; i++) y[i] = (float) rng.nextGaussian(); }
        }
        return Tensor.of(y, n, kind.equals("index") ? 1 : outputs);
    }

    static Tensor inputs(int n, SplittableRandom rng) {
        float[] x = new float[n * 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * rng.nextGaussian());
        return Tensor.of(x, n, 5);
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}, {4} targets")
    @MethodSource("cases")
    void lossAndGradientsEqualAutograds(Activation hidden, Activation output, Loss loss, int outputs, String kind) {
        SplittableRandom rng = new SplittableRandom(11);
        Sequential net = network(hidden, output, outputs, 3);
        FusedDenseStep step = FusedDenseStep.tryCreate(net, loss).orElseThrow();
        // growing batches: the buffers are reallocated, then reused; 1,100 rows cross the binary
        // cross-entropy's 512-sample blocks of logarithms
        for (int n : new int[]{1, 9, 33, 1100}) {
            Tensor x = inputs(n, rng), y = targets(kind, n, outputs, rng);
            net.zeroGrad();
            Tensor expectedLoss = Trainer.lossOf(net, loss, x, y);
            expectedLoss.backward();
            List<float[]> expected = net.parameters().stream().map(p -> p.grad().data().clone()).toList();
            net.zeroGrad();
            float fusedLoss = step.lossAndGradients(x, y);
            assertThat(fusedLoss).as("loss, batch %d", n).isCloseTo(expectedLoss.item(), org.assertj.core.data.Offset.offset(1e-5f * Math.max(1, Math.abs(expectedLoss.item()))));
            for (int p = 0; p < expected.size(); p++) {
                float[] got = net.parameters().get(p).grad().data();
                for (int i = 0; i < got.length; i++) {
                    assertThat(got[i]).as("parameter %d element %d, batch %d", p, i, n)
                            .isCloseTo(expected.get(p)[i], org.assertj.core.data.Offset.offset(1e-6f + 1e-5f * Math.abs(expected.get(p)[i])));
                }
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferencesOfTheLoss() {
        SplittableRandom rng = new SplittableRandom(5);
        Sequential net = network(new Activation.Tanh(), new Activation.Softmax(), 4, 9);
        Loss loss = new Loss.CrossEntropy();
        FusedDenseStep step = FusedDenseStep.tryCreate(net, loss).orElseThrow();
        Tensor x = inputs(6, rng), y = targets("index", 6, 4, rng);
        net.zeroGrad();
        step.lossAndGradients(x, y);
        for (Tensor p : net.parameters()) {
            float[] g = p.grad().data().clone(), w = p.data();
            for (int i = 0; i < w.length; i++) {
                float keep = w[i];
                double h = 1e-2;
                w[i] = (float) (keep + h);
                double up = Trainer.lossOf(net, loss, x, y).item();
                w[i] = (float) (keep - h);
                double down = Trainer.lossOf(net, loss, x, y).item();
                w[i] = keep;
                assertThat(g[i]).as("element %d of %s", i, p.shape()).isCloseTo((float) ((up - down) / (2 * h)),
                        org.assertj.core.data.Offset.offset(2e-3f));
            }
        }
    }

    @Test
    void gradientsAccumulateUntilCleared() {
        SplittableRandom rng = new SplittableRandom(2);
        Sequential net = network(new Activation.Relu(), new Activation.Sigmoid(), 1, 4);
        FusedDenseStep step = FusedDenseStep.tryCreate(net, new Loss.BinaryCrossEntropy()).orElseThrow();
        Tensor x = inputs(8, rng), y = targets("binary", 8, 1, rng);
        net.zeroGrad();
        step.lossAndGradients(x, y);
        float[] once = net.parameters().getFirst().grad().data().clone();
        step.lossAndGradients(x, y);   // no zeroGrad: added, as backward() adds
        float[] twice = net.parameters().getFirst().grad().data();
        for (int i = 0; i < once.length; i++) assertThat(twice[i]).isCloseTo(2 * once[i], org.assertj.core.data.Offset.offset(1e-6f));
        net.zeroGrad();
        step.lossAndGradients(x, y);
        float[] again = net.parameters().getFirst().grad().data();
        for (int i = 0; i < once.length; i++) assertThat(again[i]).isCloseTo(once[i], org.assertj.core.data.Offset.offset(1e-7f));
    }

    @Test
    void datasetRowsAreGatheredInTheGivenOrder() {
        SplittableRandom rng = new SplittableRandom(8);
        Sequential net = network(new Activation.Relu(), new Activation.Softmax(), 4, 6);
        Loss loss = new Loss.CrossEntropy();
        FusedDenseStep step = FusedDenseStep.tryCreate(net, loss).orElseThrow();
        Dataset data = new Dataset(inputs(20, rng), targets("index", 20, 4, rng));
        int[] order = {19, 3, 7, 7, 0, 12, 5};
        net.zeroGrad();
        float fromDataset = step.lossAndGradients(data, order, 1, 6);
        float[] viaDataset = net.parameters().get(2).grad().data().clone();
        net.zeroGrad();
        Dataset picked = data.rows(new int[]{3, 7, 7, 0, 12});
        float direct = step.lossAndGradients(picked.features(), picked.targets());
        assertThat(fromDataset).isEqualTo(direct);
        assertThat(net.parameters().get(2).grad().data()).containsExactly(viaDataset);
    }

    @Test
    void appliesOnlyWhereItComputesTheSameThing() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential dense = network(new Activation.Relu(), new Activation.Softmax(), 3, 1);
        assertThat(FusedDenseStep.tryCreate(dense, new Loss.CrossEntropy())).isPresent();
        assertThat(FusedDenseStep.tryCreate(dense, new Loss.CrossEntropy(List.of(1f, 2f, 3f)))).as("class weights").isEmpty();
        assertThat(FusedDenseStep.tryCreate(dense, new Loss.MeanSquaredError())).as("mse after softmax").isEmpty();
        assertThat(FusedDenseStep.tryCreate(dense, new Loss.Huber())).isEmpty();
        Sequential gelu = new Sequential(new Dense(2, 3, new Activation.Gelu(), rng), new Dense(3, 1, new Activation.Sigmoid(), rng));
        assertThat(FusedDenseStep.tryCreate(gelu, new Loss.BinaryCrossEntropy())).as("gelu hidden").isEmpty();
        Sequential dropout = new Sequential(new Dense(2, 3, new Activation.Relu(), rng), new Dropout(0.5f, rng),
                new Dense(3, 1, new Activation.Sigmoid(), rng));
        assertThat(FusedDenseStep.tryCreate(dropout, new Loss.BinaryCrossEntropy())).as("dropout").isEmpty();
    }

    @Test
    void wrongShapesAreRejectedNamingThem() {
        SplittableRandom rng = new SplittableRandom(1);
        Sequential net = network(new Activation.Relu(), new Activation.Sigmoid(), 1, 1);
        FusedDenseStep step = FusedDenseStep.tryCreate(net, new Loss.BinaryCrossEntropy()).orElseThrow();
        assertThatThrownBy(() -> step.lossAndGradients(Tensor.zeros(4, 3), Tensor.zeros(4, 1)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("[4, 3]").hasMessageContaining("5");
        assertThatThrownBy(() -> step.lossAndGradients(Tensor.zeros(4, 5), Tensor.zeros(3, 1)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("[3, 1]").hasMessageContaining("[4, 1]");
        Sequential ce = network(new Activation.Relu(), new Activation.Softmax(), 3, 1);
        FusedDenseStep ceStep = FusedDenseStep.tryCreate(ce, new Loss.CrossEntropy()).orElseThrow();
        assertThatThrownBy(() -> ceStep.lossAndGradients(Tensor.zeros(2, 5), Tensor.of(new float[]{0, 3}, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
    }

    @Test
    void trainingWithAndWithoutTheFusedStepEndsAtTheSameWeights() {
        SplittableRandom rng = new SplittableRandom(3);
        Dataset data = new Dataset(inputs(200, rng), targets("index", 200, 4, rng));
        float[][] ends = new float[2][];
        for (int run = 0; run < 2; run++) {
            Sequential net = network(new Activation.Relu(), new Activation.Softmax(), 4, 21);
            Trainer t = new Trainer(net, new Loss.CrossEntropy(), new Adam(net.parameters(), 0.01f), new TrainOptions(5, 16, true, 4))
                    .setFusedKernels(run == 0);
            t.fit(data, null);
            ends[run] = net.parameters().getFirst().data().clone();
        }
        for (int i = 0; i < ends[0].length; i++) {
            assertThat(ends[0][i]).as("weight %d", i).isCloseTo(ends[1][i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
