package dev.ganglion.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded train/test splits; the same seed and data always give the same split. */
public final class Split {
    private Split() {
    }

    /** A training part and a held-out test part. */
    public record TrainTest(Dataset train, Dataset test) {
    }

    /**
     * Shuffles with {@code seed} and puts {@code round(testFraction · n)} of the samples in the test
     * part. With {@code stratify}, each class is split separately so both parts keep the class
     * proportions (each class's share of the test part is rounded so that the total stays exact).
     * The class is the target's value for a single target column, or the arg-max of a one-hot row.
     * Both parts come out shuffled, not grouped by class.
     */
    public static TrainTest trainTest(Dataset data, double testFraction, long seed, boolean stratify) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be between 0 and 1 (exclusive), got " + testFraction);
        }
        int n = data.size();
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        int nTest = (int) Math.round(n * testFraction);
        if (stratify) {
            Map<Float, List<Integer>> byClass = new LinkedHashMap<>();
            float[] t = data.targets().data();
            int k = data.targets().shape().dim(1);
            int[] argmax = k > 1 ? data.targets().argmaxRows() : null;
            for (int i = 0; i < n; i++) {
                float cls = k > 1 ? argmax[i] : t[i];
                byClass.computeIfAbsent(cls, c -> new ArrayList<>()).add(i);
            }
            List<List<Integer>> classes = new ArrayList<>(byClass.values());
            int[] quota = apportion(classes, nTest, testFraction);
            for (int c = 0; c < classes.size(); c++) splitInto(classes.get(c), quota[c], rng, train, test);
            // the parts were filled class by class: mix them so they are not ordered by class
            shuffleList(train, rng);
            shuffleList(test, rng);
        } else {
            List<Integer> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) all.add(i);
            splitInto(all, nTest, rng, train, test);
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("a test fraction of " + testFraction + " of " + n
                    + " samples leaves " + train.size() + " for training and " + test.size() + " for testing");
        }
        return new TrainTest(data.rows(toArray(train)), data.rows(toArray(test)));
    }

    /**
     * How many test samples each class gives: {@code fraction · size} rounded down, then the
     * samples still missing from {@code total} go to the largest remainders (largest-remainder
     * apportionment), so the quotas add up to exactly {@code total}.
     */
    private static int[] apportion(List<List<Integer>> classes, int total, double fraction) {
        int k = classes.size();
        int[] quota = new int[k];
        double[] remainder = new double[k];
        int assigned = 0;
        for (int c = 0; c < k; c++) {
            double exact = classes.get(c).size() * fraction;
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            assigned += quota[c];
        }
        while (assigned < total) {
            int best = -1;
            for (int c = 0; c < k; c++) {
                if (quota[c] < classes.get(c).size() && (best < 0 || remainder[c] > remainder[best])) best = c;
            }
            if (best < 0) break;
            quota[best]++;
            remainder[best] = -1;
            assigned++;
        }
        return quota;
    }

    private static void splitInto(List<Integer> members, int nTest, SplittableRandom rng,
                                  List<Integer> train, List<Integer> test) {
        int[] idx = toArray(members);
        shuffle(idx, rng);
        for (int i = 0; i < idx.length; i++) (i < nTest ? test : train).add(idx[i]);
    }

    private static void shuffleList(List<Integer> list, SplittableRandom rng) {
        int[] a = toArray(list);
        shuffle(a, rng);
        list.clear();
        for (int v : a) list.add(v);
    }

    /**
     * k-fold cross-validation: the samples, shuffled with {@code seed}, are dealt into {@code k}
     * folds of near-equal size; split i tests on fold i and trains on the rest. With
     * {@code stratify}, each class is dealt round-robin so every fold keeps the class proportions.
     */
    public static List<TrainTest> kFold(Dataset data, int k, long seed, boolean stratify) {
        int n = data.size();
        if (k < 2 || k > n) throw new IllegalArgumentException("folds must be between 2 and the sample count " + n + ", got " + k);
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) folds.add(new ArrayList<>());
        if (stratify) {
            Map<Float, List<Integer>> byClass = new LinkedHashMap<>();
            float[] t = data.targets().data();
            int width = data.targets().shape().dim(1);
            int[] argmax = width > 1 ? data.targets().argmaxRows() : null;
            for (int i = 0; i < n; i++) byClass.computeIfAbsent(width > 1 ? argmax[i] : t[i], c -> new ArrayList<>()).add(i);
            int next = 0;
            for (List<Integer> members : byClass.values()) {
                int[] idx = toArray(members);
                shuffle(idx, rng);
                for (int i : idx) folds.get(next++ % k).add(i);
            }
        } else {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            shuffle(idx, rng);
            for (int i = 0; i < n; i++) folds.get((int) ((long) i * k / n)).add(idx[i]);
        }
        List<TrainTest> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            List<Integer> train = new ArrayList<>();
            for (int g = 0; g < k; g++) if (g != f) train.addAll(folds.get(g));
            shuffleList(train, rng);
            List<Integer> test = new ArrayList<>(folds.get(f));
            shuffleList(test, rng);
            out.add(new TrainTest(data.rows(toArray(train)), data.rows(toArray(test))));
        }
        return out;
    }

    /** Fisher–Yates shuffle in place. */
    public static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
