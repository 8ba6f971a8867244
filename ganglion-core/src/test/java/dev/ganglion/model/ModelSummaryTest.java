package dev.ganglion.model;

import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Imputer;
import dev.ganglion.data.Scaler;
import dev.ganglion.nn.Loss;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Model.summary(): shapes and parameter counts against the arithmetic of the layer sizes. */
class ModelSummaryTest {

    @Test
    void denseLayersCountWeightsAndBiases() {
        Model m = new Model(List.of("a", "b", "c", "d", "e"), Layer.parseList("7:relu,4:tanh,2:softmax", null),
                new Loss.CrossEntropy(), new Scaler.Divide(10f), "y", List.of("no", "yes"), 1);
        ModelSummary s = m.summary();
        assertThat(s.inputWidth()).isEqualTo(5);
        assertThat(s.rows()).extracting(ModelSummary.Row::units).containsExactly(7, 4, 2);
        assertThat(s.rows()).extracting(ModelSummary.Row::activation).containsExactly("relu", "tanh", "softmax");
        long l0 = 5 * 7 + 7, l1 = 7 * 4 + 4, l2 = 4 * 2 + 2;
        assertThat(s.rows()).extracting(ModelSummary.Row::parameters).containsExactly(l0, l1, l2);
        assertThat(s.totalParameters()).isEqualTo(l0 + l1 + l2).isEqualTo(m.network().parameterCount());
        assertThat(s.trainableParameters()).isEqualTo(l0 + l1 + l2);
        assertThat(s.nonTrainableParameters()).isZero();
        String table = s.toString();
        assertThat(table).contains("layers.0 (Dense)").contains("[n, 7]").contains("Total params:         " + (l0 + l1 + l2))
                .contains("Trainable params:     " + (l0 + l1 + l2)).contains("Non-trainable params: 0")
                .contains("divide by 10.0").contains("y (classes no, yes)");
        // every row of the table lines up: the header and the layer rows have the same width
        List<String> rows = table.lines().filter(l -> l.startsWith("layers.") || l.startsWith("Layer (type)")).toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.stream().map(String::length).distinct()).hasSize(1);
    }

    @Test
    void normalisationLayersHaveTrainableAndNonTrainableParameters() {
        Map<String, List<String>> cats = new LinkedHashMap<>();
        cats.put("colour", List.of("blue", "green", "red"));
        FeatureEncoding enc = new FeatureEncoding(List.of("size", "colour"), cats, new Imputer(Imputer.Strategy.MEDIAN, new float[]{1, 0}));
        Model m = new Model(enc, Layer.parseList("16:relu,batchnorm,dropout(0.25),8:gelu,layernorm,1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.Standard(new float[]{0}, new float[]{1}), List.of("bought"), List.of("0", "1"), List.of(), 3);
        ModelSummary s = m.summary();
        int in = 1 + 3;                                    // size, plus colour one-hot into 3
        assertThat(s.inputWidth()).isEqualTo(in);
        assertThat(s.rows()).extracting(ModelSummary.Row::type)
                .containsExactly("Dense", "BatchNorm1d", "Dropout 0.25", "Dense", "LayerNorm", "Dense");
        assertThat(s.rows()).extracting(ModelSummary.Row::units).containsExactly(16, 16, 16, 8, 8, 1);
        assertThat(s.rows()).extracting(ModelSummary.Row::trainable)
                .containsExactly((long) in * 16 + 16, 2L * 16, 0L, 16L * 8 + 8, 2L * 8, 8L + 1);
        assertThat(s.rows()).extracting(ModelSummary.Row::nonTrainable).containsExactly(0L, 2L * 16, 0L, 0L, 0L, 0L);
        long trainable = in * 16 + 16 + 32 + 16 * 8 + 8 + 16 + 9;
        assertThat(s.trainableParameters()).isEqualTo(trainable).isEqualTo(m.network().parameterCount());
        assertThat(s.totalParameters()).isEqualTo(trainable + 32);
        assertThat(s.toString()).contains("one-hot").contains("colour -> 3 inputs (blue, green, red)")
                .contains("imputation  median").contains("standard (mean, std), fitted on 1 numeric column");
    }
}
