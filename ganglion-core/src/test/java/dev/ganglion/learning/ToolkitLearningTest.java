package dev.ganglion.learning;

import dev.ganglion.data.Dataset;
import dev.ganglion.data.FontColors;
import dev.ganglion.data.Scaler;
import dev.ganglion.data.Split;
import dev.ganglion.model.Layer;
import dev.ganglion.model.Model;
import dev.ganglion.nn.Loss;
import dev.ganglion.optim.AdamW;
import dev.ganglion.optim.GradientClipping;
import dev.ganglion.optim.ParameterGroup;
import dev.ganglion.optim.schedule.CosineAnnealing;
import dev.ganglion.train.EarlyStopping;
import dev.ganglion.train.History;
import dev.ganglion.train.Monitor;
import dev.ganglion.train.TrainOptions;
import dev.ganglion.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The training toolkit together, on the curved WCAG font rule: batch normalisation and dropout
 * in the network, AdamW without weight decay on biases and normalisation parameters, cosine
 * annealing with warm-up per batch, gradient clipping, and early stopping with the best weights
 * restored.
 */
class ToolkitLearningTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void aRegularisedNormalisedNetworkLearnsTheCurvedFontRule(long seed) {
        Dataset data = FontColors.generate(1200, seed, FontColors.Rule.WCAG);
        Split.TrainTest split = Split.trainTest(data, 1.0 / 3, seed, true);
        Model model = new Model(List.of("r", "g", "b"), Layer.parseList("16:relu,batchnorm,dropout(0.1),1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.Divide(255f), "font", List.of("dark", "light"), seed);
        Dataset train = model.scale(split.train()), test = model.scale(split.test());
        int epochs = 30;
        AdamW optimizer = new AdamW(ParameterGroup.decayMatricesOnly(model.network().parameters()), 0.02f, 0.9f, 0.999f, 1e-8f, 1e-3f);
        EarlyStopping stop = new EarlyStopping(Monitor.VALIDATION_LOSS, 8);
        History h = new Trainer(model.network(), model.loss(), optimizer, new TrainOptions(epochs, 32, true, seed))
                .setSchedule(CosineAnnealing.perBatch(optimizer, epochs, 2, 0f))
                .setGradientClipping(new GradientClipping.ByNorm(5.0))
                .addListener(stop)
                .fit(train, test);
        double accuracy = Trainer.evaluate(model.network(), model.loss(), test).accuracy();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.96);
        assertThat(h.epochs().get(stop.bestEpoch() - 1).validationAccuracy()).isEqualTo(accuracy);
        // 800 samples: 25 batches per epoch, 50 warm-up steps; epoch 1 ends at step 25 of the ramp
        assertThat(h.epochs().getFirst().learningRate()).as("warm-up").isCloseTo(0.02 * 25 / 51, within(1e-8));
    }
}
