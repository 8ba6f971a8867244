package dev.ganglion.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replacing a served model while requests run: every answer comes from exactly one of the two
 * models (never a mix), a broken replacement is refused and the old model kept.
 */
class HotReloadTest {
    @TempDir
    Path tmp;

    @Test
    void everyAnswerMatchesExactlyOneModelWhileTheDirectoryIsReplaced() throws Exception {
        // A and B differ in weights and in scaling, so half of one and half of the other would give a third answer.
        Path dir = tmp.resolve("font");
        Model a = TestModels.save(TestModels.font(1, 255f), tmp.resolve("a"));
        Model b = TestModels.save(TestModels.font(2, 100f), tmp.resolve("b"));
        String versionA = ServedModel.load("a", tmp.resolve("a"), 1).version();
        String versionB = ServedModel.load("b", tmp.resolve("b"), 1).version();
        float[][] rows = {{12, 200, 34}, {250, 240, 200}, {90, 90, 90}, {0, 0, 255}, {255, 0, 0}};
        float[][] outA = TestModels.predict(a, rows), outB = TestModels.predict(b, rows);
        for (int i = 0; i < rows.length; i++) assertThat(Math.abs(outA[i][0] - outB[i][0])).as("row %d", i).isGreaterThan(1e-3f);
        ModelStore.save(a, dir, Map.of());

        Queue<String> log = new ConcurrentLinkedQueue<>();
        ServeOptions options = ServeOptions.defaults().withPort(0).withPollInterval(Duration.ofMillis(20));
        try (ModelServer server = ModelServer.start(Map.of("font", dir), options, log::add)) {
            Http http = Http.to(server);
            AtomicBoolean stop = new AtomicBoolean();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger answers = new AtomicInteger();
            String body = TestModels.body(rows);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    clients.add(pool.submit(() -> {
                        while (!stop.get()) {
                            Http.Reply r = http.post("/v1/models/font/predict", body);
                            assertThat(r.status()).as(r.body()).isEqualTo(200);
                            JsonNode json = r.json();
                            String version = json.get("version").asText();
                            float[][] expected = version.equals(versionA) ? outA : version.equals(versionB) ? outB : null;
                            assertThat(expected).as("version %s is neither A %s nor B %s", version, versionA, versionB).isNotNull();
                            float[][] got = Http.outputs(json);
                            for (int i = 0; i < rows.length; i++) {
                                assertThat(Math.abs(got[i][0] - expected[i][0])).as("row %d of version %s", i, version).isLessThan(1e-5f);
                            }
                            seen.add(version);
                            answers.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (int round = 0; round < 4; round++) {
                    ModelStore.save(b, dir, Map.of());       // files replaced in place (each written atomically)
                    awaitVersion(http, versionB);
                    ModelStore.save(a, dir, Map.of());
                    awaitVersion(http, versionA);
                }
                // the directory swapped by renames: the old one moved away, the new one moved in
                Path next = tmp.resolve("font.next"), old = tmp.resolve("font.old");
                ModelStore.save(b, next, Map.of());
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(next, dir, StandardCopyOption.ATOMIC_MOVE);
                awaitVersion(http, versionB);
                // a broken replacement: logged, the served model kept
                Files.writeString(dir.resolve("config.json"), "{\"format\": \"ganglion-model\", \"format_version\": 1, \"inputs\": [");
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (log.stream().noneMatch(l -> l.contains("not reloaded")) && System.nanoTime() < deadline) Thread.sleep(20);
                assertThat(http.get("/v1/models/font").json().get("version").asText()).isEqualTo(versionB);
                ModelStore.save(a, dir, Map.of());
                awaitVersion(http, versionA);
                Thread.sleep(100);
                stop.set(true);
                for (Future<?> f : clients) f.get();
            }
            assertThat(seen).containsExactlyInAnyOrder(versionA, versionB);
            assertThat(answers.get()).isGreaterThan(50);
            assertThat(log).anySatisfy(l -> assertThat(l).startsWith("model \"font\": not reloaded, still serving version " + versionB)
                    .contains("config.json"));
            PrometheusText m = PrometheusText.parse(http.get("/metrics").body());
            assertThat(m.value("ganglion_model_reloads_total", Map.of("model", "font", "result", "ok"))).isEqualTo(10);
            assertThat(m.value("ganglion_model_reloads_total", Map.of("model", "font", "result", "failed"))).isEqualTo(1);
            assertThat(m.value("ganglion_predict_requests_total", Map.of("model", "font", "status", "200"))).isEqualTo(answers.get());
            JsonNode info = http.get("/v1/models/font").json();
            assertThat(info.get("generation").asLong()).isEqualTo(11);
        }
    }

    @Test
    void aModelThatFailsAtStartIsAUserFacingError() throws Exception {
        Path dir = tmp.resolve("broken");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelServer.start(Map.of("x", dir), ServeOptions.defaults().withPort(0), l -> { }))
                .isInstanceOf(dev.ganglion.io.ModelFormatException.class)
                .hasMessageContaining("config.json");
    }

    private static void awaitVersion(Http http, String version) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (http.get("/v1/models/font").json().get("version").asText().equals(version)) return;
            Thread.sleep(10);
        }
        throw new AssertionError("the server did not load version " + version + " within 10 s");
    }
}
