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
     * Shuffles with {@code seed} and puts a {@code testFraction} of the samples in the test part.
     * With {@code stratify}, each class (the first target column's value) is split separately so
     * both parts keep the class proportions.
     */
    public static TrainTest trainTest(Dataset data, double testFraction, long seed, boolean stratify) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be between 0 and 1 (exclusive), got " + testFraction);
        }
        int n = data.size();
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        if (stratify) {
            Map<Float, List<Integer>> byClass = new LinkedHashMap<>();
            float[] t = data.targets().data();
            int k = data.targets().shape().dim(1);
            for (int i = 0; i < n; i++) byClass.computeIfAbsent(t[i * k], c -> new ArrayList<>()).add(i);
            for (List<Integer> members : byClass.values()) splitInto(members, testFraction, rng, train, test);
        } else {
            List<Integer> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) all.add(i);
            splitInto(all, testFraction, rng, train, test);
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("a test fraction of " + testFraction + " of " + n
                    + " samples leaves " + train.size() + " for training and " + test.size() + " for testing");
        }
        return new TrainTest(data.rows(toArray(train)), data.rows(toArray(test)));
    }

    private static void splitInto(List<Integer> members, double fraction, SplittableRandom rng,
                                  List<Integer> train, List<Integer> test) {
        int[] idx = toArray(members);
        shuffle(idx, rng);
        int nTest = (int) Math.round(idx.length * fraction);
        for (int i = 0; i < idx.length; i++) (i < nTest ? test : train).add(idx[i]);
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
