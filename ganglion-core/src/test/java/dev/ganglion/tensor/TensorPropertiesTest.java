package dev.ganglion.tensor;

import dev.ganglion.testing.GradCheck;
import dev.ganglion.testing.Gen;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.ganglion.testing.TensorAssert.assertAllClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Properties over random shapes and values: broadcasting, shape round trips, reductions, matmul. */
class TensorPropertiesTest {

    /** Two broadcast-compatible shapes: each is the output shape with leading dims dropped and some dims set to 1. */
    record ShapePair(int[] a, int[] b) {
        @Override
        public String toString() {
            return Arrays.toString(a) + " and " + Arrays.toString(b);
        }
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(0).ofMaxSize(4);
    }

    @Provide
    Arbitrary<ShapePair> compatiblePairs() {
        return Combinators.combine(shapes(), Arbitraries.longs()).as((out, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            return new ShapePair(derive(out, r), derive(out, r));
        });
    }

    private static int[] derive(int[] out, SplittableRandom r) {
        int drop = r.nextInt(out.length + 1);
        int[] s = Arrays.copyOfRange(out, drop, out.length);
        for (int i = 0; i < s.length; i++) if (r.nextInt(3) == 0) s[i] = 1;
        return s;
    }

    @Property
    void broadcastShapeAndValuesFollowNumPy(@ForAll("compatiblePairs") ShapePair p, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Gen.uniform(rng, -2, 2, p.a()), b = Gen.uniform(rng, -2, 2, p.b());
        Reference.assertBroadcastMatches("add", a.add(b), a, b, Double::sum);
        Reference.assertBroadcastMatches("sub", a.sub(b), a, b, (x, y) -> x - y);
        Reference.assertBroadcastMatches("mul", a.mul(b), a, b, (x, y) -> x * y);
        assertThat(a.add(b).data()).as("add commutes").containsExactly(b.add(a).data());
        assertThat(a.mul(b).data()).as("mul commutes").containsExactly(b.mul(a).data());
    }

    @Property
    void broadcastGradientsSumOverTheStretchedDimensions(@ForAll("compatiblePairs") ShapePair p) {
        Tensor a = Tensor.ones(p.a()).requiresGrad(true), b = Tensor.ones(p.b()).requiresGrad(true);
        Tensor out = a.add(b);
        out.sum().backward();
        // every element of a is used out.size / a.size times
        assertThat(a.grad().shape()).isEqualTo(a.shape());
        assertThat(a.grad().data()).containsOnly((float) out.size() / a.size());
        assertThat(b.grad().data()).containsOnly((float) out.size() / b.size());
    }

    @Property(tries = 60)
    void broadcastMulPassesGradCheck(@ForAll("compatiblePairs") ShapePair p, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        GradCheck.check("mul " + p, x -> x[0].mul(x[1]), Gen.uniform(rng, -2, 2, p.a()), Gen.uniform(rng, -2, 2, p.b()));
    }

    @Property
    void incompatibleShapesAreRejectedNamingBoth(@ForAll("shapes") int[] base, @ForAll @IntRange(min = 0, max = 3) int at) {
        if (base.length == 0) base = new int[]{2};
        int axis = at % base.length;
        int[] other = base.clone();
        // a dimension that is neither equal nor 1 on either side
        int d = Math.max(2, base[axis]);
        int[] a = base.clone();
        a[axis] = d;
        other[axis] = d + 1;
        Tensor x = Tensor.zeros(a), y = Tensor.zeros(other);
        assertThatThrownBy(() -> x.mul(y))
                .isInstanceOf(ShapeException.class)
                .hasMessageContaining("mul")
                .hasMessageContaining(Arrays.toString(a))
                .hasMessageContaining(Arrays.toString(other));
    }

    @Property
    void reshapeRoundTripsAndInfersMinusOne(@ForAll("shapes") int[] shape, @ForAll long seed) {
        Tensor x = Gen.uniform(new SplittableRandom(seed), -1, 1, shape);
        int[] target = refactor(x.size(), new SplittableRandom(seed));
        Tensor r = x.reshape(target);
        assertThat(r.shape()).isEqualTo(Shape.of(target));
        Tensor back = r.reshape(shape);
        assertThat(back.shape()).isEqualTo(x.shape());
        assertThat(back.data()).containsExactly(x.data());
        if (target.length > 0) {
            int[] withMinus = target.clone();
            withMinus[new SplittableRandom(seed).nextInt(target.length)] = -1;
            assertThat(x.reshape(withMinus).shape()).isEqualTo(Shape.of(target));
        }
    }

    /** A random shape with {@code size} elements. */
    private static int[] refactor(int size, SplittableRandom r) {
        List<Integer> dims = new ArrayList<>();
        int rest = size;
        for (int f = 2; f <= rest; f++) {
            while (rest % f == 0) {
                dims.add(f);
                rest /= f;
            }
        }
        // merge random neighbours and sprinkle 1s
        List<Integer> out = new ArrayList<>();
        for (int d : dims) {
            if (!out.isEmpty() && r.nextBoolean()) out.set(out.size() - 1, out.getLast() * d);
            else out.add(d);
            if (r.nextInt(4) == 0) out.add(1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Property
    void transposeTwiceIsTheIdentityAndSwapsIndices(@ForAll @IntRange(min = 1, max = 3) int batch,
                                                    @ForAll @IntRange(min = 1, max = 5) int m,
                                                    @ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        Tensor x = Gen.uniform(new SplittableRandom(seed), -1, 1, batch, m, n);
        Tensor t = x.transpose();
        assertThat(t.shape()).isEqualTo(Shape.of(batch, n, m));
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) assertThat(t.get(b, j, i)).isEqualTo(x.get(b, i, j));
        assertThat(t.transpose().data()).containsExactly(x.data());
    }

    @Property
    void matmulMatchesTheReference(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 0, max = 6) int k,
                                   @ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 3) int batch,
                                   @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Gen.uniform(rng, -1, 1, batch, m, k), b = Gen.uniform(rng, -1, 1, batch, k, n), shared = Gen.uniform(rng, -1, 1, k, n);
        assertAllClose("batched", a.matmul(b), Reference.matmul(a, b), 1e-5, 1e-6);
        assertAllClose("shared", a.matmul(shared), Reference.matmul(a, shared), 1e-5, 1e-6);
        Tensor a2 = a.slice(0, 1).reshape(m, k);
        assertAllClose("2-D", a2.matmul(shared), Reference.matmul(a2, shared), 1e-5, 1e-6);
    }

    @Property
    void sumAlongAnAxisMatchesTheReferenceAndKeepDimsOnlyChangesTheShape(@ForAll("shapes") int[] shape,
                                                                         @ForAll @IntRange(min = 0, max = 3) int at,
                                                                         @ForAll long seed) {
        if (shape.length == 0) return;
        int axis = at % shape.length;
        Tensor x = Gen.uniform(new SplittableRandom(seed), -1, 1, shape);
        Tensor kept = x.sum(axis, true), dropped = x.sum(axis - shape.length, false);
        assertThat(kept.data()).containsExactly(dropped.data());
        int[] keptShape = shape.clone();
        keptShape[axis] = 1;
        assertThat(kept.shape()).isEqualTo(Shape.of(keptShape));
        assertThat(dropped.rank()).isEqualTo(shape.length - 1);
        double[] expected = new double[kept.size()];
        for (int i = 0; i < x.size(); i++) {
            int[] idx = Reference.unravel(i, shape);
            idx[axis] = 0;
            int flat = 0;
            for (int d = 0; d < shape.length; d++) flat = flat * keptShape[d] + idx[d];
            expected[flat] += x.data()[i];
        }
        assertAllClose("sum(" + axis + ")", kept.data(), expected, 1e-5, 1e-6);
        assertThat((double) x.sum().item()).isCloseTo(Arrays.stream(expected).sum(), org.assertj.core.api.Assertions.within(1e-4));
    }

    @Property
    void concatThenSliceGivesThePartsBack(@ForAll @IntRange(min = 0, max = 3) int rowsA, @ForAll @IntRange(min = 0, max = 3) int rowsB,
                                          @ForAll @IntRange(min = 1, max = 3) int width, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Gen.uniform(rng, -1, 1, rowsA, width), b = Gen.uniform(rng, -1, 1, rowsB, width);
        Tensor c = Tensor.concat(List.of(a, b), 0);
        assertThat(c.slice(0, rowsA).data()).containsExactly(a.data());
        assertThat(c.slice(rowsA, rowsA + rowsB).data()).containsExactly(b.data());
        Tensor cols = Tensor.concat(List.of(a.transpose(), b.transpose()), 1);
        assertThat(cols.transpose().data()).containsExactly(c.data());
    }

    @Property
    void softmaxRowsArePositiveAndSumToOne(@ForAll @IntRange(min = 1, max = 4) int rows, @ForAll @IntRange(min = 1, max = 8) int cols,
                                           @ForAll long seed) {
        Tensor p = Gen.uniform(new SplittableRandom(seed), -80, 80, rows, cols).softmax();
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                assertThat(p.get(r, c)).isBetween(0f, 1f);
                s += p.get(r, c);
            }
            assertThat(s).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
        }
    }
}
