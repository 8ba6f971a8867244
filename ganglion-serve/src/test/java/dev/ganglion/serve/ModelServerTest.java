package dev.ganglion.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ganglion.model.Model;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The server over real HTTP (java.net.http) on a free port: predictions, errors, limits, listing, metrics. */
class ModelServerTest {
    @TempDir
    static Path dir;
    static ModelServer server;
    static Http http;
    static Model font, digits, shirts;

    @BeforeAll
    static void start() {
        font = TestModels.save(TestModels.font(7, 255f), dir.resolve("font"));
        digits = TestModels.save(TestModels.digits(3), dir.resolve("digits"));
        shirts = TestModels.save(TestModels.shirts(5), dir.resolve("shirts"));
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("font", dir.resolve("font"));
        models.put("digits", dir.resolve("digits"));
        models.put("shirts", dir.resolve("shirts"));
        server = ModelServer.start(models, ServeOptions.defaults().withPort(0).withLimits(400_000, 100), line -> { });
        http = Http.to(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void predictionsEqualModelPredictForTheSameRows() {
        for (var c : List.of(new Object[]{"font", font, 3, 256f}, new Object[]{"digits", digits, 784, 256f})) {
            Model m = (Model) c[1];
            float[][] rows = TestModels.rows(50, (int) c[2], (float) c[3], 11);
            Http.Reply r = http.post("/v1/models/" + c[0] + "/predict", TestModels.body(rows));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            float[][] expected = TestModels.predict(m, rows);
            assertThat(Http.outputs(r.json())).isDeepEqualTo(expected);
            int[] classes = m.classify(m.predict(Tensor.of(rows)));
            JsonNode names = r.json().get("classes");
            assertThat(names.size()).isEqualTo(50);
            for (int i = 0; i < 50; i++) assertThat(names.get(i).asText()).isEqualTo(m.classNames().get(classes[i]));
            assertThat(r.json().get("model").asText()).isEqualTo(c[0]);
            // one row alone: the same as predicting that row alone
            Http.Reply one = http.post("/v1/models/" + c[0] + "/predict", TestModels.body(new float[][]{rows[3]}));
            assertThat(Http.outputs(one.json())).isDeepEqualTo(TestModels.predict(m, new float[][]{rows[3]}));
        }
    }

    @Test
    void fontClassesAreTheStoredNames() {
        Http.Reply r = http.post("/v1/models/font/predict", "{\"inputs\": [[250, 240, 200], [10, 20, 30]]}");
        assertThat(r.json().get("classes").toString()).matches("\\[\"(dark|light)\",\"(dark|light)\"]");
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void rowsMayBeObjectsKeyedByInputName() {
        Http.Reply byName = http.post("/v1/models/font/predict",
                "{\"inputs\": [{\"blue\": 34, \"red\": 12, \"green\": 200}, {\"green\": 1, \"red\": 2, \"blue\": 3}]}");
        Http.Reply byPosition = http.post("/v1/models/font/predict", "{\"inputs\": [[12, 200, 34], [2, 1, 3]]}");
        assertThat(byName.status()).as(byName.body()).isEqualTo(200);
        assertThat(Http.outputs(byName.json())).isDeepEqualTo(Http.outputs(byPosition.json()));
    }

    @Test
    void categoriesAsTextAndMissingValuesImputed() {
        Http.Reply r = http.post("/v1/models/shirts/predict",
                "{\"inputs\": [[0.4, \"red\", 25], [null, \"blue\", null], {\"size\": 0.4, \"colour\": \"green\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        float nan = Float.NaN;
        float[][] coded = {{0.4f, 2, 25}, {nan, 0, nan}, {0.4f, 1, nan}};
        assertThat(Http.outputs(r.json())).isDeepEqualTo(TestModels.predict(shirts, coded));
        Http.Reply bad = http.post("/v1/models/shirts/predict", "{\"inputs\": [[0.4, \"purple\", 25]]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText())
                .isEqualTo("row 1, value 2 (colour): \"purple\" is not a known category of \"colour\"; the known categories are \"blue\", \"green\", \"red\"");
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`{\"inputs\": [[1,2,3],[1,2,3],[1,2]]}`                | 400 | row 3 has 2 values, model takes 3 (red, green, blue)",
            "`{\"inputs\": [[1,2,3,4]]}`                            | 400 | row 1 has 4 values, model takes 3 (red, green, blue)",
            "`{\"inputs\": [[1,\"x\",3]]}`                          | 400 | row 1, value 2 (green) must be a number, got the string \"x\"",
            "`{\"inputs\": [[1,true,3]]}`                           | 400 | row 1, value 2 (green) must be a number, got a boolean",
            "`{\"inputs\": [[1,[2],3]]}`                            | 400 | row 1, value 2 (green) must be a number, got an array",
            "`{\"inputs\": [[1,NaN,3]]}`                            | 400 | row 1, value 2 (green) is NaN; values must be finite numbers",
            "`{\"inputs\": [[1,2,-Infinity]]}`                      | 400 | row 1, value 3 (blue) is -Infinity; values must be finite numbers",
            "`{\"inputs\": [[1,2,1e39]]}`                           | 400 | row 1, value 3 (blue) is 1e39, outside the 32-bit float range; values must be finite numbers",
            "`{\"inputs\": [[1,null,3]]}`                           | 400 | row 1 value 2 (green) is null; the model was trained without --impute, so every value is needed",
            "`{\"inputs\": [{\"red\":1,\"green\":2}]}`              | 400 | row 1 has no value for \"blue\"; the model was trained without --impute, so every value is needed",
            "`{\"inputs\": [{\"red\":1,\"green\":2,\"blu\":3}]}`    | 400 | row 1: \"blu\" is not an input of the model; its inputs are red, green, blue",
            "`{\"inputs\": [{\"red\":1,\"red\":2}]}`                | 400 | row 1 gives \"red\" twice",
            "`{\"inputs\": []}`                                     | 400 | \"inputs\" is empty; send at least one row",
            "`{\"inputs\": [1,2,3]}`                                | 400 | row 1 must be an array of values or an object keyed by input name, got a number",
            "`{\"inputs\": {\"red\": 1}}`                           | 400 | \"inputs\" must be an array of rows, got an object",
            "`{}`                                                   | 400 | the body has no \"inputs\": send {\"inputs\": [[...], ...]}",
            "`{\"rows\": [[1,2,3]]}`                                | 400 | unknown field \"rows\"; a predict request holds only \"inputs\"",
            "`[[1,2,3]]`                                            | 400 | the body must be a JSON object {\"inputs\": [[...], ...]}, got an array",
            "``                                                     | 400 | the body must be a JSON object {\"inputs\": [[...], ...]}, got nothing",
            "`{\"inputs\": [[1,2,3]]} {}`                           | 400 | unexpected content after the JSON object",
            "`{\"inputs\": [[1,2,3]`                                | 400 | invalid JSON at line 1, column 20: Unexpected end-of-input: expected close marker for Array",
            "`{\"inputs\": [[1,2,3]],}`                             | 400 | invalid JSON at line 1, column 22: Unexpected character ('}' (code 125))",
            "`{\"inputs\": [[1,2,3]]]`                              | 400 | invalid JSON at line 1, column 21: Unexpected close marker ']': expected '}'",
    })
    void badRequestsGetA4xxNamingTheProblem(String body, int status, String message) {
        Http.Reply r = http.post("/v1/models/font/predict", body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.json().get("error").asText()).startsWith(message);
    }

    @Test
    void unknownModelsPathsAndMethods() {
        Http.Reply unknown = http.post("/v1/models/nope/predict", "{\"inputs\": [[1,2,3]]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("no model named \"nope\"; served models: font, digits, shirts");
        assertThat(http.get("/v1/models/nope").status()).isEqualTo(404);
        Http.Reply path = http.get("/v2/whatever");
        assertThat(path.status()).isEqualTo(404);
        assertThat(path.json().get("error").asText()).startsWith("no such endpoint: /v2/whatever");
        Http.Reply get = http.get("/v1/models/font/predict");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.raw().headers().firstValue("Allow")).hasValue("POST");
        assertThat(get.json().get("error").asText()).isEqualTo("method GET is not allowed here; use POST");
        Http.Reply delete = http.send(HttpRequest.newBuilder(http.base().resolve("/v1/models")).DELETE());
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.raw().headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void bodyAndRowLimits() {
        String big = "{\"inputs\": [[" + "1,".repeat(250_000) + "1]]}";
        Http.Reply declared = http.post("/v1/models/font/predict", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().get("error").asText()).isEqualTo("the request body is " + big.length()
                + " bytes, more than 400000 (the server's --max-body-bytes)");
        // chunked: no Content-Length, so the limit is enforced while reading
        Http.Reply chunked = http.send(HttpRequest.newBuilder(http.base().resolve("/v1/models/font/predict"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))));
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.json().get("error").asText()).isEqualTo("the request body is larger than 400000 bytes (the server's --max-body-bytes)");
        float[][] rows = TestModels.rows(101, 3, 256, 1);
        Http.Reply tooMany = http.post("/v1/models/font/predict", TestModels.body(rows));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.json().get("error").asText()).isEqualTo("more than 100 rows in one request (the server's --max-rows)");
        Http.Reply deep = http.post("/v1/models/font/predict", "{\"inputs\": " + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.json().get("error").asText()).contains("must be a number");
        assertThat(http.post("/v1/models/font/predict", TestModels.body(java.util.Arrays.copyOf(rows, 100))).status()).isEqualTo(200);
    }

    @Test
    void aBurstOfGarbageNeverKillsTheServer() throws Exception {
        SplittableRandom rng = new SplittableRandom(99);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[rng.nextInt(1, 2000)];
            rng.nextBytes(junk);
            bodies.add(switch (i % 5) {
                case 0 -> new String(junk, java.nio.charset.StandardCharsets.ISO_8859_1);
                case 1 -> "{\"inputs\": [[1,2," + "9".repeat(rng.nextInt(1, 2000)) + "]]}";
                case 2 -> "{\"inputs\": [[" + "[".repeat(rng.nextInt(1, 3000));
                case 3 -> "{\"inputs\": [[1,2,3]]".substring(0, rng.nextInt(0, 20));
                default -> "{\"inputs\": [[\"\\u0000\", \"" + "x".repeat(rng.nextInt(1, 5000)) + "\", 3]]}";
            });
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Http.Reply>> replies = new ArrayList<>();
            java.util.concurrent.Semaphore parallel = new java.util.concurrent.Semaphore(100);
            for (String b : bodies) {
                replies.add(pool.submit(() -> {
                    parallel.acquire();
                    try {
                        return http.post("/v1/models/font/predict", b);
                    } finally {
                        parallel.release();
                    }
                }));
            }
            for (Future<Http.Reply> f : replies) {
                Http.Reply r = f.get();
                assertThat(r.status()).as(r.body()).isBetween(400, 499);
                assertThat(r.json().get("error").asText()).isNotBlank();
            }
        }
        Http.Reply good = http.post("/v1/models/font/predict", "{\"inputs\": [[12, 200, 34]]}");
        assertThat(good.status()).isEqualTo(200);
        assertThat(Http.outputs(good.json())).isDeepEqualTo(TestModels.predict(font, new float[][]{{12, 200, 34}}));
        assertThat(http.get("/healthz").json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void listingAndModelInfo() throws Exception {
        JsonNode list = http.get("/v1/models").json().get("models");
        assertThat(list.findValuesAsText("name")).containsExactly("font", "digits", "shirts");
        Http.Reply r = http.get("/v1/models/font");
        assertThat(r.status()).isEqualTo(200);
        JsonNode info = r.json();
        assertThat(info.get("inputs").toString()).isEqualTo("[\"red\",\"green\",\"blue\"]");
        assertThat(info.get("outputs").toString()).isEqualTo("[\"output\"]");
        assertThat(info.get("classes").toString()).isEqualTo("[\"dark\",\"light\"]");
        assertThat(info.get("kind").asText()).isEqualTo("classifier");
        assertThat(info.get("architecture").asText()).isEqualTo("3 -> 3:relu -> 1:sigmoid (bce)");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve("font/model.safetensors"))));
        assertThat(info.get("weights_sha256").asText()).isEqualTo(sha);
        assertThat(info.get("version").asText()).isEqualTo(sha.substring(0, 12));
        assertThat(Instant.parse(info.get("loaded_at").asText())).isBefore(Instant.now());
        JsonNode d = http.get("/v1/models/digits").json();
        assertThat(d.get("outputs").size()).isEqualTo(10);
        assertThat(d.get("outputs").get(3).asText()).isEqualTo("p_3");
        JsonNode s = http.get("/v1/models/shirts").json();
        assertThat(s.get("categorical").toString()).isEqualTo("{\"colour\":[\"blue\",\"green\",\"red\"]}");
        assertThat(s.get("imputes_missing").asBoolean()).isTrue();
        Http.Reply health = http.get("/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("models").asInt()).isEqualTo(3);
    }

    @Test
    void concurrentRequestsAreBatchedAndAnsweredCorrectly(@TempDir Path own) throws Exception {
        Model m = TestModels.save(TestModels.digits(21), own.resolve("digits"));
        try (ModelServer s = ModelServer.start(Map.of("digits", own.resolve("digits")),
                ServeOptions.defaults().withPort(0).withBatching(256, Duration.ofMillis(20)), line -> { })) {
            Http h = Http.to(s);
            int clients = 64, each = 8;
            float[][] rows = TestModels.rows(clients * each, 784, 256, 5);
            float[][] expected = TestModels.predict(m, rows);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            int row = client * each + i;
                            Http.Reply r = h.post("/v1/models/digits/predict", TestModels.body(new float[][]{rows[row]}));
                            assertThat(r.status()).as(r.body()).isEqualTo(200);
                            float[] got = Http.outputs(r.json())[0];
                            // batched rows go through the packed matrix kernel, a lone row through the one-row
                            // kernel: the same sums in another order, so equal up to float rounding
                            for (int j = 0; j < 10; j++) assertThat(got[j]).isCloseTo(expected[row][j], within(2e-6f));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get();
            }
            PrometheusText metrics = PrometheusText.parse(h.get("/metrics").body());
            Map<String, String> model = Map.of("model", "digits");
            double batches = metrics.value("ganglion_batch_requests_count", model);
            double single = metrics.value("ganglion_batch_requests_bucket", Map.of("model", "digits", "le", "1"));
            assertThat(metrics.value("ganglion_batch_requests_sum", model)).isEqualTo(clients * each);
            assertThat(metrics.value("ganglion_predict_rows_total", model)).isEqualTo(clients * each);
            assertThat(batches).as("forward passes for %d requests", clients * each).isLessThan(clients * each / 2.0);
            assertThat(single).as("batches of one request").isLessThan(batches);
            assertThat(metrics.value("ganglion_batch_rows_bucket", Map.of("model", "digits", "le", "4"))).isLessThan(batches);
        }
    }

    @Test
    void batchesNeverExceedMaxBatchRowsExceptOneLargeRequestAlone(@TempDir Path own) throws Exception {
        Model m = TestModels.save(TestModels.font(8, 255f), own.resolve("f"));
        try (ModelServer s = ModelServer.start(Map.of("f", own.resolve("f")),
                ServeOptions.defaults().withPort(0).withBatching(4, Duration.ofMillis(50)), line -> { })) {
            Http h = Http.to(s);
            List<float[][]> requests = new ArrayList<>();
            for (int i = 0; i < 40; i++) requests.add(TestModels.rows(i == 20 ? 10 : 1 + i % 3, 3, 256, i));
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Http.Reply>> replies = new ArrayList<>();
                for (float[][] r : requests) replies.add(pool.submit(() -> h.post("/v1/models/f/predict", TestModels.body(r))));
                for (int i = 0; i < requests.size(); i++) {
                    Http.Reply r = replies.get(i).get();
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    float[][] expected = TestModels.predict(m, requests.get(i)), got = Http.outputs(r.json());
                    assertThat(got.length).isEqualTo(expected.length);
                    for (int j = 0; j < got.length; j++) assertThat(got[j][0]).isCloseTo(expected[j][0], within(2e-6f));
                }
            }
            PrometheusText metrics = PrometheusText.parse(h.get("/metrics").body());
            Map<String, String> f = Map.of("model", "f");
            double batches = metrics.value("ganglion_batch_rows_count", f);
            assertThat(metrics.value("ganglion_batch_rows_sum", f)).isEqualTo(requests.stream().mapToInt(r -> r.length).sum());
            assertThat(metrics.value("ganglion_batch_rows_bucket", Map.of("model", "f", "le", "4"))).isEqualTo(batches - 1);
            assertThat(metrics.value("ganglion_batch_rows_bucket", Map.of("model", "f", "le", "8"))).isEqualTo(batches - 1);
        }
    }

    @Test
    void multiLabelAndRegressionAnswers(@TempDir Path own) {
        Model multi = TestModels.save(new Model(dev.ganglion.data.FeatureEncoding.numeric(List.of("x1", "x2")),
                dev.ganglion.model.LayerSpec.parseList("3:sigmoid", null), new dev.ganglion.nn.Loss.BinaryCrossEntropy(),
                new dev.ganglion.data.Scaler.None(), List.of("a", "b", "c"), List.of(),
                List.of(List.of("0", "1"), List.of("no", "yes"), List.of("off", "on")), 5), own.resolve("multi"));
        Model regression = TestModels.save(new Model(List.of("x"), dev.ganglion.model.LayerSpec.parseList("4:tanh,2", null),
                new dev.ganglion.nn.Loss.MeanSquaredError(), new dev.ganglion.data.Scaler.None(), "y", List.of(), 9), own.resolve("reg"));
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("multi", own.resolve("multi"));
        models.put("reg", own.resolve("reg"));
        try (ModelServer s = ModelServer.start(models, ServeOptions.defaults().withPort(0), line -> { })) {
            Http h = Http.to(s);
            float[][] rows = {{0.5f, -2}, {3, 1}};
            JsonNode m = h.post("/v1/models/multi/predict", TestModels.body(rows)).json();
            float[][] out = TestModels.predict(multi, rows);
            assertThat(Http.outputs(m)).isDeepEqualTo(out);
            int[] decisions = multi.decide(multi.predict(Tensor.of(rows)));
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertThat(m.get("labels").get(i).get(j).asText()).isEqualTo(multi.labelClasses().get(j).get(decisions[i * 3 + j]));
                }
            }
            assertThat(m.has("classes")).isFalse();
            assertThat(h.get("/v1/models/multi").json().get("outputs").toString()).isEqualTo("[\"p_a\",\"p_b\",\"p_c\"]");
            JsonNode r = h.post("/v1/models/reg/predict", "{\"inputs\": [[0.25], [-1]]}").json();
            assertThat(Http.outputs(r)).isDeepEqualTo(TestModels.predict(regression, new float[][]{{0.25f}, {-1}}));
            assertThat(r.has("classes")).isFalse();
            assertThat(h.get("/v1/models/reg").json().get("kind").asText()).isEqualTo("regression");
        }
    }

    @Test
    void metricsAreValidPrometheusTextAndCount(@TempDir Path own) {
        TestModels.save(TestModels.font(1, 255f), own.resolve("f"));
        try (ModelServer s = ModelServer.start(Map.of("f", own.resolve("f")), ServeOptions.defaults().withPort(0), line -> { })) {
            Http h = Http.to(s);
            for (int i = 0; i < 5; i++) assertThat(h.post("/v1/models/f/predict", "{\"inputs\": [[1,2,3],[4,5,6]]}").status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) assertThat(h.post("/v1/models/f/predict", "{\"inputs\": [[1,2]]}").status()).isEqualTo(400);
            h.post("/v1/models/f/predict", "{nope");
            h.post("/v1/models/%22we%5Cird%22/predict", "{}");
            h.get("/v1/models/f/predict");
            Http.Reply r = h.get("/metrics");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.raw().headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            PrometheusText m = PrometheusText.parse(r.body());
            assertThat(m.types).containsEntry("ganglion_predict_requests_total", "counter")
                    .containsEntry("ganglion_predict_errors_total", "counter")
                    .containsEntry("ganglion_predict_duration_seconds", "histogram")
                    .containsEntry("ganglion_batch_rows", "histogram")
                    .containsEntry("ganglion_batch_requests", "histogram")
                    .containsEntry("ganglion_model_reloads_total", "counter")
                    .containsEntry("ganglion_model_info", "gauge")
                    .containsEntry("ganglion_inflight_requests", "gauge");
            assertThat(m.value("ganglion_predict_requests_total", Map.of("model", "f", "status", "200"))).isEqualTo(5);
            assertThat(m.value("ganglion_predict_requests_total", Map.of("model", "f", "status", "400"))).isEqualTo(4);
            assertThat(m.value("ganglion_predict_requests_total", Map.of("model", "f", "status", "405"))).isEqualTo(1);
            assertThat(m.value("ganglion_predict_requests_total", Map.of("model", "", "status", "404"))).isEqualTo(1);
            assertThat(m.value("ganglion_predict_errors_total", Map.of("model", "f", "error", "invalid_input"))).isEqualTo(3);
            assertThat(m.value("ganglion_predict_errors_total", Map.of("model", "f", "error", "invalid_json"))).isEqualTo(1);
            assertThat(m.value("ganglion_predict_errors_total", Map.of("model", "", "error", "unknown_model"))).isEqualTo(1);
            assertThat(m.value("ganglion_predict_duration_seconds_count", Map.of("model", "f"))).isEqualTo(10);
            assertThat(m.value("ganglion_predict_rows_total", Map.of("model", "f"))).isEqualTo(10);
            assertThat(m.value("ganglion_model_info", Map.of("model", "f", "version", s.model("f").version()))).isEqualTo(1);
            assertThat(m.value("ganglion_inflight_requests", Map.of())).isEqualTo(1); // this request
        }
    }
}
