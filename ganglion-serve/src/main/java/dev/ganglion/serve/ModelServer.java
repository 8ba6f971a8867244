package dev.ganglion.serve;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ganglion.model.Model;
import dev.ganglion.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Serves saved models over HTTP with JSON: {@code POST /v1/models/{name}/predict}, the model
 * listing, {@code /healthz} and Prometheus {@code /metrics} (see docs/serving.md).
 *
 * <p>Built on the JDK's {@link HttpServer} with one virtual thread per request: the server needs
 * no dependency, and blocking code (reading the body, waiting for the batch) stays simple.
 * Requests to one model are batched by its {@link Batcher}; each model directory is polled and a
 * changed model is reloaded in the background ({@link ModelSlot#poll()}).
 */
public final class ModelServer implements AutoCloseable {
    private static final JsonFactory JSON = new JsonFactory();
    private static final long REQUEST_TIMEOUT_SECONDS = 60;
    /** How much of a rejected body is read and dropped to keep the connection usable. */
    private static final long DRAIN_BYTES = 4L << 20;

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, a small
        // response can wait for the client's delayed ACK (tens of milliseconds).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        // Beyond this many idle keep-alive connections the JDK server closes the next one to go
        // idle, which a client may be reusing at that moment (default 200).
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "1024");
        }
    }

    private final ServeOptions options;
    private final Consumer<String> log;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Map<String, ModelSlot> slots;
    private final HttpServer http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread watcher;
    private volatile boolean stopping;
    private boolean closed;

    private ModelServer(Map<String, ModelSlot> slots, ServeOptions options, Consumer<String> log) throws IOException {
        this.slots = slots;
        this.options = options;
        this.log = log;
        this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        this.watcher = Thread.ofPlatform().name("ganglion-model-watcher").daemon().unstarted(this::watch);
    }

    /**
     * Loads every model (failing if one cannot be loaded), binds the port and starts serving.
     *
     * @param models model name to model directory, in listing order
     * @param log    receives one line per event worth telling an operator (reloads, failures)
     * @throws dev.ganglion.io.ModelFormatException if a directory holds no valid model
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ModelServer start(Map<String, Path> models, ServeOptions options, Consumer<String> log) {
        if (models.isEmpty()) throw new IllegalArgumentException("serve: no model given");
        Map<String, ServedModel> loaded = new LinkedHashMap<>();
        models.forEach((name, dir) -> {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("model name \"" + name + "\" may only hold letters, digits, '.', '_' and '-'");
            }
            loaded.put(name, ServedModel.load(name, dir, 1));
        });
        ModelServer server;
        Map<String, ModelSlot> slots = new LinkedHashMap<>();
        try {
            server = new ModelServer(slots, options, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        loaded.forEach((name, m) -> slots.put(name, new ModelSlot(m, options, server.metrics, log)));
        server.http.start();
        server.watcher.start();
        return server;
    }

    /** The port the server listens on (the one picked when the options said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The base address, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** The model version now served under {@code name}. */
    public ServedModel model(String name) {
        ModelSlot slot = slots.get(name);
        if (slot == null) throw new IllegalArgumentException("no model \"" + name + "\"");
        return slot.current();
    }

    /**
     * Stops gracefully: closes the listening socket, lets the requests in flight finish (up to the
     * grace period), runs the batches still queued, then stops the threads. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopping = true;
        watcher.interrupt();
        http.stop((int) Math.max(0, Math.min(Integer.MAX_VALUE, options.grace().toSeconds())));
        for (ModelSlot slot : slots.values()) slot.close();
        executor.shutdownNow();
    }

    private void watch() {
        while (!stopping) {
            try {
                Thread.sleep(options.pollInterval());
            } catch (InterruptedException e) {
                return;
            }
            for (ModelSlot slot : slots.values()) {
                try {
                    slot.poll();
                } catch (RuntimeException e) {
                    log.accept("model \"" + slot.name() + "\": watcher error: " + e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ routing

    private void handle(HttpExchange ex) {
        long start = System.nanoTime();
        metrics.inFlight().incrementAndGet();
        String model = "";
        int status = 500;
        boolean predict = false;
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            String[] parts = path.split("/", -1);
            Response response;
            try {
                if (path.equals("/healthz")) {
                    allow(ex, method, "GET");
                    response = health();
                } else if (path.equals("/metrics")) {
                    allow(ex, method, "GET");
                    response = new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                            metrics.render(this::versions).getBytes(StandardCharsets.UTF_8));
                } else if (path.equals("/v1/models") || path.equals("/v1/models/")) {
                    allow(ex, method, "GET");
                    response = listing();
                } else if (parts.length == 4 && parts[1].equals("v1") && parts[2].equals("models")) {
                    allow(ex, method, "GET");
                    response = json(200, g -> info(g, slot(parts[3]).current()));
                } else if (parts.length == 5 && parts[1].equals("v1") && parts[2].equals("models") && parts[4].equals("predict")) {
                    predict = true;
                    ModelSlot slot = slot(parts[3]);
                    model = slot.name();
                    allow(ex, method, "POST");
                    response = predict(ex, slot);
                } else {
                    throw new ApiError(404, "not_found", "no such endpoint: " + path
                            + "; see GET /v1/models, POST /v1/models/{name}/predict, GET /healthz, GET /metrics");
                }
            } catch (ApiError e) {
                metrics.error(model, e.kind());
                response = error(e.status(), e.getMessage());
            }
            status = response.status();
            send(ex, response);
        } catch (IOException | RuntimeException e) {
            // The client went away, or a bug: answer if still possible, never let the server thread die.
            metrics.error(model, "internal");
            if (!(e instanceof IOException)) log.accept("internal error on " + ex.getRequestURI() + ": " + e);
            try {
                send(ex, error(500, "internal error: " + e));
            } catch (IOException | RuntimeException ignored) {
                // nothing more to do
            }
        } finally {
            if (predict) metrics.request(model, status, System.nanoTime() - start);
            metrics.inFlight().decrementAndGet();
            ex.close();
        }
    }

    private static void allow(HttpExchange ex, String method, String allowed) {
        if (!method.equals(allowed)) {
            ex.getResponseHeaders().set("Allow", allowed);
            throw new ApiError(405, "method_not_allowed", "method " + method + " is not allowed here; use " + allowed);
        }
    }

    private ModelSlot slot(String name) {
        ModelSlot slot = slots.get(name);
        if (slot == null) {
            throw new ApiError(404, "unknown_model", "no model named \"" + name + "\"; served models: "
                    + String.join(", ", slots.keySet()));
        }
        return slot;
    }

    private Map<String, String> versions() {
        Map<String, String> out = new LinkedHashMap<>();
        slots.forEach((name, slot) -> out.put(name, slot.current().version()));
        return out;
    }

    // ------------------------------------------------------------------ endpoints

    private Response predict(HttpExchange ex, ModelSlot slot) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > options.maxBodyBytes()) {
                    throw new ApiError(413, "too_large", "the request body is " + length.strip() + " bytes, more than "
                            + options.maxBodyBytes() + " (the server's --max-body-bytes)");
                }
            } catch (NumberFormatException e) {
                throw new ApiError(400, "invalid_request", "Content-Length \"" + length + "\" is not a number");
            }
        }
        Batcher batcher = slot.batcher();
        ServedModel served = slot.current();
        PredictRequest request;
        batcher.arriving().incrementAndGet();
        CompletableFuture<float[]> result = new CompletableFuture<>();
        try {
            // not closed here: send() reads what is left, to keep the connection usable
            InputStream body = new BoundedInputStream(ex.getRequestBody(), options.maxBodyBytes());
            request = PredictRequest.parse(body, served, options.maxRowsPerRequest());
            batcher.submit(new Batcher.Job(served, request, System.nanoTime(), result));
        } catch (BoundedInputStream.TooLarge e) {
            throw new ApiError(413, "too_large", e.getMessage());
        } finally {
            batcher.arriving().decrementAndGet();
        }
        float[] outputs;
        try {
            outputs = result.get(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiError(503, "unavailable", "no answer from the model within " + REQUEST_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "unavailable", "the server is shutting down");
        } catch (ExecutionException e) {
            throw new IllegalStateException("prediction failed: " + e.getCause(), e.getCause());
        }
        return json(200, g -> answer(g, served, request.rows(), outputs));
    }

    /** {@code {"model", "version", "outputs": [[...]], "classes": [...] | "labels": [[...]]}}. */
    private static void answer(JsonGenerator g, ServedModel served, int rows, float[] outputs) throws IOException {
        Model m = served.model();
        int k = m.outputCount();
        g.writeStartObject();
        g.writeStringField("model", served.name());
        g.writeStringField("version", served.version());
        g.writeArrayFieldStart("outputs");
        for (int i = 0; i < rows; i++) {
            g.writeStartArray();
            for (int j = 0; j < k; j++) g.writeNumber(outputs[i * k + j]);
            g.writeEndArray();
        }
        g.writeEndArray();
        if (m.isClassifier()) {
            int[] classes = m.classify(Tensor.of(outputs, rows, k));
            g.writeArrayFieldStart("classes");
            for (int c : classes) g.writeString(m.classNames().get(c));
            g.writeEndArray();
        }
        if (m.isMultiLabel()) {
            int[] decisions = m.decide(Tensor.of(outputs, rows, k));
            g.writeArrayFieldStart("labels");
            for (int i = 0; i < rows; i++) {
                g.writeStartArray();
                for (int j = 0; j < k; j++) g.writeString(m.labelClasses().get(j).get(decisions[i * k + j]));
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private Response health() throws IOException {
        return json(stopping ? 503 : 200, g -> {
            g.writeStartObject();
            g.writeStringField("status", stopping ? "stopping" : "ok");
            g.writeNumberField("models", slots.size());
            g.writeEndObject();
        });
    }

    private Response listing() throws IOException {
        List<ServedModel> models = new ArrayList<>();
        for (ModelSlot s : slots.values()) models.add(s.current());
        return json(200, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("models");
            for (ServedModel m : models) info(g, m);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void info(JsonGenerator g, ServedModel s) throws IOException {
        Model m = s.model();
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeStringField("directory", s.dir().toString());
        g.writeStringField("version", s.version());
        g.writeStringField("weights_sha256", s.weightsSha256());
        g.writeStringField("config_sha256", s.configSha256());
        g.writeStringField("loaded_at", s.loadedAt().toString());
        g.writeNumberField("generation", s.generation());
        g.writeStringField("kind", s.kind());
        g.writeStringField("architecture", m.describe());
        strings(g, "inputs", m.inputNames());
        if (!m.encoding().categories().isEmpty()) {
            g.writeObjectFieldStart("categorical");
            for (var e : m.encoding().categories().entrySet()) strings(g, e.getKey(), e.getValue());
            g.writeEndObject();
        }
        g.writeBooleanField("imputes_missing", m.encoding().imputer().isActive());
        strings(g, "outputs", s.outputNames());
        strings(g, "label_names", m.labelNames());
        if (m.isClassifier()) strings(g, "classes", m.classNames());
        if (m.isMultiLabel()) {
            g.writeObjectFieldStart("label_classes");
            for (int j = 0; j < m.labelNames().size(); j++) strings(g, m.labelNames().get(j), m.labelClasses().get(j));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    // ------------------------------------------------------------------ responses

    private record Response(int status, String contentType, byte[] body) {
    }

    @FunctionalInterface
    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static Response json(int status, JsonWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
            writer.write(g);
        }
        bytes.write('\n');
        return new Response(status, "application/json", bytes.toByteArray());
    }

    private static Response error(int status, String message) throws IOException {
        return json(status, g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    private static void send(HttpExchange ex, Response r) throws IOException {
        // Read what the handler left of the body (a rejected one, say), so the answer is not lost to
        // a connection reset; if too much is left, tell the client this connection is done.
        if (!drain(ex)) ex.getResponseHeaders().set("Connection", "close");
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.sendResponseHeaders(r.status(), r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }

    /** Reads and drops up to {@link #DRAIN_BYTES} of unread request body; whether it reached the end. */
    private static boolean drain(HttpExchange ex) {
        try {
            InputStream in = ex.getRequestBody();
            byte[] buf = new byte[16384];
            long total = 0;
            for (int n; total <= DRAIN_BYTES; total += n) {
                n = in.read(buf);
                if (n < 0) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
