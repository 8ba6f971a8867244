package dev.ganglion.data;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitTest {

    /** n samples whose single feature is their own id; targets are classes 0..k-1 in the given shares. */
    private static Dataset labelled(int n, double... shares) {
        float[] x = new float[n], y = new float[n];
        int i = 0;
        for (int c = 0; c < shares.length; c++) {
            int count = c == shares.length - 1 ? n - i : (int) Math.round(n * shares[c]);
            for (int j = 0; j < count; j++, i++) {
                x[i] = i;
                y[i] = c;
            }
        }
        return new Dataset(Tensor.of(x, n, 1), Tensor.of(y, n, 1));
    }

    private static Set<Integer> ids(Dataset d) {
        Set<Integer> s = new HashSet<>();
        for (float v : d.features().data()) s.add((int) v);
        return s;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theSplitIsDisjointCompleteAndSized(boolean stratify) {
        Dataset data = labelled(100, 0.7, 0.3);
        Split.TrainTest s = Split.trainTest(data, 0.25, 5, stratify);
        assertThat(s.test().size()).isEqualTo(25);
        assertThat(s.train().size()).isEqualTo(75);
        Set<Integer> train = ids(s.train()), test = ids(s.test());
        assertThat(train).hasSize(75).doesNotContainAnyElementsOf(test);
        Set<Integer> all = new HashSet<>(train);
        all.addAll(test);
        assertThat(all).hasSize(100);
        // rows keep their own targets
        for (int i = 0; i < s.train().size(); i++) {
            int id = (int) s.train().features().get(i, 0);
            assertThat(s.train().targets().get(i, 0)).isEqualTo(data.targets().get(id, 0));
        }
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        Dataset data = labelled(60, 0.5, 0.5);
        float[] a = Split.trainTest(data, 0.3, 11, false).test().features().data();
        float[] b = Split.trainTest(data, 0.3, 11, false).test().features().data();
        float[] c = Split.trainTest(data, 0.3, 12, false).test().features().data();
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    private static double share(Dataset d, float cls) {
        int n = 0;
        for (float v : d.targets().data()) if (v == cls) n++;
        return (double) n / d.size();
    }

    @Test
    void stratifiedSplitsKeepTheClassProportions() {
        Dataset data = labelled(300, 0.8, 0.15, 0.05);
        for (long seed = 0; seed < 5; seed++) {
            Split.TrainTest s = Split.trainTest(data, 1.0 / 3, seed, true);
            for (float c : new float[]{0, 1, 2}) {
                assertThat(share(s.test(), c)).as("class " + c + " in test").isCloseTo(share(data, c), org.assertj.core.api.Assertions.within(0.005));
                assertThat(share(s.train(), c)).as("class " + c + " in train").isCloseTo(share(data, c), org.assertj.core.api.Assertions.within(0.005));
            }
        }
    }

    @Test
    void stratifiedSplitsKeepOneHotClassProportions() {
        // three classes as one-hot rows: 60 % class 0, 30 % class 1, 10 % class 2
        int n = 200;
        float[] x = new float[n], y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            int c = i < 120 ? 0 : i < 180 ? 1 : 2;
            y[i * 3 + c] = 1;
        }
        Dataset data = new Dataset(Tensor.of(x, n, 1), Tensor.of(y, n, 3));
        Split.TrainTest s = Split.trainTest(data, 0.25, 3, true);
        int[] counts = new int[3];
        for (int c : s.test().targets().argmaxRows()) counts[c]++;
        assertThat(counts).containsExactly(30, 15, 5);
    }

    @Test
    void stratifiedTrainingRowsAreNotGroupedByClass() {
        // a trainer that does not shuffle must not see all of one class, then all of the other
        Dataset data = labelled(200, 0.5, 0.5);
        Split.TrainTest s = Split.trainTest(data, 0.25, 1, true);
        float[] first = Arrays.copyOfRange(s.train().targets().data(), 0, 40);
        assertThat(first).contains(0f, 1f);
    }

    @Test
    void shuffleIsAPermutation() {
        int[] a = new int[50];
        for (int i = 0; i < 50; i++) a[i] = i;
        Split.shuffle(a, new SplittableRandom(3));
        assertThat(a).isNotEqualTo(java.util.stream.IntStream.range(0, 50).toArray());
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertThat(sorted).isEqualTo(java.util.stream.IntStream.range(0, 50).toArray());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, -0.1, 1.5, Double.NaN})
    void rejectsFractionsOutsideZeroToOne(double f) {
        assertThatThrownBy(() -> Split.trainTest(labelled(10, 1), f, 1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test fraction");
    }

    @Test
    void rejectsSplitsThatLeaveAPartEmpty() {
        assertThatThrownBy(() -> Split.trainTest(labelled(3, 1), 0.1, 1, false))
                .hasMessageContaining("leaves 3 for training and 0 for testing");
    }
}
