package dev.ganglion.train;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import dev.ganglion.optim.Sgd;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerModeTest {
    @Test
    void aDivergedRunLeavesTheModelInEvaluationMode() {
        Sequential net = new Sequential(new Dense(1, 1, new Activation.Linear(), new SplittableRandom(1)));
        float[] x = new float[50], y = new float[50];
        for (int i = 0; i < 50; i++) {
            x[i] = i * 1000;
            y[i] = i * 5000;
        }
        Dataset data = new Dataset(Tensor.of(x, 50, 1), Tensor.of(y, 50, 1));
        Trainer trainer = new Trainer(net, new Loss.MeanSquaredError(), new Sgd(net.parameters(), 10f), new TrainOptions(50, 10, true, 1));
        assertThatThrownBy(() -> trainer.fit(data, null)).isInstanceOf(TrainingDivergedException.class);
        assertThat(net.isTraining()).isFalse();
    }
}
