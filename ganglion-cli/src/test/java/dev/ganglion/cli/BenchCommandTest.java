package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ganglion bench --workload}: Ganglion's side of the speed benchmark, from the CLI. */
class BenchCommandTest {

    @Test
    void aQuickW1RunPrintsItsThroughputAndTheLossAfterTrainingAsJson() throws Exception {
        Cli r = Cli.run("bench", "--workload", "w1", "--quick", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("library").asText()).isEqualTo("ganglion");
        assertThat(json.get("workload").asText()).isEqualTo("w1");
        assertThat(json.get("samples_per_sec").asDouble()).isPositive();
        assertThat(json.get("steps_per_sec").asDouble()).isPositive();
        // the synthetic problem is learnable: after 6 epochs the loss is far below ln 2
        assertThat(json.get("loss_after").asDouble()).isBetween(0.0, 0.3);
        assertThat(json.get("quick").asBoolean()).isTrue();
    }

    @Test
    void anUnknownWorkloadIsAUserErrorNamingTheChoices() {
        Cli r = Cli.run("bench", "--workload", "w9");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("w9").contains("w1, w2, w3, w4, gemm");
    }
}
