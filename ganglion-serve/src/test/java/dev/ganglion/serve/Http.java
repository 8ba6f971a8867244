package dev.ganglion.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small real HTTP client for the tests (java.net.http). */
record Http(HttpClient client, URI base) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Http to(ModelServer server) {
        return new Http(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), server.uri());
    }

    /** A response: status, body text, and the body as JSON when it is JSON. */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Outputs of a predict reply as float[rows][k], parsed exactly (shortest float text round-trips). */
    static float[][] outputs(JsonNode reply) {
        JsonNode o = reply.get("outputs");
        float[][] out = new float[o.size()][];
        for (int i = 0; i < o.size(); i++) {
            out[i] = new float[o.get(i).size()];
            for (int j = 0; j < out[i].length; j++) out[i][j] = Float.parseFloat(o.get(i).get(j).asText());
        }
        return out;
    }
}
