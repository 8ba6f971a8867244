package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActivationTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "linear|linear", "identity|linear", "none|linear",
            "step|step", "heaviside|step",
            "sigmoid|sigmoid", "logistic|sigmoid",
            "tanh|tanh",
            "relu|relu",
            "leaky_relu|leaky_relu", "leakyrelu|leaky_relu", "leaky-relu|leaky_relu", "leaky_relu(0.2)|leaky_relu(0.2)",
            "leaky_relu(0.01)|leaky_relu", "leaky_relu(1e-3)|leaky_relu(0.001)", "leaky_relu(0)|leaky_relu(0.0)",
            "softmax|softmax",
            "gelu|gelu",
            "elu|elu", "elu(0.5)|elu(0.5)", "elu(1)|elu",
            "silu|silu", "swish|silu",
            "softplus|softplus",
            "  ReLU  |relu", "SIGMOID|sigmoid", "Leaky_ReLU( 0.2 )|leaky_relu(0.2)"})
    void parsesEveryDocumentedNameAndAlias(String text, String canonical) {
        Activation a = Activation.parse(text);
        assertThat(a.name()).isEqualTo(canonical);
        assertThat(Activation.parse(a.name())).as("the canonical name parses back").isEqualTo(a);
    }

    @Test
    void everyNameInTheHelpTextParses() {
        for (String name : Activation.NAMES.split(",\\s*")) {
            String concrete = name.replace("SLOPE", "0.1").replace("ALPHA", "2");
            assertThat(Activation.parse(concrete)).as(concrete).isNotNull();
        }
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThatThrownBy(() -> Activation.parse("relux"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown activation \"relux\"")
                .hasMessageContaining(Activation.NAMES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu(0.2)", "sigmoid(1)"})
    void parametersOnlyWhereTheyExist(String text) {
        assertThatThrownBy(() -> Activation.parse(text)).hasMessageContaining("takes no parameter").hasMessageContaining(text);
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> Activation.parse("leaky_relu(abc)")).hasMessageContaining("\"abc\" is not a number");
        assertThatThrownBy(() -> Activation.parse("leaky_relu(1.5)")).hasMessageContaining("slope").hasMessageContaining("1.5");
        assertThatThrownBy(() -> Activation.parse("elu(0)")).hasMessageContaining("alpha").hasMessageContaining("0");
        assertThatThrownBy(() -> new Activation.LeakyRelu(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachActivationAppliesItsFunction() {
        Tensor z = Tensor.of(new float[]{-2f, 0f, 1f}, 1, 3);
        assertThat(new Activation.Linear().apply(z)).isSameAs(z);
        assertThat(new Activation.Step().apply(z).data()).containsExactly(0f, 1f, 1f);
        assertThat(new Activation.Relu().apply(z).data()).containsExactly(0f, 0f, 1f);
        assertThat(new Activation.LeakyRelu(0.5f).apply(z).data()).containsExactly(-1f, 0f, 1f);
        assertThat(new Activation.Sigmoid().apply(z).data()[1]).isEqualTo(0.5f);
        assertThat(new Activation.Tanh().apply(z).data()[1]).isEqualTo(0f);
        float[] p = new Activation.Softmax().apply(z).data();
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(new Activation.Gelu().apply(z).data()[2]).isCloseTo(0.8413447f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(new Activation.Elu(1f).apply(z).data()[0]).isCloseTo((float) Math.expm1(-2), org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(new Activation.Silu().apply(z).data()[2]).isCloseTo(0.7310586f, org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(new Activation.Softplus().apply(z).data()[1]).isCloseTo((float) Math.log(2), org.assertj.core.api.Assertions.within(1e-6f));
        assertThat(Arrays.toString(z.data())).as("inputs unchanged").isEqualTo("[-2.0, 0.0, 1.0]");
    }
}
