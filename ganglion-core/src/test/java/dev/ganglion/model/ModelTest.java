package dev.ganglion.model;

import dev.ganglion.data.Scaler;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.BatchNorm1d;
import dev.ganglion.nn.Dropout;
import dev.ganglion.nn.LayerNorm;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Initializer;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.ShapeException;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelTest {

    private static Model fontModel(Scaler scaler) {
        return new Model(List.of("r", "g", "b"), LayerSpec.parseList("3:relu,1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), scaler, "font", List.of("dark", "light"), 7);
    }

    @Test
    void parsesLayerLists() {
        List<LayerSpec> layers = LayerSpec.parseList(" 4:leaky_relu(0.2), 8 ,2:softmax", null);
        assertThat(layers).hasSize(3);
        assertThat(layers.get(0).units()).isEqualTo(4);
        assertThat(layers.get(0).activation()).isEqualTo(new Activation.LeakyRelu(0.2f));
        assertThat(layers.get(0).init()).isInstanceOf(Initializer.HeUniform.class);
        assertThat(layers.get(1).activation()).as("no activation is linear").isEqualTo(new Activation.Linear());
        assertThat(layers.get(2).init()).isInstanceOf(Initializer.XavierUniform.class);
        assertThat(layers.toString()).isEqualTo("[4:leaky_relu(0.2), 8:linear, 2:softmax]");
        assertThat(LayerSpec.parseList("3:relu", new Initializer.Constant(1f)).getFirst().init()).isEqualTo(new Initializer.Constant(1f));
    }

    @Test
    void badLayerListsSayWhatIsWrong() {
        assertThatThrownBy(() -> LayerSpec.parseList("", null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> LayerSpec.parseList("relu:3", null)).hasMessageContaining("\"relu\" is not a number of units");
        assertThatThrownBy(() -> LayerSpec.parseList("3:rleu", null)).hasMessageContaining("unknown activation \"rleu\"");
        assertThatThrownBy(() -> LayerSpec.parseList("0:relu", null)).hasMessageContaining("units must be > 0");
    }

    @Test
    void buildsTheNetworkLayerByLayer() {
        Model m = fontModel(new Scaler.Divide(255f));
        assertThat(m.inputCount()).isEqualTo(3);
        assertThat(m.outputCount()).isEqualTo(1);
        assertThat(m.network().layers()).hasSize(2);
        Dense first = (Dense) m.network().layers().getFirst();
        assertThat(first.inFeatures()).isEqualTo(3);
        assertThat(first.units()).isEqualTo(3);
        assertThat(m.network().parameterCount()).isEqualTo(3 * 3 + 3 + 3 + 1);
        assertThat(m.describe()).isEqualTo("3 -> 3:relu -> 1:sigmoid (bce)");
        assertThat(m.isClassifier()).isTrue();
        assertThat(m.labelName()).isEqualTo("font");
        // the same seed builds the same weights
        assertThat(fontModel(new Scaler.None()).network().parameters().getFirst().data()).containsExactly(first.weight().data());
    }

    @Test
    void predictScalesRawInputsAndRecordsNoGraph() {
        Model m = fontModel(new Scaler.Divide(255f));
        Tensor raw = Tensor.of(new float[][]{{255, 0, 0}, {0, 0, 255}});
        Tensor p = m.predict(raw);
        assertThat(p.requiresGrad()).isFalse();
        assertThat(p.data()).containsExactly(m.network().forward(raw.div(255f)).data());
        assertThat(m.classify(Tensor.of(new float[]{0.2f, 0.5f, 0.9f}, 3, 1))).containsExactly(0, 1, 1);
        m.setScaler(new Scaler.None());
        assertThat(m.predict(raw).data()).containsExactly(m.network().forward(raw).data());
    }

    @Test
    void classifyUsesArgmaxForSeveralOutputsAndZeroForLogits() {
        Model softmax = new Model(List.of("a", "b"), LayerSpec.parseList("3:softmax", null), new Loss.CrossEntropy(),
                new Scaler.None(), "y", List.of("x", "y", "z"), 1);
        assertThat(softmax.classify(Tensor.of(new float[][]{{0.1f, 0.7f, 0.2f}, {0.5f, 0.1f, 0.4f}}))).containsExactly(1, 0);
        Model logits = new Model(List.of("a"), LayerSpec.parseList("1", null), new Loss.BinaryCrossEntropyWithLogits(),
                new Scaler.None(), "y", List.of("no", "yes"), 1);
        assertThat(logits.classify(Tensor.of(new float[]{-0.1f, 0f, 2f}, 3, 1))).containsExactly(0, 1, 1);
        Model regression = new Model(List.of("a"), LayerSpec.parseList("1", null), new Loss.MeanSquaredError(),
                new Scaler.None(), "y", List.of(), 1);
        assertThat(regression.isClassifier()).isFalse();
        assertThat(regression.classify(Tensor.ones(2, 1))).isEmpty();
    }

    @Test
    void inputsOfTheWrongWidthNameTheInputs() {
        Model m = fontModel(new Scaler.None());
        assertThatThrownBy(() -> m.predict(Tensor.zeros(2, 4)))
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("3 inputs [r, g, b]")
                .hasMessageContaining("[2, 4]");
    }

    @Test
    void rejectsEmptyArchitectures() {
        assertThatThrownBy(() -> new Model(List.of(), LayerSpec.parseList("1", null), new Loss.MeanSquaredError(), new Scaler.None(), "y", List.of(), 1))
                .hasMessageContaining("at least one input");
        assertThatThrownBy(() -> new Model(List.of("a"), List.of(), new Loss.MeanSquaredError(), new Scaler.None(), "y", List.of(), 1))
                .hasMessageContaining("at least one layer");
    }

    @Test
    void layerListsMayHoldDropoutAndNormalisationLayers() {
        List<Layer> layers = Layer.parseList("8:relu, dropout(0.2), batchnorm,4:tanh,layer_norm,Dropout,2:softmax", null);
        assertThat(layers).containsExactly(new LayerSpec(8, new Activation.Relu()), new Layer.Dropout(0.2f), new Layer.BatchNorm(),
                new LayerSpec(4, new Activation.Tanh()), new Layer.LayerNorm(), new Layer.Dropout(0.5f), new LayerSpec(2, new Activation.Softmax()));
        assertThat(layers.toString()).isEqualTo("[8:relu, dropout(0.2), batchnorm, 4:tanh, layernorm, dropout(0.5), 2:softmax]");
        assertThatThrownBy(() -> Layer.parseList("4,dropout(x)", null)).hasMessageContaining("\"x\" is not a dropout rate");
        assertThatThrownBy(() -> Layer.parseList("4,dropout(1)", null)).hasMessageContaining("rate must be in [0, 1)");
        assertThatThrownBy(() -> Layer.parseList("4,batchnorm(3)", null)).hasMessageContaining("takes no parameter");
        assertThatThrownBy(() -> LayerSpec.parseList("4:relu,dropout(0.2),1", null))
                .hasMessageContaining("\"dropout(0.2)\": only dense layers");
    }

    @Test
    void buildsDropoutAndNormalisationModulesOfTheRightWidth() {
        Model m = new Model(List.of("a", "b", "c"), Layer.parseList("batchnorm,8:relu,dropout(0.25),layernorm,2:softmax", null),
                new Loss.CrossEntropy(), new Scaler.None(), "y", List.of("x", "y"), 3);
        assertThat(m.network().layers()).hasSize(5);
        assertThat(((BatchNorm1d) m.network().layers().get(0)).features()).isEqualTo(3);
        assertThat(((Dropout) m.network().layers().get(2)).rate()).isEqualTo(0.25f);
        assertThat(((LayerNorm) m.network().layers().get(3)).features()).isEqualTo(8);
        assertThat(m.outputCount()).isEqualTo(2);
        assertThat(m.describe()).isEqualTo("3 -> batchnorm -> 8:relu -> dropout(0.25) -> layernorm -> 2:softmax (ce)");
        assertThat(m.architecture()).hasSize(5);
        assertThat(m.isDenseOnly()).isFalse();
        assertThatThrownBy(m::layers).isInstanceOf(IllegalStateException.class).hasMessageContaining("architecture()");
        assertThat(m.network().namedBuffers()).containsOnlyKeys("layers.0.running_mean", "layers.0.running_var");
        assertThatThrownBy(() -> new Model(List.of("a"), Layer.parseList("2:relu,dropout(0.1)", null), new Loss.MeanSquaredError(),
                new Scaler.None(), "y", List.of(), 1)).hasMessageContaining("last layer must be fully-connected");
    }

    @Test
    void predictionIsInEvaluationModeAndLeavesTheModeAlone() {
        Model m = new Model(List.of("a", "b"), Layer.parseList("16:relu,dropout(0.5),batchnorm,1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.None(), "y", List.of("no", "yes"), 5);
        Tensor x = Tensor.of(new float[][]{{0.1f, 0.9f}, {0.5f, -0.3f}});
        m.network().train(true);
        Tensor p = m.predict(x);
        assertThat(m.predict(x).data()).as("no dropout, running statistics: the same every time").containsExactly(p.data());
        assertThat(m.network().isTraining()).isTrue();
        assertThat(m.predict(x.slice(0, 1)).data()[0]).as("a single row works in evaluation mode").isCloseTo(p.data()[0], org.assertj.core.api.Assertions.within(1e-6f));
        m.network().train(false);
        assertThat(m.network().forward(x).data()).containsExactly(p.data());
    }

    @Test
    void denseOnlyModelsAreBuiltAsBefore() {
        Model plain = fontModel(new Scaler.None());
        Model viaLayers = new Model(List.of("r", "g", "b"), Layer.parseList("3:relu,1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.None(), "font", List.of("dark", "light"), 7);
        assertThat(viaLayers.isDenseOnly()).isTrue();
        assertThat(viaLayers.layers()).isEqualTo(plain.layers());
        plain.network().namedParameters().forEach((k, v) ->
                assertThat(viaLayers.network().namedParameters().get(k).data()).as(k).containsExactly(v.data()));
    }
}
