package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class InitializerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "rand|rand", "uniform01|rand", "uniform(0,1)|rand",
            "uniform(-0.5,0.5)|uniform(-0.5,0.5)", "uniform(-1, 2)|uniform(-1.0,2.0)", "uniform(1e-3,2e-3)|uniform(0.001,0.002)",
            "normal(0,0.1)|normal(0.0,0.1)", "normal(-1,2)|normal(-1.0,2.0)",
            "xavier_uniform|xavier_uniform", "glorot_uniform|xavier_uniform", "xavier|xavier_uniform", "glorot|xavier_uniform",
            "Xavier-Uniform|xavier_uniform",
            "xavier_normal|xavier_normal", "glorot_normal|xavier_normal",
            "he_uniform|he_uniform", "kaiming_uniform|he_uniform", "he|he_uniform", "kaiming|he_uniform",
            "he_normal|he_normal", "kaiming_normal|he_normal",
            "zeros|zeros", "zero|zeros", "constant(0)|zeros", "constant(0.5)|constant(0.5)", "constant(-2)|constant(-2.0)"})
    void parsesEveryDocumentedNameAndAlias(String text, String canonical) {
        Initializer init = Initializer.parse(text);
        assertThat(init.name()).isEqualTo(canonical);
        assertThat(Initializer.parse(init.name())).as("the canonical name parses back").isEqualTo(init);
    }

    @Test
    void everyNameInTheHelpTextParses() {
        for (String name : Initializer.NAMES.split(",\\s(?![^(]*\\))")) {
            String concrete = name.replace("LOW,HIGH", "-1,1").replace("MEAN,STD", "0,1").replace("(V)", "(2)");
            assertThat(Initializer.parse(concrete)).as(concrete).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"glorot_unifrom", "uniform", "uniform(1)", "normal(0)", "constant", "constant(1,2)"})
    void unknownOrIncompleteNamesListTheKnownOnes(String text) {
        assertThatThrownBy(() -> Initializer.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"")
                .hasMessageContaining(Initializer.NAMES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"he_normal(2)", "zeros(1)", "rand(3)"})
    void parametersOnlyWhereTheyExist(String text) {
        assertThatThrownBy(() -> Initializer.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no parameter").hasMessageContaining(text);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Initializer.parse("uniform(a,1)")).hasMessageContaining("\"a\" is not a number");
        assertThatThrownBy(() -> Initializer.parse("uniform(1,1)")).hasMessageContaining("low < high");
        assertThatThrownBy(() -> Initializer.parse("normal(0,-1)")).hasMessageContaining("std").hasMessageContaining("-1");
    }

    /** Mean and population standard deviation. */
    private static double[] stats(Tensor t) {
        double s = 0, ss = 0;
        for (float v : t.data()) {
            s += v;
            ss += (double) v * v;
        }
        double mean = s / t.size();
        return new double[]{mean, Math.sqrt(ss / t.size() - mean * mean)};
    }

    private static final int FAN_IN = 200, FAN_OUT = 100;

    private static Tensor draw(Initializer init, long seed) {
        return init.create(new SplittableRandom(seed), FAN_IN, FAN_OUT, FAN_OUT, FAN_IN);
    }

    @Test
    void uniformSchemesStayInsideTheirBoundsWithTheMatchingSpread() {
        double he = Math.sqrt(6.0 / FAN_IN), xavier = Math.sqrt(6.0 / (FAN_IN + FAN_OUT));
        for (var c : new Object[][]{{new Initializer.HeUniform(), he}, {new Initializer.XavierUniform(), xavier}}) {
            Tensor t = draw((Initializer) c[0], 1);
            double limit = (double) c[1];
            for (float v : t.data()) assertThat((double) Math.abs(v)).isLessThanOrEqualTo(limit);
            double[] st = stats(t);
            assertThat(st[0]).as("mean of " + c[0]).isCloseTo(0, within(0.02 * limit));
            // uniform on ±L has std L/√3; 20000 draws pin it to well under 2 %
            assertThat(st[1]).as("std of " + c[0]).isCloseTo(limit / Math.sqrt(3), within(0.02 * limit / Math.sqrt(3)));
            double max = 0;
            for (float v : t.data()) max = Math.max(max, Math.abs(v));
            assertThat(max).as("the bound is reached").isGreaterThan(0.99 * limit);
        }
    }

    @Test
    void normalSchemesHaveTheRightStandardDeviation() {
        assertThat(stats(draw(new Initializer.HeNormal(), 2))[1]).isCloseTo(Math.sqrt(2.0 / FAN_IN), within(0.02 * Math.sqrt(2.0 / FAN_IN)));
        assertThat(stats(draw(new Initializer.XavierNormal(), 3))[1]).isCloseTo(Math.sqrt(2.0 / (FAN_IN + FAN_OUT)), within(0.02 * Math.sqrt(2.0 / (FAN_IN + FAN_OUT))));
        double[] n = stats(draw(new Initializer.Normal(3f, 0.5f), 4));
        assertThat(n[0]).isCloseTo(3, within(0.02));
        assertThat(n[1]).isCloseTo(0.5, within(0.01));
        double[] u = stats(draw(new Initializer.Uniform(0f, 1f), 5));
        assertThat(u[0]).isCloseTo(0.5, within(0.01));
        for (float v : draw(new Initializer.Uniform(0f, 1f), 5).data()) assertThat(v).isBetween(0f, 1f);
        assertThat(draw(new Initializer.Constant(0.25f), 6).data()).containsOnly(0.25f);
    }

    @Test
    void theSameSeedGivesTheSameValuesAndAnotherSeedOthers() {
        for (Initializer init : new Initializer[]{new Initializer.HeUniform(), new Initializer.HeNormal(), new Initializer.XavierUniform(),
                new Initializer.XavierNormal(), new Initializer.Uniform(-1, 1), new Initializer.Normal(0, 1)}) {
            assertThat(draw(init, 7).data()).as(init.name()).containsExactly(draw(init, 7).data());
            assertThat(draw(init, 7).data()).as(init.name()).isNotEqualTo(draw(init, 8).data());
        }
    }

    @Test
    void createsTheRequestedShape() {
        Tensor t = new Initializer.HeUniform().create(new SplittableRandom(1), 3, 4, 4, 3);
        assertThat(t.shape().dims()).containsExactly(4, 3);
    }

    @Test
    void defaultsFollowTheActivation() {
        assertThat(Initializer.defaultFor(new Activation.Relu())).isInstanceOf(Initializer.HeUniform.class);
        assertThat(Initializer.defaultFor(new Activation.LeakyRelu(0.1f))).isInstanceOf(Initializer.HeUniform.class);
        assertThat(Initializer.defaultFor(new Activation.Gelu())).isInstanceOf(Initializer.HeUniform.class);
        assertThat(Initializer.defaultFor(new Activation.Sigmoid())).isInstanceOf(Initializer.XavierUniform.class);
        assertThat(Initializer.defaultFor(new Activation.Tanh())).isInstanceOf(Initializer.XavierUniform.class);
        assertThat(Initializer.defaultFor(new Activation.Softmax())).isInstanceOf(Initializer.XavierUniform.class);
        assertThat(Initializer.defaultFor(new Activation.Linear())).isInstanceOf(Initializer.XavierUniform.class);
    }
}
