package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ganglion.io.ModelStore;
import dev.ganglion.model.LayerSpec;
import dev.ganglion.model.Model;
import dev.ganglion.data.Scaler;
import dev.ganglion.nn.Loss;
import dev.ganglion.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ganglion serve} as a real process: a request in flight survives SIGTERM, then the process exits 0. */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Model fontModel(Path dir) {
        Model m = new Model(List.of("red", "green", "blue"), LayerSpec.parseList("3:relu,1:sigmoid", null),
                new Loss.BinaryCrossEntropy(), new Scaler.Divide(255f), "light_font", List.of("dark", "light"), 4);
        ModelStore.save(m, dir, Map.of());
        return ModelStore.load(dir);
    }

    @Test
    void sigtermFinishesTheRequestInFlightThenExitsZero() throws Exception {
        Model model = fontModel(tmp.resolve("font"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--model", "font=" + tmp.resolve("font"), "--port", "0", "--grace-seconds", "20");
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String line = first.get(60, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+)) \\(port \\d+\\)").matcher(String.valueOf(line));
            assertThat(m.matches()).as("first line: %s", line).isTrue();
            URI base = URI.create(m.group(1));
            int port = Integer.parseInt(m.group(2));
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(base.resolve("/v1/models/font/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [[12, 200, 34]]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            // the same numbers and class as `ganglion predict` for that row
            Cli predict = Cli.run("predict", "--model", tmp.resolve("font").toString(), "--input", "12,200,34");
            String[] csv = predict.out().strip().split("\n")[1].split(",");
            JsonNode served = JSON.readTree(ok.body());
            assertThat(Float.parseFloat(served.get("outputs").get(0).get(0).asText())).isEqualTo(Float.parseFloat(csv[0]));
            assertThat(served.get("classes").get(0).asText()).isEqualTo(csv[1]);

            // a request in flight: headers and half of the body sent, the rest only after SIGTERM
            String body = "{\"inputs\": [[250, 240, 200], [12, 200, 34]]}";
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream o = s.getOutputStream();
                o.write(("POST /v1/models/font/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body.substring(0, 20)).getBytes(StandardCharsets.US_ASCII));
                o.flush();
                awaitInFlight(client, base, 2); // the half-sent request and the metrics request itself
                p.destroy(); // SIGTERM
                Thread.sleep(1000);
                assertThat(p.isAlive()).as("still waiting for the request in flight").isTrue();
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("no new connections").isInstanceOf(ConnectException.class);
                o.write(body.substring(20).getBytes(StandardCharsets.US_ASCII));
                o.flush();
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(reply).startsWith("HTTP/1.1 200");
                JsonNode json = JSON.readTree(reply.substring(reply.indexOf("\r\n\r\n") + 4));
                float[] expected = model.predict(Tensor.of(new float[][]{{250, 240, 200}, {12, 200, 34}})).data();
                for (int i = 0; i < 2; i++) {
                    assertThat(Float.parseFloat(json.get("outputs").get(i).get(0).asText())).isEqualTo(expected[i]);
                }
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(p.exitValue()).isZero();
            String err = java.nio.file.Files.readString(tmp.resolve("stderr.txt"));
            assertThat(err).contains("stopping: finishing requests in flight").contains("stopped");
        } finally {
            p.destroyForcibly();
        }
    }

    private static void awaitInFlight(HttpClient client, URI base, int n) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^ganglion_inflight_requests (\\d+)$").matcher(metrics);
            if (m.find() && Integer.parseInt(m.group(1)) >= n) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the half-sent request never reached the server");
    }

    @Test
    void badModelArgumentsAreUserErrors() {
        Path dir = tmp.resolve("font");
        fontModel(dir);
        Cli twice = Cli.run("serve", "--model", dir.toString(), "--model", dir.toString(), "--port", "0");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("--model: the name \"font\" is given twice; name them: --model NAME=DIR");
        Cli missing = Cli.run("serve", "--model", "x=" + tmp.resolve("nope"), "--port", "0");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope").contains("no such model directory");
        Cli badPort = Cli.run("serve", "--model", dir.toString(), "--port", "70000");
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.err()).contains("--port must be in 0..65535, got 70000");
    }
}
