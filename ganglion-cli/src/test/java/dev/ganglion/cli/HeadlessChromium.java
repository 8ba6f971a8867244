package dev.ganglion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol: the JDK's WebSocket client
 * and Jackson, no WebDriver. Started with the flags a container needs (no sandbox, no GPU, no
 * background network traffic) and a fresh profile directory, removed again on close.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private boolean enabled;

    /**
     * The chromium executable on the PATH. Where there is none the calling test is skipped with a
     * message, except under {@code GANGLION_REQUIRE_SHARED_DATA=1} (CI), where it fails.
     */
    static Path executable() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        String message = "no chromium on the PATH (Debian: apt-get install chromium)";
        if ("1".equals(System.getenv("GANGLION_REQUIRE_SHARED_DATA"))) Assertions.fail(message + "; CI requires it");
        Assumptions.abort(message + "; skipping the browser test");
        throw new AssertionError("unreachable");
    }

    static HeadlessChromium start(int width, int height) throws Exception {
        return new HeadlessChromium(executable(), width, height);
    }

    private HeadlessChromium(Path exe, int width, int height) throws Exception {
        profile = Files.createTempDirectory("ganglion-chromium-");
        process = new ProcessBuilder(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height,
                "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            URI browser = URI.create(awaitDevToolsAddress());
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
            String page = null;
            for (JsonNode target : JSON.readTree(list)) {
                if ("page".equals(target.path("type").asText())) page = target.path("webSocketDebuggerUrl").asText();
            }
            if (page == null) throw new IllegalStateException("chromium lists no page target: " + list);
            socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(page), new Listener())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Reads chromium's stderr until it names its DevTools address; later lines are drained in the background. */
    private String awaitDevToolsAddress() throws Exception {
        CompletableFuture<String> address = new CompletableFuture<>();
        StringBuilder early = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) address.complete(m.group(1));
                    else if (!address.isDone() && early.length() < 4000) early.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
            address.completeExceptionally(new IllegalStateException("chromium exited without a DevTools address:\n" + early));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return address.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends one DevTools command and waits for its result; a protocol error fails. */
    JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) throw new IllegalStateException(method + " failed: " + r.get("error"));
        return r.path("result");
    }

    /** Waits until an event with this method (and matching the filter) has arrived after the first {@code skip} events; returns it. */
    JsonNode awaitEvent(String method, Predicate<JsonNode> filter, int skip) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (events) {
            while (true) {
                for (JsonNode e : events.subList(Math.min(skip, events.size()), events.size())) {
                    if (method.equals(e.path("method").asText()) && filter.test(e)) return e;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("no " + method + " event within " + TIMEOUT);
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** Every event received so far. */
    List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Loads a page and waits for its load event (images included). */
    void open(URI url) throws Exception {
        if (!enabled) {
            call("Page.enable", Map.of());
            call("Runtime.enable", Map.of());
            call("Log.enable", Map.of());
            enabled = true;
        }
        int before = events().size();
        call("Page.navigate", Map.of("url", url.toString()));
        awaitEvent("Page.loadEventFired", e -> true, before);
    }

    /** Evaluates a JavaScript expression in the page and returns its value. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** The console errors, uncaught exceptions and browser log errors (such as failed loads) so far. */
    List<String> errors() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events()) {
            String m = e.path("method").asText();
            JsonNode p = e.path("params");
            if (m.equals("Runtime.exceptionThrown")) out.add("exception: " + p.path("exceptionDetails"));
            if (m.equals("Runtime.consoleAPICalled") && p.path("type").asText().matches("error|assert")) out.add("console." + p.path("type").asText() + ": " + p.path("args"));
            if (m.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) out.add("log: " + p.path("entry"));
        }
        return out;
    }

    /** A PNG screenshot of the viewport. */
    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
    }

    @Override
    public void close() {
        if (socket != null) socket.abort();
        // Chromium's helper processes (network service, renderer) write into the profile too:
        // stop them all before deleting it
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        helpers.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle h : helpers) {
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a temporary profile left behind (or a file gone while walking it) is harmless
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) f.complete(msg);
                    } else {
                        synchronized (events) {
                            events.add(msg);
                            events.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
            }
            ws.request(1);
            return null;
        }
    }
}
