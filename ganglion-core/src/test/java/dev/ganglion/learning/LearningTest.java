package dev.ganglion.learning;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FontColors;
import dev.ganglion.data.Scaler;
import dev.ganglion.data.Split;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Adam;
import dev.ganglion.tensor.Tensor;
import dev.ganglion.train.History;
import dev.ganglion.train.TrainOptions;
import dev.ganglion.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end learning checks: real training runs that fail if the maths or the loop is wrong.
 * Every run is seeded and bit-for-bit reproducible.
 */
class LearningTest {

    @Test
    void xorIsLearnedByA241Network() {
        Dataset xor = new Dataset(Tensor.of(new float[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}}), Tensor.of(new float[]{0, 1, 1, 0}, 4, 1));
        SplittableRandom rng = new SplittableRandom(7);
        Sequential net = new Sequential(new Dense(2, 4, new Activation.Tanh(), rng), new Dense(4, 1, new Activation.Sigmoid(), rng));
        double before = Trainer.evaluate(net, new Loss.BinaryCrossEntropy(), xor).loss();
        // full batch, Adam 0.05, 200 epochs: 97 of seeds 0..99 reach 100 % (XOR has poor local minima)
        History h = new Trainer(net, new Loss.BinaryCrossEntropy(), new Adam(net.parameters(), 0.05f), new TrainOptions(200, 0, false, 7))
                .fit(xor, null);
        assertThat(h.last().trainAccuracy()).isEqualTo(1.0);
        assertThat(h.last().trainLoss()).isLessThan(0.1).isLessThan(before / 5);
        Tensor p = net.forward(xor.features());
        assertThat(p.data()[0]).isLessThan(0.5f);
        assertThat(p.data()[1]).isGreaterThan(0.5f);
        assertThat(p.data()[2]).isGreaterThan(0.5f);
        assertThat(p.data()[3]).isLessThan(0.5f);
    }

    /** The RGB font example: 3 inputs, 3 ReLU units, one sigmoid output, binary cross-entropy. */
    record FontRun(double untrainedAccuracy, double majorityShare, double testAccuracy, Model model) {
    }

    /**
     * 1500 random colours labelled by {@code rule}, a stratified 2/3 : 1/3 split, the given scaling
     * (fitted on the training part), then Adam ({@code lr}) for {@code epochs} epochs of shuffled
     * mini-batches of 32.
     */
    static FontRun trainFontModel(FontColors.Rule rule, long seed, int epochs, float lr, boolean standardise) {
        Dataset data = FontColors.generate(1500, seed, rule);
        Split.TrainTest split = Split.trainTest(data, 1.0 / 3, seed, true);
        Scaler scaler = standardise ? Scaler.fitStandard(split.train().features()) : new Scaler.Divide(255f);
        Model model = new Model(List.of("r", "g", "b"),
                List.of(new LayerSpec(3, new Activation.Relu()), new LayerSpec(1, new Activation.Sigmoid())),
                new Loss.BinaryCrossEntropy(), scaler, "font", List.of("dark", "light"), seed);
        Dataset train = split.train().withFeatures(model.scale(split.train().features()));
        Dataset test = split.test().withFeatures(model.scale(split.test().features()));
        double ones = 0;
        for (float v : test.targets().data()) ones += v;
        double majority = Math.max(ones, test.size() - ones) / test.size();
        double untrained = Trainer.evaluate(model.network(), model.loss(), test).accuracy();
        new Trainer(model.network(), model.loss(), new Adam(model.network().parameters(), lr), new TrainOptions(epochs, 32, true, seed))
                .fit(train, null);
        double accuracy = Trainer.evaluate(model.network(), model.loss(), test).accuracy();
        return new FontRun(untrained, majority, accuracy, model);
    }

    private static void assertLearned(FontRun run) {
        assertThat(run.testAccuracy()).isGreaterThanOrEqualTo(0.97);
        assertThat(run.untrainedAccuracy()).as("untrained accuracy").isLessThan(run.testAccuracy() - 0.15);
        // the trained model answers the textbook colours, given raw 0..255 values
        Tensor colours = Tensor.of(new float[][]{{0, 0, 0}, {255, 255, 255}, {255, 255, 0}, {0, 0, 255}});
        assertThat(run.model().classify(run.model().predict(colours))).containsExactly(1, 0, 0, 1);
    }

    /**
     * The classic form, as the demo runs it: colours labelled by luma, RGB / 255, Adam lr 0.02 for
     * 100 epochs. Its boundary is a plane; every seed tried (1-10 and 42) reaches 97 % (0.982-1.0).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 42})
    void theRgbFontExampleScaledBy255Reaches97Percent(long seed) {
        FontRun run = trainFontModel(FontColors.Rule.LUMA, seed, 100, 0.02f, false);
        assertLearned(run);
        // untrained, the network is about as good as always answering one class
        assertThat(Math.abs(run.untrainedAccuracy() - run.majorityShare())).isLessThan(0.35);
    }

    /**
     * The WCAG rule has a curved boundary. With RGB / 255 and zero initial biases every ReLU
     * unit's kink starts at the black corner of the colour cube, and only about 40 % of seeds
     * (22-26 of 60, for any learning rate, epochs or batch size tried) reach 97 %; the rest settle
     * on the near-linear solution (about 93 %). Standardising the inputs fixes it: 53-55 of 60
     * seeds pass, seeds 1-3 under every shuffling order tried.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void theWcagFontRuleWithStandardisedInputsReaches97Percent(long seed) {
        assertLearned(trainFontModel(FontColors.Rule.WCAG, seed, 100, 0.02f, true));
    }

    @Test
    void trainingIsBitForBitReproducible() {
        Model a = trainFontModel(FontColors.Rule.LUMA, 5, 5, 0.05f, true).model(), b = trainFontModel(FontColors.Rule.LUMA, 5, 5, 0.05f, true).model(),
                other = trainFontModel(FontColors.Rule.LUMA, 6, 5, 0.05f, true).model();
        List<Tensor> pa = a.network().parameters(), pb = b.network().parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertThat(java.util.Arrays.equals(pa.get(i).data(), pb.get(i).data())).as("parameter " + i).isTrue();
        }
        assertThat(java.util.Arrays.equals(pa.getFirst().data(), other.network().parameters().getFirst().data())).isFalse();
    }
}
