package dev.ganglion.tensor;

import dev.ganglion.data.Dataset;
import dev.ganglion.nn.Activation;
import dev.ganglion.nn.Dense;
import dev.ganglion.nn.Loss;
import dev.ganglion.nn.Sequential;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Error cases, one row each: the operation must throw {@link ShapeException} and the message must
 * name the operation and every shape involved (STYLE §7), so a user can find the mistake.
 */
class ShapeErrorTest {

    record ErrorCase(String name, Runnable action, List<String> mustMention) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static ErrorCase row(String name, Runnable action, String... mustMention) {
        return new ErrorCase(name, action, List.of(mustMention));
    }

    private static Tensor z(int... shape) {
        return Tensor.zeros(shape);
    }

    static List<ErrorCase> errors() {
        SplittableRandom rng = new SplittableRandom(1);
        Dense dense = new Dense(3, 2, new Activation.Relu(), rng);
        Sequential seq = new Sequential(new Dense(3, 4, new Activation.Relu(), rng), new Dense(5, 1, new Activation.Sigmoid(), rng));
        return List.of(
                row("matmul inner dimensions", () -> z(32, 3).matmul(z(4, 1)), "matmul", "[32, 3]", "[4, 1]", "3 and 4"),
                row("matmul needs 2-D", () -> z(3).matmul(z(3, 1)), "matmul", "[3]", "[3, 1]"),
                row("matmul batch dims", () -> z(2, 3, 4).matmul(z(3, 4, 5)), "matmul", "[2, 3, 4]", "[3, 4, 5]", "batch"),
                row("matmul batched ranks", () -> z(2, 2, 3, 4).matmul(z(2, 4, 5)), "matmul", "[2, 2, 3, 4]", "[2, 4, 5]"),
                row("add cannot broadcast", () -> z(3, 4).add(z(3)), "add", "[3, 4]", "[3]", "broadcast"),
                row("mul cannot broadcast", () -> z(2, 3).mul(z(3, 2)), "mul", "[2, 3]", "[3, 2]"),
                row("maximum cannot broadcast", () -> z(2, 3, 4).maximum(z(3, 3)), "maximum", "[2, 3, 4]", "[3, 3]"),
                row("compare cannot broadcast", () -> z(4).gt(z(5)), "gt", "[4]", "[5]"),
                row("linear input width", () -> Tensor.linear(z(5, 3), z(2, 4), null), "linear", "[5, 3]", "[2, 4]"),
                row("linear bias", () -> Tensor.linear(z(5, 4), z(2, 4), z(3)), "linear", "[3]", "[2, 4]"),
                row("linear rank", () -> Tensor.linear(z(4), z(2, 4), null), "linear", "[4]", "[2, 4]"),
                row("reshape size", () -> z(2, 3).reshape(4, 2), "reshape", "[2, 3]", "[4, 2]"),
                row("reshape two -1", () -> z(2, 3).reshape(-1, -1), "reshape", "more than one -1"),
                row("reshape cannot infer", () -> z(2, 3).reshape(4, -1), "reshape", "[2, 3]"),
                row("transpose 1-D", () -> z(3).transpose(), "transpose", "[3]"),
                row("slice out of range", () -> z(4, 2).slice(2, 5), "slice", "2..5", "[4, 2]"),
                row("rows out of range", () -> z(4, 2).rows(new int[]{0, 4}), "rows", "4", "[4, 2]"),
                row("concat other dimension", () -> Tensor.concat(List.of(z(2, 3), z(2, 4)), 0), "concat", "[2, 3]", "[2, 4]"),
                row("concat rank", () -> Tensor.concat(List.of(z(2, 3), z(3)), 0), "concat", "[2, 3]", "[3]"),
                row("concat nothing", () -> Tensor.concat(List.of(), 0), "concat"),
                row("sum axis out of range", () -> z(2, 3).sum(2, false), "axis 2", "[2, 3]"),
                row("max empty axis", () -> z(2, 0).max(1, false), "max", "[2, 0]"),
                row("mean of nothing", () -> z(0).mean(), "mean", "[0]"),
                row("softmax of a scalar", () -> Tensor.scalar(1f).softmax(), "softmax", "scalar"),
                row("cross-entropy label count", () -> z(3, 4).softmaxCrossEntropy(new int[]{0, 1}), "softmaxCrossEntropy", "[3, 4]", "2 labels"),
                row("cross-entropy label range", () -> z(2, 4).softmaxCrossEntropy(new int[]{0, 4}), "softmaxCrossEntropy", "label 4", "row 1", "[2, 4]"),
                row("cross-entropy rank", () -> z(4).softmaxCrossEntropy(new int[]{0}), "softmaxCrossEntropy", "[4]"),
                row("item of many", () -> z(2, 2).item(), "item", "[2, 2]"),
                row("index rank", () -> z(2, 2).get(1), "[1]", "[2, 2]"),
                row("index bounds", () -> z(2, 2).get(1, 2), "[1, 2]", "[2, 2]", "out of bounds"),
                row("toArray2d rank", () -> z(2, 2, 2).toArray2d(), "toArray2d", "[2, 2, 2]"),
                row("argmaxRows rank", () -> z(4).argmaxRows(), "argmaxRows", "[4]"),
                row("tensor of too few values", () -> Tensor.of(new float[5], 2, 3), "5 values", "[2, 3]"),
                row("ragged rows", () -> Tensor.of(new float[][]{{1, 2}, {3}}), "row 1", "1 values", "2"),
                row("negative dimension", () -> Shape.of(2, -1), "[2, -1]"),
                row("mse shapes", () -> new Loss.MeanSquaredError().compute(z(4, 1), z(4, 2)), "mse", "[4, 1]", "[4, 2]"),
                row("bce shapes", () -> new Loss.BinaryCrossEntropy().compute(z(4, 1), z(4)), "bce", "[4, 1]", "[4]"),
                row("ce targets", () -> new Loss.CrossEntropy().compute(z(4, 3), z(3, 1)), "ce", "[4, 3]", "[3, 1]"),
                row("dataset rows", () -> new Dataset(z(4, 3), z(5, 1)), "dataset", "[4, 3]", "[5, 1]"),
                row("dense input width", () -> dense.forward(z(5, 4)), "Dense(3 -> 2)", "[5, 4]", "[batch, 3]"),
                row("dense input rank", () -> dense.forward(z(3)), "Dense(3 -> 2)", "[3]"),
                row("sequential prefixes the layer index", () -> seq.forward(z(2, 3)), "layer 1", "Dense(5 -> 1)", "[2, 4]", "[batch, 5]"),
                row("sequential logits prefix the layer index", () -> seq.forwardLogits(z(2, 3)), "layer 1", "Dense(5 -> 1)", "[2, 4]"),
                row("sequential trace prefixes the layer index", () -> seq.trace(z(2, 3)), "layer 1", "Dense(5 -> 1)", "[2, 4]"),
                row("sequential first layer", () -> seq.forward(z(2, 7)), "layer 0", "Dense(3 -> 4)", "[2, 7]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void throwsAShapeExceptionNamingTheOpAndShapes(ErrorCase c) {
        var thrown = assertThatThrownBy(c.action()::run).isInstanceOf(ShapeException.class);
        for (String s : c.mustMention()) thrown.hasMessageContaining(s);
    }
}
