package dev.ganglion.nn;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registration, naming and loading, shared by every module. */
class ModuleTest {

    /** A module that registers whatever the test asks for. */
    static final class Bag extends Module {
        Tensor param(String name, Tensor t) {
            return registerParameter(name, t);
        }

        Tensor buffer(String name, Tensor t) {
            return registerBuffer(name, t);
        }

        <M extends Module> M child(String name, M m) {
            return registerModule(name, m);
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }
    }

    private static Sequential mlp() {
        SplittableRandom rng = new SplittableRandom(1);
        return new Sequential(new Dense(3, 4, new Activation.Relu(), rng), new Dense(4, 2, new Activation.Sigmoid(), rng));
    }

    @Test
    void sequentialNamesParametersByLayerIndex() {
        assertThat(mlp().namedParameters().keySet())
                .containsExactly("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias");
        assertThat(mlp().parameterCount()).isEqualTo(3 * 4 + 4 + 4 * 2 + 2);
    }

    @Test
    void nestedModulesGiveDottedPaths() {
        Bag outer = new Bag();
        outer.param("scale", Tensor.ones(1));
        Bag inner = outer.child("inner", new Bag());
        inner.param("w", Tensor.zeros(2, 2));
        assertThat(outer.namedParameters().keySet()).containsExactly("scale", "inner.w");
        assertThat(outer.parameterCount()).isEqualTo(5);
        assertThat(outer.namedParameters().get("inner.w").requiresGrad()).as("registration marks parameters").isTrue();
        assertThatThrownBy(() -> outer.namedParameters().put("x", Tensor.ones(1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsBadAndDuplicateNames() {
        Bag b = new Bag();
        b.param("w", Tensor.ones(1));
        assertThatThrownBy(() -> b.param("w", Tensor.ones(1))).hasMessageContaining("\"w\" is already registered");
        assertThatThrownBy(() -> b.child("w", new Bag())).hasMessageContaining("\"w\" is already registered");
        assertThatThrownBy(() -> b.param("a.b", Tensor.ones(1))).hasMessageContaining("'.'").hasMessageContaining("a.b");
        assertThatThrownBy(() -> b.param("", Tensor.ones(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> b.param(null, Tensor.ones(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loadParametersCopiesMatchingValues() {
        Sequential a = mlp(), b = new Sequential(new Dense(3, 4, new Activation.Relu(), new SplittableRandom(9)),
                new Dense(4, 2, new Activation.Sigmoid(), new SplittableRandom(9)));
        b.loadParameters(a.namedParameters());
        a.namedParameters().forEach((k, v) -> {
            assertThat(b.namedParameters().get(k).data()).containsExactly(v.data());
            assertThat(b.namedParameters().get(k).data()).isNotSameAs(v.data());
        });
    }

    @Test
    void loadParametersReportsEveryMissingUnexpectedAndMisShapedNameAtOnce() {
        Sequential m = mlp();
        Map<String, Tensor> values = new LinkedHashMap<>(m.namedParameters());
        values.remove("layers.0.bias");
        values.put("layers.1.weight", Tensor.zeros(4, 2));
        values.put("layers.2.weight", Tensor.zeros(1));
        float before = m.namedParameters().get("layers.0.weight").data()[0];
        values.put("layers.0.weight", Tensor.full(42f, 4, 3));
        assertThatThrownBy(() -> m.loadParameters(values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing \"layers.0.bias\" [4]")
                .hasMessageContaining("\"layers.1.weight\" has shape [4, 2], the model expects [2, 4]")
                .hasMessageContaining("unexpected \"layers.2.weight\"");
        assertThat(m.namedParameters().get("layers.0.weight").data()[0]).as("nothing is loaded when anything is wrong").isEqualTo(before);
    }

    @Test
    void buffersAreNamedLikeParametersButKeptApart() {
        Bag outer = new Bag();
        outer.param("w", Tensor.ones(2));
        outer.buffer("count", Tensor.zeros(1));
        Bag inner = outer.child("inner", new Bag());
        inner.buffer("stats", Tensor.zeros(3));
        assertThat(outer.namedParameters().keySet()).containsExactly("w");
        assertThat(outer.namedBuffers().keySet()).containsExactly("count", "inner.stats");
        assertThat(outer.stateDict().keySet()).containsExactly("w", "count", "inner.stats");
        assertThat(outer.parameterCount()).as("buffers are not trainable").isEqualTo(2);
        assertThat(outer.namedBuffers().get("count").requiresGrad()).isFalse();
        assertThatThrownBy(() -> outer.buffer("w", Tensor.zeros(1))).hasMessageContaining("\"w\" is already registered");
        assertThatThrownBy(() -> outer.param("count", Tensor.zeros(1))).hasMessageContaining("\"count\" is already registered");
        Tensor computed = Tensor.ones(1).requiresGrad(true).mul(2f);
        assertThatThrownBy(() -> outer.buffer("c", computed)).hasMessageContaining("leaf");
    }

    @Test
    void loadStateDictCopiesParametersAndBuffers() {
        Bag b = new Bag();
        Tensor w = b.param("w", Tensor.ones(2)), s = b.buffer("s", Tensor.zeros(2));
        b.loadStateDict(Map.of("w", Tensor.full(3f, 2), "s", Tensor.full(4f, 2)));
        assertThat(w.data()).containsExactly(3f, 3f);
        assertThat(s.data()).containsExactly(4f, 4f);
        assertThatThrownBy(() -> b.loadStateDict(Map.of("w", Tensor.ones(2))))
                .hasMessageContaining("state do not fit the model").hasMessageContaining("missing \"s\" [2]");
        assertThatThrownBy(() -> b.loadParameters(Map.of("w", Tensor.ones(2), "s", Tensor.ones(2))))
                .hasMessageContaining("unexpected \"s\"");
    }
}
