package dev.ganglion.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommonTest {

    @Test
    void jsonRoundTrip() {
        Result r = Result.training("ganglion", Spec.w1(true), 2.0, 0.25).with("threads", 2).with("note", "a \"b\"\n");
        Map<String, Object> m = Json.parseObject(r.toJson());
        assertThat(m.get("library")).isEqualTo("ganglion");
        assertThat(m.get("workload")).isEqualTo("w1");
        assertThat((Double) m.get("samples_per_sec")).isEqualTo(Spec.w1(true).timedSamples() / 2.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(m.get("loss_after")).isEqualTo(0.25);
        assertThat(m.get("note")).isEqualTo("a \"b\"\n");
        assertThat(m).doesNotContainKey("latency_us");
        assertThat(Json.parse("[1, -2.5e3, true, null, {\"a\": []}]"))
                .isEqualTo(java.util.Arrays.asList(1.0, -2500.0, true, null, Map.of("a", List.of())));
    }

    @Test
    void workloadsMatchTheIssue() {
        Spec.Train w1 = Spec.w1(false);
        assertThat(w1.batches()).isEqualTo(313);
        assertThat(w1.timedSamples()).isEqualTo(20 * 10_000L);
        assertThat(w1.to(312) - w1.from(312)).isEqualTo(16);
        Spec.Train w2 = Spec.w2(false);
        assertThat(w2.timedSamples()).isEqualTo(3 * 60_000L);
        assertThat(w2.warmupSteps()).isEqualTo(w2.batches());
        Spec.Train w3 = Spec.w3(false);
        assertThat(6.0 * w3.weights() * w3.batch()).isEqualTo(6.0 * (1024 * 4096 + 4096 * 4096 + 4096 * 10) * 512);
        Spec.Gemm g = Spec.gemm(false);
        assertThat(g.cases()).extracting(Spec.GemmCase::form).contains("nn", "nt", "tn");
        assertThat(g.cases()).anyMatch(c -> c.m() == 2048 && c.n() == 2048 && c.k() == 2048);
        assertThat(g.cases()).anyMatch(c -> c.key().equals("nt 512x4096x1024 w3 L1 fwd"));
    }

    @Test
    void warmupRunsAtLeastItsCallsAndItsTimeThenTimesExactlyTheTimedCalls() {
        var calls = new java.util.ArrayList<Integer>();
        long start = System.nanoTime();
        double[] t = Measure.timeCallsAfterWarmup(calls::add, 3, 0.05, 4);
        assertThat((System.nanoTime() - start) / 1e9).isGreaterThanOrEqualTo(0.05);
        assertThat(t).hasSize(4);
        for (double v : t) assertThat(v).isGreaterThanOrEqualTo(0);
        assertThat(calls.size()).isGreaterThanOrEqualTo(3 + 4);
        for (int i = 0; i < calls.size(); i++) assertThat(calls.get(i)).isEqualTo(i);   // numbered on, warm-up to timed
        assertThat(Measure.timeCallsAfterWarmup(i -> { }, 2, 0, 5)).hasSize(5);
        Spec.Infer w4 = Spec.w4(false);
        assertThat(w4.batchedWarmupPasses()).isEqualTo(2);
        assertThat(w4.batchedWarmupSeconds()).isEqualTo(1.0);
    }

    @Test
    void dataAndWeightsAreReproducible() {
        SyntheticData.Data a = SyntheticData.forSpec(Spec.w2(true)), b = SyntheticData.forSpec(Spec.w2(true));
        assertThat(a.x()).isEqualTo(b.x());
        assertThat(a.label()).isEqualTo(b.label());
        assertThat(SyntheticData.luma(100, 1).label()).contains(0, 1);
        SyntheticData.Layer l = SyntheticData.initialWeights(new int[]{3, 2}, 7).get(0);
        float[] t = l.weightInByOut();
        assertThat(t[1 * 2 + 0]).isEqualTo(l.weight()[0 * 3 + 1]);   // W[o=0][i=1] = T[i=1][o=0]
        for (float w : l.weight()) assertThat(Math.abs(w)).isLessThanOrEqualTo((float) Math.sqrt(6.0 / 5));
    }

    @Test
    void reportComputesMediansRatiosAndTargets() {
        List<Driver.Run> runs = List.of(
                run("ganglion", "w1", 1, Map.of("samples_per_sec", 100.0, "loss_after", 0.1)),
                run("ganglion", "w1", 2, Map.of("samples_per_sec", 300.0, "loss_after", 0.1)),
                run("ganglion", "w1", 3, Map.of("samples_per_sec", 200.0, "loss_after", 0.1)),
                run("encog", "w1", 1, Map.of("samples_per_sec", 100.0)),
                run("pytorch", "w1", 1, Map.of("samples_per_sec", 10.0)),
                new Driver.Run("dl4j", "w1", 1, null, "exit code 1", 1, Path.of("x.log")));
        String table = new Report(runs, List.of("w1"), List.of("ganglion", "pytorch", "dl4j", "encog"), false, 3).render();
        assertThat(table).contains("W1 seed net").contains("pytorch 20.00x").contains("encog 2.00x")
                .contains("FAILED").contains("dl4j w1 rep 1: exit code 1");
        assertThat(table.lines().filter(l -> l.startsWith("W1")).findFirst().orElseThrow()).endsWith("NO");
        assertThat(Report.fmt(1_234_567)).isEqualTo("1.23M");
        assertThat(Report.fmt(45_600)).isEqualTo("45.6k");
        assertThat(Report.fmt(0.0351)).isEqualTo("0.0351");
    }

    @Test
    void reportTurnsTheCeilingsIntoBoundsOnTheTargets() {
        List<Driver.Run> runs = List.of(
                run("ganglion", "ceilings", 1, Map.of("fma_peak_gflops_1t", 100.0, "fma_peak_gflops", 200.0,
                        "cache_read_gbs_per_core", 50.0, "memory_read_gbs_per_core", 10.0, "cores", 2.0,
                        "cache_kib", 512.0, "memory_mib", 64.0)),
                run("ganglion", "w3", 1, Map.of("gflops", 100.0, "steps_per_sec", 1.0)),
                run("pytorch", "w3", 1, Map.of("gflops", 120.0, "steps_per_sec", 1.2)));
        String table = new Report(runs, List.of("w3", "ceilings"), List.of("ganglion", "pytorch"), false, 1).render();
        assertThat(table).contains("FMA peak        100 GFLOP/s on 1 thread, 200 on 2 threads")
                .contains("50.0 GB/s per core from a 512 KiB array (cache), 10.0 from 64 MiB (memory)")
                // 1.5 × 120 = 180 GFLOP/s = 90 % of 200; Ganglion's 100 is 50 %
                .contains("W3 at 1.5x pytorch needs 180 GFLOP/s over the whole step: 90% of the FMA peak (ganglion: 50%)");
        // W2: 784·256 + 256·128 + 128·10 weights and 394 biases, 4 bytes each = 940,584 bytes;
        // over 2 cores at 50 GB/s each: 9.41 µs; 5 µs needs 94.1 GB/s per core
        assertThat(table).contains("W4 one sample reads the W2 weights (941 KB): at 50.0 GB/s on each of 2 cores that takes 9.41 µs")
                .contains("target 5 µs needs 94.1 GB/s per core");
    }

    private static Driver.Run run(String lib, String w, int rep, Map<String, Object> values) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(values);
        m.put("library", lib);
        m.put("workload", w);
        return new Driver.Run(lib, w, rep, m, null, 1, Path.of("x.log"));
    }
}
