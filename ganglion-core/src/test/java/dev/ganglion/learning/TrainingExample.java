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

import java.util.List;

public class TrainingExample {
    public static void main(String[] args) {
        // colours labelled by the WCAG rule (a curved boundary); 2/3 train, 1/3 validation
        Dataset data = FontColors.generate(1500, 42, FontColors.Rule.WCAG);
        Split.TrainTest split = Split.trainTest(data, 1.0 / 3, 42, true);
        Model model = new Model(List.of("red", "green", "blue"),
                Layer.parseList("16:relu,batchnorm,dropout(0.1),1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.Divide(255f), "light_font", List.of("0", "1"), 42);
        Dataset train = model.scale(split.train());
        Dataset validation = model.scale(split.test());

        int epochs = 40;
        // weight decay 1e-3 on the weight matrices, none on biases and batch-norm scales and shifts
        AdamW optimizer = new AdamW(ParameterGroup.decayMatricesOnly(model.network().parameters()),
                0.02f, 0.9f, 0.999f, 1e-8f, 1e-3f);
        EarlyStopping stop = new EarlyStopping(Monitor.VALIDATION_LOSS, 8);
        History history = new Trainer(model.network(), model.loss(), optimizer, new TrainOptions(epochs, 32, true, 42))
                .setSchedule(CosineAnnealing.perBatch(optimizer, epochs, 2, 0f))   // 2 epochs of warm-up
                .setGradientClipping(new GradientClipping.ByNorm(5.0))
                .addListener(stop)
                .fit(train, validation);

        // early stopping has put back the weights of the best epoch
        System.out.printf("ran %d epochs, best epoch %d, validation accuracy %.4f%n", history.epochs().size(),
                stop.bestEpoch(), Trainer.evaluate(model.network(), model.loss(), validation).accuracy());
    }
}
