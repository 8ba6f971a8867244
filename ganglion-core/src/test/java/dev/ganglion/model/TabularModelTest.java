package dev.ganglion.model;

import dev.ganglion.data.FeatureEncoding;
import dev.ganglion.data.Imputer;
import dev.ganglion.data.Scaler;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Models with categorical inputs, imputation, several labels. */
class TabularModelTest {
    static final FeatureEncoding COLOUR_SIZE = new FeatureEncoding(List.of("colour", "size"),
            Map.of("colour", List.of("blue", "green", "red")), new Imputer(Imputer.Strategy.MEAN, new float[]{2, 10}));

    @Test
    void theNetworkTakesTheExpandedWidth() {
        Model m = new Model(COLOUR_SIZE, LayerSpec.parseList("4:relu,1:sigmoid", null), new Loss.BinaryCrossEntropy(),
                new Scaler.Divide(10f), List.of("bought"), List.of("0", "1"), List.of(), 3);
        assertThat(m.inputCount()).as("raw columns").isEqualTo(2);
        assertThat(m.inputNames()).containsExactly("colour", "size");
        assertThat(m.encodedInputNames()).containsExactly("colour=blue", "colour=green", "colour=red", "size");
        assertThat(((Dense) m.network().layers().getFirst()).inFeatures()).isEqualTo(4);
        assertThat(m.describe()).isEqualTo("4 -> 4:relu -> 1:sigmoid (bce)");
        assertThat(m.labelName()).isEqualTo("bought");
        // green, size 5 / missing colour and size: imputed to red and 10, then size scaled by 1/10
        Tensor raw = Tensor.of(new float[][]{{1, 5}, {Float.NaN, Float.NaN}});
        assertThat(m.scale(raw).toArray2d()).isDeepEqualTo(new float[][]{{0, 1, 0, 0.5f}, {0, 0, 1, 1}});
        assertThat(m.predict(raw).data()).containsExactly(m.network().forward(m.scale(raw)).data());
    }

    @Test
    void plainModelsScaleExactlyAsBefore() {
        Model m = new Model(List.of("a", "b"), LayerSpec.parseList("1", null), new Loss.MeanSquaredError(),
                new Scaler.Standard(new float[]{1, 2}, new float[]{2, 4}), "y", List.of(), 1);
        assertThat(m.encoding().isIdentity()).isTrue();
        assertThat(m.labelNames()).containsExactly("y");
        assertThat(m.scale(Tensor.of(new float[][]{{3, 6}})).toArray2d()).isDeepEqualTo(new float[][]{{1, 1}});
    }

    @Test
    void multiLabelModelsDecideEachLabel() {
        Model m = new Model(FeatureEncoding.numeric(List.of("x")), LayerSpec.parseList("3:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.None(), List.of("a", "b", "c"), List.of(),
                List.of(List.of("0", "1"), List.of("no", "yes"), List.of("0", "1")), 1);
        assertThat(m.isMultiLabel()).isTrue();
        assertThat(m.isClassifier()).as("not a single-label classifier").isFalse();
        assertThat(m.labelName()).isEqualTo("a,b,c");
        assertThat(m.decide(Tensor.of(new float[][]{{0.9f, 0.5f, 0.1f}, {0.2f, 0.49f, 1f}}))).containsExactly(1, 1, 0, 0, 0, 1);
        Model logits = new Model(FeatureEncoding.numeric(List.of("x")), LayerSpec.parseList("2", null),
                new Loss.BinaryCrossEntropyWithLogits(), new Scaler.None(), List.of("a", "b"), List.of(),
                List.of(List.of("0", "1"), List.of("0", "1")), 1);
        assertThat(logits.decide(Tensor.of(new float[][]{{0f, -0.1f}}))).containsExactly(1, 0);
        assertThat(logits.classify(Tensor.of(new float[][]{{0f, -0.1f}}))).isEmpty();
    }

    @Test
    void severalRegressionOutputsOnePerLabel() {
        Model m = new Model(FeatureEncoding.numeric(List.of("x")), LayerSpec.parseList("4:relu,2", null),
                new Loss.MeanSquaredError(), new Scaler.None(), List.of("y1", "y2"), List.of(), List.of(), 1);
        assertThat(m.isClassifier()).isFalse();
        assertThat(m.isMultiLabel()).isFalse();
        assertThat(m.decide(Tensor.zeros(1, 2))).isEmpty();
        assertThat(m.outputCount()).isEqualTo(2);
    }

    @Test
    void rejectsLabelsThatDoNotFitTheOutputs() {
        FeatureEncoding x = FeatureEncoding.numeric(List.of("x"));
        assertThatThrownBy(() -> new Model(x, LayerSpec.parseList("3", null), new Loss.MeanSquaredError(), new Scaler.None(),
                List.of("y1", "y2"), List.of(), List.of(), 1)).hasMessageContaining("need 2 outputs");
        assertThatThrownBy(() -> new Model(x, LayerSpec.parseList("2:sigmoid", null), new Loss.BinaryCrossEntropy(), new Scaler.None(),
                List.of("a", "b"), List.of(), List.of(List.of("0", "1")), 1)).hasMessageContaining("2 labels but 1 value pairs");
        assertThatThrownBy(() -> new Model(x, LayerSpec.parseList("2:sigmoid", null), new Loss.BinaryCrossEntropy(), new Scaler.None(),
                List.of("a", "b"), List.of(), List.of(List.of("0", "1"), List.of("1", "1")), 1)).hasMessageContaining("two distinct values");
        assertThatThrownBy(() -> new Model(x, LayerSpec.parseList("2:softmax", null), new Loss.CrossEntropy(), new Scaler.None(),
                List.of("a", "b"), List.of("p", "q"), List.of(), 1)).hasMessageContaining("cannot share one set of classes");
        assertThatThrownBy(() -> new Model(x, LayerSpec.parseList("1", null), new Loss.MeanSquaredError(), new Scaler.None(),
                List.of(), List.of(), List.of(), 1)).hasMessageContaining("at least one label");
    }
}
