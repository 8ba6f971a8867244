package dev.ganglion.cli;

import dev.ganglion.serve.ModelServer;
import dev.ganglion.serve.ServeOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ganglion serve}: saved models over HTTP (JSON), until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Serve saved models over HTTP: JSON predictions, metrics, hot reload.",
        description = {"Serves each model at POST /v1/models/NAME/predict; the body is",
                "{\"inputs\": [[...], ...]} with raw (unscaled) values. Also GET /v1/models,",
                "/healthz and /metrics (Prometheus). A replaced model directory is reloaded;",
                "SIGTERM lets requests in flight finish, then exits 0. See docs/serving.md."},
        footer = {"", "Examples:", "  ganglion serve --model models/font",
                "  ganglion serve --model font=models/font --model digits=models/mnist --port 0",
                "  curl -s localhost:8080/v1/models/font/predict -d '{\"inputs\": [[12, 200, 34]]}'"})
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "[NAME=]DIR",
            description = "A model directory to serve, under NAME (default: the directory's name). Repeatable.")
    List<String> models;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one and prints it).")
    int port;

    @Option(names = "--max-batch", defaultValue = "256", paramLabel = "ROWS",
            description = "Most rows gathered into one forward pass (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "2", paramLabel = "MS",
            description = "How long a batch waits for requests still being read (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--max-body-bytes", defaultValue = "16777216", paramLabel = "BYTES",
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-rows", defaultValue = "4096", paramLabel = "ROWS",
            description = "Most rows in one request (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--poll-ms", defaultValue = "1000", paramLabel = "MS",
            description = "How often model directories are checked for a new model (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--grace-seconds", defaultValue = "10", paramLabel = "S",
            description = "How long shutdown waits for requests in flight (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String m : models) {
            int eq = m.indexOf('=');
            String name = eq > 0 ? m.substring(0, eq) : null;
            Path dir = Path.of(eq > 0 ? m.substring(eq + 1) : m);
            if (name == null) {
                Path file = dir.toAbsolutePath().normalize().getFileName();
                name = file == null ? "model" : file.toString();
            }
            if (dirs.putIfAbsent(name, dir) != null) {
                throw new UserError("--model: the name \"" + name + "\" is given twice; name them: --model NAME=DIR");
            }
        }
        ServeOptions options = new ServeOptions(host, port, maxBatch, Duration.ofMillis(maxWaitMs), maxBodyBytes, maxRows,
                Duration.ofMillis(pollMs), Duration.ofSeconds(graceSeconds));
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        ModelServer server = ModelServer.start(dirs, options, line -> {
            err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
            err.flush();
        });
        for (String name : dirs.keySet()) {
            var m = server.model(name);
            err.println("model \"" + name + "\": " + m.dir() + ", " + m.model().describe() + ", version " + m.version());
        }
        out.println("listening on " + server.uri() + " (port " + server.port() + ")");
        out.flush();
        err.flush();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("stopping: finishing requests in flight (up to " + graceSeconds + " s)");
            err.flush();
            server.close();
            err.println("stopped");
            err.flush();
            out.flush();
            // SIGTERM is the normal way to stop a server: exit 0 once everything in flight is answered.
            Runtime.getRuntime().halt(0);
        }, "ganglion-serve-shutdown"));
        forever.await();
        return 0;
    }
}
