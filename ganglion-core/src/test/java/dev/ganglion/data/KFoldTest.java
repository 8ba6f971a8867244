package dev.ganglion.data;

import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KFoldTest {
    /** 103 samples whose single feature is their index; classes 0/1/2 in proportion 50/33/20. */
    private static Dataset data() {
        int n = 103;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i < 50 ? 0 : i < 83 ? 1 : 2;
        }
        return new Dataset(Tensor.of(x, n, 1), Tensor.of(y, n, 1));
    }

    private static Set<Float> ids(Dataset d) {
        Set<Float> s = new HashSet<>();
        for (float v : d.features().data()) s.add(v);
        return s;
    }

    @Test
    void testFoldsPartitionTheDataAndTrainingIsTheRest() {
        for (boolean stratify : new boolean[]{false, true}) {
            List<Split.TrainTest> folds = Split.kFold(data(), 5, 3, stratify);
            assertThat(folds).hasSize(5);
            Set<Float> seen = new HashSet<>();
            for (Split.TrainTest f : folds) {
                Set<Float> test = ids(f.test()), train = ids(f.train());
                assertThat(f.test().size()).isBetween(20, 21);
                assertThat(test).doesNotContainAnyElementsOf(train);
                assertThat(test.size() + train.size()).isEqualTo(103);
                assertThat(seen).doesNotContainAnyElementsOf(test);
                seen.addAll(test);
            }
            assertThat(seen).hasSize(103);
        }
    }

    @Test
    void stratifiedFoldsKeepClassProportions() {
        for (Split.TrainTest f : Split.kFold(data(), 5, 11, true)) {
            int[] counts = new int[3];
            for (float v : f.test().targets().data()) counts[(int) v]++;
            assertThat(counts[0]).isBetween(9, 11);
            assertThat(counts[1]).isBetween(6, 7);
            assertThat(counts[2]).isEqualTo(4);
        }
    }

    @Test
    void seededAndRejectsBadFoldCounts() {
        var a = Split.kFold(data(), 4, 9, true).get(2).test().features().data();
        var b = Split.kFold(data(), 4, 9, true).get(2).test().features().data();
        assertThat(a).containsExactly(b);
        assertThatThrownBy(() -> Split.kFold(data(), 1, 0, false)).hasMessageContaining("got 1");
        assertThatThrownBy(() -> Split.kFold(data(), 200, 0, false)).hasMessageContaining("103");
    }
}
